"""定时更新 from the article page: an editor schedules new text for a live article at a Beijing time (or
cancels it); the in-server scheduler swaps it in exactly once, the article never leaves 已发布, and the
publish flow's ArticleSaved fires once for the swap (no second "published")."""

from __future__ import annotations

from datetime import timedelta

from newsportal.domain import ArticleStatus
from newsportal.store.audit import AuditFilter
from newsportal.timeutil import to_beijing
from tests.web.newsroom.harness import make_article

NEW = {"title": "跨江大桥夜间限行延长一周", "summary": "限行时间调整。",
       "body_html": "<p>大桥夜间限行延长至下周日，公交线路照常运行。</p>"}


def _local(nr, **delta: float) -> str:
    return to_beijing(nr.clock() + timedelta(**delta)).strftime("%Y-%m-%dT%H:%M")


def _live(nr, title: str) -> int:
    aid = make_article(nr, "editor", title=title, body="<p>大桥今晚起夜间限行。</p>")
    r = nr.post("editor", f"/newsroom/articles/{aid}/action", {"command": "publish"})
    assert r.status_code == 303, r.text
    assert nr.portal.store.get_article(aid).status is ArticleStatus.PUBLISHED
    return aid


def _audit(nr, aid: int) -> list[str]:
    page = nr.svc.audit.log.query(AuditFilter(target_kind="article", target_id=str(aid)), limit=100, offset=0)
    return [e.action for e in reversed(page)]


def _schedule(nr, role: str, aid: int, **over: str):
    revision = str(nr.portal.store.get_article(aid).revision)
    return nr.post(role, f"/newsroom/articles/{aid}/schedule-update",
                   {**NEW, "revision": revision, "update_at": _local(nr, hours=2), **over})


def test_the_article_page_offers_a_scheduled_update_labelled_in_beijing_time(nr):
    aid = _live(nr, "跨江大桥今晚起夜间限行")
    page = nr.clients["editor"].get(f"/newsroom/articles/{aid}")
    assert page.status_code == 200
    assert "定时更新已发布的稿件" in page.text and "更新生效时间（北京时间）" in page.text
    assert f'action="/newsroom/articles/{aid}/schedule-update"' in page.text
    # a reporter has no 定时 right: no form, and a forged post is refused by the role matrix
    assert "定时更新已发布的稿件" not in nr.clients["reporter"].get(f"/newsroom/articles/{aid}").text
    assert _schedule(nr, "reporter", aid).status_code == 403


def test_bad_input_is_refused_in_chinese_and_keeps_what_was_typed(nr):
    aid = _live(nr, "跨江大桥限行首日")
    past = _schedule(nr, "editor", aid, update_at=_local(nr, hours=-1))
    assert past.status_code == 400 and "已过" in past.text and "北京时间" in past.text
    assert NEW["title"] in past.text and "公交线路照常运行" in past.text
    both = _schedule(nr, "editor", aid, title="", update_at="明天下午")
    assert both.status_code == 400 and "请填写标题" in both.text and "无法识别的时间" in both.text
    assert "公交线路照常运行" in both.text and "明天下午" in both.text
    empty = _schedule(nr, "editor", aid, update_at="")
    assert empty.status_code == 400 and "请填写定时更新的时间（北京时间）" in empty.text
    stale = _schedule(nr, "editor", aid, revision="99")
    assert stale.status_code == 409 and "没有保存" in stale.text and NEW["title"] in stale.text
    record = nr.svc.workflow.get(aid)
    assert record.update_at is None and record.pending_revision is None
    assert "article.schedule_update" not in _audit(nr, aid)


def test_the_scheduler_swaps_the_text_once_and_the_article_stays_live(nr):
    aid = _live(nr, "跨江大桥夜间限行")
    saved = []
    receiver = nr.portal.signals.article_saved.connect(
        lambda e: saved.append(e) if e.article.id == aid else None)
    try:
        r = _schedule(nr, "editor", aid)
        assert r.status_code == 303 and r.headers["location"].endswith("done=schedule_update")
        live = nr.portal.store.get_article(aid)
        assert live.title == "跨江大桥夜间限行" and live.status is ArticleStatus.PUBLISHED
        page = nr.clients["editor"].get(f"/newsroom/articles/{aid}").text
        assert "定时更新" in page and "（北京时间） 生效" in page and NEW["title"] in page
        assert saved == []  # scheduling writes nothing readers see
        slug = live.slug
        reader = nr.clients["anonymous"].get(f"/a/{slug}.html")
        assert reader.status_code == 200 and "跨江大桥夜间限行" in reader.text

        scheduler = nr.portal.newsroom.scheduler
        assert scheduler.run_due(nr.clock() + timedelta(hours=1), "worker-a").fired == ()
        due = nr.clock() + timedelta(hours=2, minutes=1)
        assert [f.article_id for f in scheduler.run_due(due, "worker-a").fired] == [aid]
        assert scheduler.run_due(due + timedelta(minutes=1), "worker-b").fired == ()  # never twice

        assert len(saved) == 1, saved
        event = saved[0]
        assert event.previous.status is ArticleStatus.PUBLISHED
        assert event.article.status is ArticleStatus.PUBLISHED
        assert event.article.title == NEW["title"]
        after = nr.portal.store.get_article(aid)
        assert after.status is ArticleStatus.PUBLISHED and after.revision == live.revision + 1
        assert after.published_at == live.published_at  # an update, not a second publication
        record = nr.svc.workflow.get(aid)
        assert record.state == "published" and record.update_at is None and record.pending_revision is None
        trail = _audit(nr, aid)
        assert trail.count("article.schedule_update") == 1 and trail.count("article.update_scheduled") == 1
        assert trail.count("article.publish") == 1
        reader = nr.clients["anonymous"].get(f"/a/{after.slug}.html")
        assert reader.status_code == 200 and NEW["title"] in reader.text
    finally:
        nr.portal.signals.article_saved.disconnect(receiver)


def test_a_scheduled_update_can_be_cancelled_and_then_never_fires(nr):
    aid = _live(nr, "跨江大桥夜间限行取消")
    assert _schedule(nr, "editor", aid).status_code == 303
    page = nr.clients["chief_editor"].get(f"/newsroom/articles/{aid}").text
    assert "取消定时更新" in page and "修改定时更新" in page
    assert nr.post("reporter", f"/newsroom/articles/{aid}/cancel-update").status_code == 403
    r = nr.post("chief_editor", f"/newsroom/articles/{aid}/cancel-update")
    assert r.status_code == 303 and r.headers["location"].endswith("done=cancel_update")
    record = nr.svc.workflow.get(aid)
    assert record.update_at is None and record.pending_revision is None
    assert _audit(nr, aid)[-2:] == ["article.schedule_update", "article.cancel_update"]
    assert nr.portal.newsroom.scheduler.run_due(nr.clock() + timedelta(hours=3), "worker-a").fired == ()
    assert nr.portal.store.get_article(aid).title == "跨江大桥夜间限行取消"
    again = nr.post("chief_editor", f"/newsroom/articles/{aid}/cancel-update")
    assert again.status_code == 400 and "没有待生效的定时更新" in again.text


def test_unknown_articles_are_the_chinese_404(nr):
    for path in ("/newsroom/articles/999999/schedule-update", "/newsroom/articles/999999/cancel-update",
                 "/newsroom/articles/abc/schedule-update"):
        r = nr.post("editor", path, {**NEW, "update_at": _local(nr, hours=1)})
        assert r.status_code == 404 and "页面不存在（404）" in r.text, path
