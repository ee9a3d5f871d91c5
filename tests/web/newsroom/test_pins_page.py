"""Top-story pins per channel from the article page: an editor pins a live article in a section channel,
unpins it, and both are audited; drafts and unknown channels are refused in Chinese. (That a pin leads the
channel's module on reader pages is shown by test_pins_lead_the_channel_module in tests/web/api.)"""

from __future__ import annotations

from newsportal.store.audit import AuditFilter
from tests.web.newsroom.harness import make_article


def test_an_editor_pins_and_unpins_a_live_article_from_its_page(nr):
    aid = make_article(nr, "editor", title="老街区改造后首个周末客流回升")
    draft_pin = nr.post("editor", f"/newsroom/articles/{aid}/pin", {"channel": "domestic"})
    assert draft_pin.status_code == 400 and "只有已发布的稿件可以置顶" in draft_pin.text
    assert nr.post("editor", f"/newsroom/articles/{aid}/action", {"command": "publish"}).status_code == 303
    page = nr.clients["editor"].get(f"/newsroom/articles/{aid}").text
    assert "频道置顶" in page and '<option value="domestic">' in page  # sections, not only the top level
    no_channel = nr.post("editor", f"/newsroom/articles/{aid}/pin", {"channel": "no-such"})
    assert no_channel.status_code == 400 and "请选择要置顶的频道" in no_channel.text
    r = nr.post("editor", f"/newsroom/articles/{aid}/pin", {"channel": "domestic", "hours": "6"})
    assert r.status_code == 303
    domestic = nr.portal.channels.by_slug("domestic")
    assert nr.portal.store.pins()[domestic.id][0] == aid
    assert f"已在「{domestic.name}」置顶" in nr.clients["editor"].get(f"/newsroom/articles/{aid}").text
    assert nr.post("reporter", f"/newsroom/articles/{aid}/pin", {"channel": "domestic"}).status_code == 403
    r = nr.post("editor", f"/newsroom/articles/{aid}/pin", {"channel": "domestic", "op": "unpin"})
    assert r.status_code == 303
    assert aid not in nr.portal.store.pins().get(domestic.id, [])
    entries = nr.svc.audit.log.query(AuditFilter(target_kind="article", target_id=str(aid)), limit=50)
    pins = [e.detail.get("op") for e in reversed(entries) if e.action == "article.pin"]
    assert pins == ["pin", "unpin"]
    assert all(e.actor_name == "李责编" for e in entries if e.action == "article.pin")
