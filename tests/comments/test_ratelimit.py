"""Posting limits per reader and per IP, in memory and in Redis; a refused post stores nothing."""

import uuid

import pytest

from newsportal.comments.errors import RateLimited, http_status
from newsportal.comments.ratelimit import LimitSettings, PostLimiter
from tests.comments.conftest import build_env, later
from tests.conftest import REDIS_URL, make_store, need_redis


def test_per_reader_and_per_ip_limits():
    limiter = PostLimiter(LimitSettings(per_reader="2/hour", per_ip="3/hour"))
    limiter.hit_post(1, "1.1.1.1")
    limiter.hit_post(1, "1.1.1.1")
    with pytest.raises(RateLimited) as reader_limit:
        limiter.hit_post(1, "2.2.2.2")
    assert reader_limit.value.code == "too_many_posts" and http_status(reader_limit.value) == 429
    limiter.hit_post(2, "1.1.1.1")  # another reader on the same IP: the IP's third post
    with pytest.raises(RateLimited):
        limiter.hit_post(3, "1.1.1.1")
    limiter.hit_post(3, "3.3.3.3")  # the refused attempt above consumed nothing for reader 3


def test_bad_limit_strings_fail_at_start_up():
    with pytest.raises(ValueError, match="bad rate limit"):
        PostLimiter(LimitSettings(per_reader="lots"))


def test_settings_from_environment():
    s = LimitSettings.from_env(
        {
            "NEWSPORTAL_COMMENT_LIMIT_READER": "1/minute",
            "NEWSPORTAL_COMMENT_LIMITS_URL": "redis://127.0.0.1:6379/0",
        }
    )
    assert (s.per_reader, s.storage_url, s.per_ip) == (
        "1/minute",
        "redis://127.0.0.1:6379/0",
        LimitSettings().per_ip,
    )


@pytest.mark.redis
def test_redis_storage_is_shared_between_limiters():
    need_redis()
    settings = LimitSettings(
        per_reader="2/hour", storage_url=REDIS_URL, prefix=f"nptest-{uuid.uuid4().hex[:8]}"
    )
    one, two = PostLimiter(settings), PostLimiter(settings)
    try:
        one.hit_post(7, "4.4.4.4")
        two.hit_post(7, "4.4.4.4")
        with pytest.raises(RateLimited):
            one.hit_post(7, "4.4.4.4")
    finally:
        one.reset()


def test_posting_service_refuses_and_stores_nothing(tmp_path_factory):
    store, dispose = make_store("sqlite", tmp_path_factory)
    try:
        env = build_env(store, limits=LimitSettings(per_reader="2/day", per_ip="100/day"))
        r = env.reader()
        env.comments.post(r, env.article, "第一条。", "5.5.5.5", later(1))
        env.comments.post(r, env.article, "第二条。", "5.5.5.5", later(3))
        with pytest.raises(RateLimited) as info:
            env.comments.post(r, env.article, "第三条。", "5.5.5.5", later(5))
        assert "发表跟贴过于频繁" in info.value.message_zh
        assert env.comments.my_comments(r)[1] == 2
    finally:
        dispose()
