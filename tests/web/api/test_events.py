"""The view/share beacon: counted once per reader, bots skipped, bad events refused, never on the loop."""

from datetime import datetime

import pytest

from newsportal.web.context import web_context
from tests.conftest import BROWSER_UA
from tests.web.api.helpers import assert_error


def test_events_count_once_per_reader_and_skip_bots(portal, client):
    from newsportal.newsroom import save_article
    from tests.conftest import sample_draft

    a, _ = save_article(portal, sample_draft(), actor="t", publish_now=True)
    first = client.post("/api/v1/events", json={"article_id": a.id, "kind": "view"})
    assert first.status_code == 200 and first.json() == {"counted": True, "views": 1, "shares": 0}
    assert "np_rid" in client.cookies  # a signed id, set by the server
    again = client.post("/api/v1/events", json={"article_id": a.id, "kind": "view"})
    assert again.json() == {"counted": False, "reason": "repeat", "views": 1, "shares": 0}
    share = client.post("/api/v1/events", json={"article_id": a.id, "kind": "share", "target": "wechat"})
    assert share.json() == {"counted": True, "views": 1, "shares": 1}
    bot = client.post(
        "/api/v1/events", json={"article_id": a.id, "kind": "view"}, headers={"user-agent": "Baiduspider/2.0"}
    )
    assert bot.json()["counted"] is False and bot.json()["reason"] == "bot"
    # a made-up id is no new reader: this browser (same address block and agent) was counted already
    client.cookies.clear()
    client.cookies.set("np_rid", "a" * 32)
    forged = client.post("/api/v1/events", json={"article_id": a.id, "kind": "view"})
    assert forged.json()["counted"] is False and forged.json()["views"] == 1
    issued = forged.headers["set-cookie"].split(";", 1)[0].split("=", 1)[1]
    assert issued.count(".") == 1 and not issued.startswith("a" * 32)  # it got a real, signed id instead
    # another browser (another agent) is another reader
    client.cookies.clear()
    other = client.post("/api/v1/events", json={"article_id": a.id, "kind": "view"},
                        headers={"user-agent": BROWSER_UA + " Edg/126"})
    assert other.json()["counted"] is True and other.json()["views"] == 2
    assert portal.store.stats(a.id) == (2, 1)  # durable before the reply: no flush needed
    # the live count shows on the (re-rendered) page
    web_context(client.app).pages.purge_all()
    assert '<span id="share-count">1</span>' in client.get(f"/article/{a.id}").text


@pytest.mark.parametrize(
    "body, status",
    [
        ({"article_id": 999999, "kind": "view"}, 404),
        ({"article_id": "1", "kind": "view"}, 422),
        ({"article_id": 1, "kind": "like"}, 422),
        ({"article_id": 1}, 422),
        ({"article_id": 1, "kind": "share", "target": "x" * 100}, 422),
        ({"article_id": -5, "kind": "view"}, 422),
    ],
)
def test_bad_events_are_refused_and_not_counted(client, portal, body, status):
    assert_error(client.post("/api/v1/events", json=body), status)
    assert portal.counters.flush() == 0 and portal.store.events_since(datetime(2000, 1, 1)) == []


def test_counting_runs_off_the_event_loop(portal, client, monkeypatch):
    """Counting may wait on Redis: it must run in the threadpool, leaving the loop to serve pages."""
    import asyncio

    from newsportal.newsroom import save_article
    from tests.conftest import sample_draft

    a, _ = save_article(portal, sample_draft(), actor="t", publish_now=True)
    on_loop = []

    def watch(name):
        real = getattr(portal.counters, name)

        def spy(*args, **kwargs):
            try:
                asyncio.get_running_loop()
                on_loop.append(name)
            except RuntimeError:  # no running loop in this thread: a worker thread
                pass
            return real(*args, **kwargs)

        monkeypatch.setattr(portal.counters, name, spy)

    watch("record_durable")
    watch("counts")
    r = client.post("/api/v1/events", json={"article_id": a.id, "kind": "view"})
    assert r.status_code == 200 and r.json()["counted"] is True
    assert on_loop == []
