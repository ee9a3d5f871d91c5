"""The Lua scripts of the Redis counters (see :mod:`newsportal.counters.redis` for the keys they use).

Each script runs atomically on the Redis server, so dedupe, the flood cap, scoring and the live counts of a
whole batch of events happen in one round trip and never interleave with another worker's. They are plain
text here, apart from the class that calls them, so the Python side and the Lua side can each be read whole.
Key names are built from the prefix inside the scripts: a single Redis (or a primary with replicas), not
Redis Cluster.
"""

from __future__ import annotations

import functools

__all__ = ["COUNTS", "FORGET", "PRUNE", "RECORD", "REPLAY", "SCORING", "SYNC", "TOP", "UNLOCK", "scopes_arg"]

# Shared by the record and replay scripts. ARGV[1] prefix, ARGV[2] worker id, ARGV[3] half-life (s),
# ARGV[4] rebase exponent. Increments are summed per (set, article) in a Lua table and written once per
# batch (``apply``): a popular article costs one ZINCRBY per scope per batch, not one per event.
SCORING = r"""
local P = ARGV[1]
local HL = tonumber(ARGV[3])
local REBASE = tonumber(ARGV[4])
local REG = P .. 'hot:keys'
local T0KEY = P .. 't0'
local GLOBAL = P .. 'hot:g'
local t0 = tonumber(redis.call('GET', T0KEY))
local acc = {}  -- set key -> {article -> amount}
local scope_keys = {}  -- '3,17' -> {P .. 'hot:c:3', P .. 'hot:c:17'}

local function fmt(x) return string.format('%.17g', x) end

local function apply()
  for key, amounts in pairs(acc) do
    redis.call('SADD', REG, key)
    for aid, amount in pairs(amounts) do redis.call('ZINCRBY', key, fmt(amount), aid) end
  end
  acc = {}
end

local function rebase(new_t0)
  apply()
  local factor = 2 ^ (-(new_t0 - t0) / HL)
  for _, key in ipairs(redis.call('SMEMBERS', REG)) do
    local r = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
    local add, dead = {}, {}
    for j = 1, #r, 2 do
      local s = tonumber(r[j + 1]) * factor
      if s > 0 then
        add[#add + 1] = fmt(s)
        add[#add + 1] = r[j]
        if #add >= 2000 then redis.call('ZADD', key, unpack(add)); add = {} end
      else
        dead[#dead + 1] = r[j]
        if #dead >= 1000 then redis.call('ZREM', key, unpack(dead)); dead = {} end
      end
    end
    if #add > 0 then redis.call('ZADD', key, unpack(add)) end
    if #dead > 0 then redis.call('ZREM', key, unpack(dead)) end
  end
  t0 = new_t0
  redis.call('SET', T0KEY, fmt(t0))
end

local function add(key, aid, amount)
  local amounts = acc[key]
  if not amounts then
    amounts = {}
    acc[key] = amounts
  end
  amounts[aid] = (amounts[aid] or 0) + amount
end

-- weight * 2^((at - t0)/HL) onto the global set and the set of each scope in ``scopes`` ('3,17' or '')
local function score(aid, weight, at, scopes)
  if not t0 then
    t0 = at
    redis.call('SET', T0KEY, fmt(t0))
  end
  if (at - t0) / HL > REBASE then rebase(at) end
  local amount = weight * 2 ^ ((at - t0) / HL)
  add(GLOBAL, aid, amount)
  if scopes ~= '' then
    local keys = scope_keys[scopes]
    if not keys then
      keys = {}
      for scope in string.gmatch(scopes, '[^,]+') do keys[#keys + 1] = P .. 'hot:c:' .. scope end
      scope_keys[scopes] = keys
    end
    for j = 1, #keys do add(keys[j], aid, amount) end
  end
end
"""

# ARGV[5] dedupe window (s), [6] events per reader-minute, [7] seen TTL (s), [8] breadth: distinct origins
# needed, [9] scored events per origin, [10] breadth window (s), [11] number of kinds k, then k (kind,
# weight) pairs, then 6 per event: article, kind, reader, at, scopes ('3,17' or ''), origin ('' = trusted).
# Returns {flags, fresh}: one flag per event ('1' counted and scored, '2' counted but kept out of the scores
# by the breadth rule, 'd' a repeat, 'r' a reader flood), and 1 when this worker was not registered before.
RECORD = SCORING + r"""
local WID = ARGV[2]
local WINDOW = tonumber(ARGV[5])
local CAP = tonumber(ARGV[6])
local SEEN_TTL = tonumber(ARGV[7])
local MINO = tonumber(ARGV[8])
local OCAP = tonumber(ARGV[9])
local OWIN = tonumber(ARGV[10])
local W = {}
local i = 12
for _ = 1, tonumber(ARGV[11]) do
  W[ARGV[i]] = tonumber(ARGV[i + 1])
  i = i + 2
end
local tm = redis.call('TIME')
local fresh = redis.call('ZADD', P .. 'workers', fmt(tonumber(tm[1]) + tonumber(tm[2]) / 1000000), WID)
local touched = {}
local pending = {}
local out = {}

local function prune_seen(skey, at)
  local r = redis.call('HGETALL', skey)
  local old = {}
  for j = 1, #r, 2 do
    if at - tonumber(r[j + 1]) >= WINDOW then old[#old + 1] = r[j] end
    if #old >= 1000 then redis.call('HDEL', skey, unpack(old)); old = {} end
  end
  if #old > 0 then redis.call('HDEL', skey, unpack(old)) end
end

-- the breadth rule of counters/breadth.py: per article and window, origin -> events in a hash
local function broad(aid, origin, at)
  if origin == '' then return true end
  local win = 0
  if OWIN > 0 then win = math.floor(at / OWIN) end
  local key = P .. 'br:' .. aid .. ':' .. string.format('%d', win)
  local used = redis.call('HINCRBY', key, origin, 1)
  if used == 1 then redis.call('EXPIRE', key, math.ceil(OWIN * 2) + 60) end
  local breadth = redis.call('HLEN', key)
  if breadth < MINO then
    for _, o in ipairs(redis.call('HKEYS', P .. 'br:' .. aid .. ':' .. string.format('%d', win - 1))) do
      if redis.call('HEXISTS', key, o) == 0 then breadth = breadth + 1 end
      if breadth >= MINO then break end
    end
  end
  return breadth >= MINO and used <= OCAP
end

while i <= #ARGV do
  local aid, kind, reader = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local at = tonumber(ARGV[i + 3])
  local field = aid .. ':' .. kind
  local ok = true
  local why = 'd'
  if WINDOW > 0 then
    local skey = P .. 'seen:' .. reader
    local last = redis.call('HGET', skey, field)
    if last and math.abs(at - tonumber(last)) < WINDOW then
      ok = false
    else
      redis.call('HSET', skey, field, ARGV[i + 3])
      if not touched[skey] then
        touched[skey] = true
        redis.call('EXPIRE', skey, SEEN_TTL)
        if last == false and redis.call('HLEN', skey) > 512 then prune_seen(skey, at) end
      end
    end
  end
  if ok then
    local rkey = P .. 'rate:' .. reader .. ':' .. string.format('%d', math.floor(at / 60))
    local used = 1
    if not redis.call('SET', rkey, 1, 'EX', 120, 'NX') then used = redis.call('INCR', rkey) end
    if used > CAP then
      ok = false
      why = 'r'
    end
  end
  if ok then
    if broad(aid, ARGV[i + 5], at) then
      score(aid, W[kind], at, ARGV[i + 4])
      out[#out + 1] = '1'
    else
      out[#out + 1] = '2'
    end
    pending[field] = (pending[field] or 0) + 1
  else
    out[#out + 1] = why
  end
  i = i + 6
end
apply()
local pkey = P .. 'pending:' .. WID
for field, n in pairs(pending) do redis.call('HINCRBY', pkey, field, n) end
return {table.concat(out), fresh}
"""

# Rebuild after data loss: 4 per event from ARGV[5]: article, weight, at, scopes ('3,17' or '').
REPLAY = SCORING + r"""
local n = 0
for i = 5, #ARGV, 4 do
  score(ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2]), ARGV[i + 3])
  n = n + 1
end
apply()
return n
"""

# ARGV: prefix, key, n. Returns {t0 or nil, {member, score, ...}}.
TOP = r"""
local t0 = redis.call('GET', ARGV[1] .. 't0')
return {t0, redis.call('ZREVRANGE', ARGV[2], 0, tonumber(ARGV[3]) - 1, 'WITHSCORES')}
"""

# ARGV: prefix, article, worker timeout, kinds... Returns the sum per kind over live workers' pending hashes.
COUNTS = r"""
local P = ARGV[1]
local tm = redis.call('TIME')
local now = tonumber(tm[1]) + tonumber(tm[2]) / 1000000
local fields = {}
for j = 4, #ARGV do fields[#fields + 1] = ARGV[2] .. ':' .. ARGV[j] end
local total = {}
for j = 1, #fields do total[j] = 0 end
local since = string.format('(%.17g', now - tonumber(ARGV[3]))
local live = redis.call('ZRANGEBYSCORE', P .. 'workers', since, '+inf')
for _, wid in ipairs(live) do
  local r = redis.call('HMGET', P .. 'pending:' .. wid, unpack(fields))
  for j = 1, #fields do total[j] = total[j] + (tonumber(r[j]) or 0) end
end
return total
"""

# ARGV: prefix, worker id, worker timeout, then field, value pairs: this worker's unflushed counts.
# Replaces the pending hash, refreshes the heartbeat and reaps workers whose heartbeat has expired.
SYNC = r"""
local P = ARGV[1]
local WID = ARGV[2]
local key = P .. 'pending:' .. WID
local tm = redis.call('TIME')
local now = tonumber(tm[1]) + tonumber(tm[2]) / 1000000
redis.call('ZADD', P .. 'workers', string.format('%.17g', now), WID)
redis.call('DEL', key)
local args = {}
for j = 4, #ARGV do
  args[#args + 1] = ARGV[j]
  if #args >= 2000 then redis.call('HSET', key, unpack(args)); args = {} end
end
if #args > 0 then redis.call('HSET', key, unpack(args)) end
local limit = string.format('%.17g', now - tonumber(ARGV[3]))
local dead = redis.call('ZRANGEBYSCORE', P .. 'workers', '-inf', '(' .. limit)
for _, wid in ipairs(dead) do redis.call('DEL', P .. 'pending:' .. wid) end
if #dead > 0 then redis.call('ZREMRANGEBYSCORE', P .. 'workers', '-inf', '(' .. limit) end
return #dead
"""

# ARGV: prefix, article. Removes it from every hot list.
FORGET = r"""
for _, key in ipairs(redis.call('SMEMBERS', ARGV[1] .. 'hot:keys')) do redis.call('ZREM', key, ARGV[2]) end
return 1
"""

# ARGV: prefix, half-life, threshold, now. Drops members whose decayed score is below the threshold.
PRUNE = r"""
local t0 = tonumber(redis.call('GET', ARGV[1] .. 't0'))
if not t0 then return 0 end
local limit = tonumber(ARGV[3]) * 2 ^ ((tonumber(ARGV[4]) - t0) / tonumber(ARGV[2]))
local n = 0
for _, key in ipairs(redis.call('SMEMBERS', ARGV[1] .. 'hot:keys')) do
  n = n + redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. string.format('%.17g', limit))
end
return n
"""

# ARGV: lock key, token. Releases the rebuild lock only if this worker still holds it.
UNLOCK = r"""
if redis.call('GET', ARGV[1]) == ARGV[2] then return redis.call('DEL', ARGV[1]) end
return 0
"""


@functools.lru_cache(maxsize=4096)
def scopes_arg(scopes: tuple[int, ...]) -> str:
    """An event's scopes as the scripts take them: ``'3,17'``, or ``''`` for none."""
    return ",".join(str(int(s)) for s in scopes)
