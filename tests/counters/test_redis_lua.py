"""The Redis counters' Lua scripts (``counters/redis_lua.py``): each compiles on a real Redis."""

import pytest
import redis

from newsportal.counters import redis_lua as lua
from tests.conftest import REDIS_URL, need_redis


def test_scopes_go_as_one_comma_separated_argument():
    assert lua.scopes_arg((3, 17)) == "3,17"
    assert lua.scopes_arg(()) == ""


def test_record_and_replay_share_the_scoring_code():
    assert lua.RECORD.startswith(lua.SCORING) and lua.REPLAY.startswith(lua.SCORING)
    assert "apply()" in lua.RECORD and "apply()" in lua.REPLAY


@pytest.mark.redis
@pytest.mark.parametrize("name", ["RECORD", "REPLAY", "TOP", "COUNTS", "SYNC", "FORGET", "PRUNE", "UNLOCK"])
def test_every_script_compiles(name):
    need_redis()
    client = redis.Redis.from_url(REDIS_URL)
    try:
        sha = client.script_load(getattr(lua, name))  # a Lua syntax error raises here
        assert client.script_exists(sha) == [True]
    finally:
        client.close()
