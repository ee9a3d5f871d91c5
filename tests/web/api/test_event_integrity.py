"""The beacon under attack (issue 13): forged readers, bursts from a few places, floods, failures.

Requests come "from" different addresses through a small ASGI wrapper that sets the client address from a
test header, as a proxy-aware server would from X-Forwarded-For.
"""

import uuid

import pytest
from starlette.testclient import TestClient

from newsportal.web.app import create_app
from tests.conftest import BROWSER_UA, REDIS_URL, make_portal, need_redis

TITLES = ["南湖湿地公园迎来首批越冬候鸟", "市图书馆延长周末开放时间", "高铁东站新增五趟夜间列车",
          "本地茶农借助直播拓宽销路", "中学生机器人队赴外省参赛", "老城区完成雨污分流改造",
          "社区食堂推出老年助餐套餐", "江边步道夜间照明全面升级"]
UAS = [BROWSER_UA, BROWSER_UA + " Edg/126", BROWSER_UA + " OPR/110", "Mozilla/5.0 (Macintosh) Safari/605"]


class FromAddress:
    """Test-only: ``x-test-client`` sets the request's client address."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if name == b"x-test-client":
                    scope["client"] = (value.decode(), 40000)
        await self.app(scope, receive, send)


def make_client(portal):
    app = create_app(portal=portal)
    app.add_middleware(FromAddress)
    return TestClient(app, headers={"user-agent": BROWSER_UA})


def publish(portal, n):
    from newsportal.newsroom import save_article
    from tests.conftest import sample_draft

    return [save_article(portal, sample_draft(title=TITLES[i], body_html=f"<p>{TITLES[i]}。记者从有关部门获悉"
                                              f"此事进展，第{i}号稿件详情如下。</p>"),
                         actor="t", publish_now=True)[0].id for i in range(n)]


def beacon(client, article, ip, ua=BROWSER_UA, cookie=None, kind="view"):
    client.cookies.clear()
    if cookie:
        client.cookies.set("np_rid", cookie)
    return client.post("/api/v1/events", json={"article_id": article, "kind": kind},
                       headers={"x-test-client": ip, "user-agent": ua})


def attack(client, article, n, ips):
    """n requests from a few addresses, cycling agents and inventing a new 32-hex reader id each time."""
    answers = []
    for i in range(n):
        r = beacon(client, article, ips[i % len(ips)], UAS[i % len(UAS)], uuid.uuid4().hex)
        assert r.status_code in (200, 429), r.text
        answers.append(r)
    return answers


def organic(client, article, readers, first_block=0):
    """Real readers: each in an address block of their own, keeping the signed cookie the server sets."""
    for k in range(readers):
        r = beacon(client, article, f"100.{64 + (first_block + k) // 250}.{(first_block + k) % 250}.7")
        assert r.status_code == 200 and r.json()["counted"], r.text


@pytest.fixture(params=["embedded", pytest.param("redis", marks=pytest.mark.redis)])
def site(request, store):
    extra = {}
    kw = {}
    if request.param == "redis":
        need_redis()
        prefix = f"nptest:{uuid.uuid4().hex[:10]}:"
        extra = {"redis_prefix": prefix, "beacon_limits_prefix": prefix + "lim"}
        kw = {"redis_url": REDIS_URL}
    portal = make_portal(store, extra=extra, **kw)
    yield portal
    portal.counters.flush()
    if request.param == "redis":
        portal.counters.drop_all()
        import redis

        r = redis.Redis.from_url(REDIS_URL)
        keys = list(r.scan_iter(match=extra["beacon_limits_prefix"] + "*", count=1000))
        if keys:
            r.delete(*keys)
        r.close()
    portal.close()


@pytest.mark.parametrize("burst", [25, 130])
def test_a_burst_from_a_few_readers_and_addresses_stays_out_of_the_hot_list(site, burst):
    ids = publish(site, 6)
    target, others = ids[0], ids[1:]
    with make_client(site) as client:
        for k, aid in enumerate(others):  # an ordinary afternoon: the other articles read widely
            organic(client, aid, 6 + k, first_block=100 * k)
        attack(client, target, burst, ["203.0.113.5", "203.0.113.77", "198.18.4.2", "192.0.2.200"])
        hot = site.hot.ids(10)
        assert target not in hot and set(hot) == set(others)
        body = client.get("/api/v1/hot?limit=5").json()
        assert target not in [c["id"] for c in body]
        # broad organic traffic still moves it in, and to the top
        organic(client, target, 40, first_block=5000)
        assert site.hot.ids(10)[0] == target


def test_forged_ids_are_not_new_readers(site):
    (aid,) = publish(site, 1)
    with make_client(site) as client:
        first = beacon(client, aid, "203.0.113.5", cookie="0" * 32)
        assert first.json()["counted"] is True  # the first event of this browser counts, once
        for _ in range(10):
            r = beacon(client, aid, "203.0.113.5", cookie=uuid.uuid4().hex)
            assert r.json()["counted"] is False and r.json()["reason"] == "repeat"
        assert site.counters.counts(aid) == (1, 0)
        # the id the server issued is a reader of its own: its history starts with this article
        signed = first.headers["set-cookie"].split(";", 1)[0].split("=", 1)[1]
        again = beacon(client, aid, "203.0.113.5", cookie=signed)
        assert again.json()["counted"] is False  # same browser, same article: not counted twice
        client.cookies.set("np_rid", signed)
        history = client.get("/api/v1/me/history").json()["items"]
        assert aid in [c["id"] for c in history]


def test_floods_get_429_before_anything_is_counted(store):
    portal = make_portal(store, event_limit_ip="5/minute", event_limit_reader="100/minute")
    try:
        ids = publish(portal, 8)
        with make_client(portal) as client:
            answers = [beacon(client, aid, "203.0.113.9", UAS[i % 4]) for i, aid in enumerate(ids)]
            assert [r.status_code for r in answers] == [200] * 5 + [429] * 3
            refused = answers[-1]
            assert refused.json()["error"]["code"] == "too_many_requests"
            assert refused.json()["error"]["counted"] is False and int(refused.headers["retry-after"]) >= 1
            assert sum(portal.counters.counts(a)[0] for a in ids) == 5
            assert beacon(client, ids[0], "198.51.100.1").status_code == 200  # another address is fine
    finally:
        portal.close()


def test_a_failure_after_counting_is_not_a_500(portal, monkeypatch):
    (aid,) = publish(portal, 1)
    with make_client(portal) as client:

        def broken(*args, **kwargs):
            raise RuntimeError("history store away")

        monkeypatch.setattr(portal.personal, "record_read", broken)
        monkeypatch.setattr(portal.counters, "counts", broken)
        r = beacon(client, aid, "203.0.113.5")
        assert r.status_code == 200 and r.json() == {"counted": True}  # counted: a retry is not needed
        assert portal.store.stats(aid) == (1, 0)


def test_an_event_that_could_not_be_stored_says_so_and_may_be_retried(portal, monkeypatch):
    (aid,) = publish(portal, 1)
    real = portal.store.add_events
    with make_client(portal) as client:

        def away(*args, **kwargs):
            raise RuntimeError("database away")

        monkeypatch.setattr(portal.store, "add_events", away)
        r = beacon(client, aid, "203.0.113.5")
        assert r.status_code == 200 and r.json()["counted"] is False and r.json()["reason"] == "unavailable"
        monkeypatch.setattr(portal.store, "add_events", real)
        retry = beacon(client, aid, "203.0.113.5")
        assert retry.json()["counted"] is True and portal.store.stats(aid) == (1, 0)
