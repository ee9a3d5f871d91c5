"""Rate limits stay on when their Redis does not answer: the window moves to this process's memory."""

from __future__ import annotations

from limits import parse
from limits.storage import MemoryStorage, RedisStorage

from newsportal.ratelimit import ResilientLimiter


def test_a_dead_redis_falls_back_to_memory_and_still_limits():
    limiter = ResilientLimiter(RedisStorage("redis://127.0.0.1:1/0", socket_connect_timeout=1))
    three = parse("3/minute")
    assert not limiter.degraded
    for _ in range(3):
        assert limiter.test(three, "login-ip:1.2.3.4")
        assert limiter.hit(three, "login-ip:1.2.3.4")
    assert limiter.degraded
    assert not limiter.test(three, "login-ip:1.2.3.4")  # the fourth is refused, as it would be in Redis
    assert limiter.get_window_stats(three, "login-ip:1.2.3.4").remaining == 0
    limiter.clear(three, "login-ip:1.2.3.4")
    assert limiter.test(three, "login-ip:1.2.3.4")


def test_memory_storage_is_used_directly():
    limiter = ResilientLimiter(MemoryStorage())
    one = parse("1/minute")
    assert limiter.hit(one, "x") and not limiter.hit(one, "x")
    assert not limiter.degraded
