"""WorkflowStore: workflow rows, editors' optimistic changes, the scheduler's claim, corrections."""

from __future__ import annotations

from datetime import timedelta

import pytest

from newsportal.store.workflow import (
    DueItem,
    UnknownArticle,
    WorkflowConflict,
    WorkflowRecord,
    WorkflowStore,
)
from tests.newsroom_rows import T0, add_articles

DUE = T0 + timedelta(hours=1)


@pytest.fixture
def wf(store) -> WorkflowStore:
    return WorkflowStore(store.engine)


def _schedule(wf, article_id, when=DUE, **kw):
    wf.ensure(article_id, now=T0)
    return wf.set_status(
        article_id,
        expect_state="draft",
        state="scheduled",
        scheduled_at=when,
        now=T0,
        approved_by_user_id=3,
        approved_by_name="刘静",
        **kw,
    )


def test_ensure_creates_a_draft_once(wf, store):
    (aid,) = add_articles(store.engine)
    rec = wf.ensure(aid, now=T0, author_user_id=9)
    assert isinstance(rec, WorkflowRecord) and rec.state == "draft" and rec.author_user_id == 9
    assert wf.ensure(aid, now=T0 + timedelta(days=1), author_user_id=1) == rec
    assert wf.get(aid) == rec
    with pytest.raises(UnknownArticle):
        wf.ensure(99_999_999, now=T0)


def test_set_status_checks_the_expected_state(wf, store):
    (aid,) = add_articles(store.engine)
    wf.ensure(aid, now=T0)
    rec = wf.set_status(aid, expect_state="draft", state="submitted", now=T0, submitted_by_user_id=9)
    assert rec.state == "submitted" and rec.submitted_by_user_id == 9 and rec.approved_by_name is None
    with pytest.raises(WorkflowConflict) as err:
        wf.set_status(aid, expect_state="draft", state="submitted", now=T0)
    assert "刷新" in err.value.message
    back = wf.set_status(aid, expect_state="submitted", state="returned", reason="导语过长", now=T0)
    assert back.reason == "导语过长" and back.submitted_by_user_id == 9  # unspecified columns are kept
    with pytest.raises(UnknownArticle):
        wf.set_status(99_999_999, expect_state="draft", state="submitted", now=T0)


def test_due_lists_publications_and_live_updates(wf, store):
    a, b, c = add_articles(store.engine, 3)
    _schedule(wf, a)
    _schedule(wf, b, when=DUE + timedelta(hours=5))
    wf.ensure(c, now=T0)
    wf.set_status(c, expect_state="draft", state="published", now=T0)
    wf.set_status(
        c,
        expect_state="published",
        state="published",
        update_at=DUE - timedelta(minutes=30),
        now=T0,
        pending_revision={"title": "更新后的标题"},
    )
    assert wf.due(T0) == []
    assert wf.due(DUE) == [DueItem(c, "update", DUE - timedelta(minutes=30)), DueItem(a, "publish", DUE)]
    assert wf.get(c).pending_revision == {"title": "更新后的标题"}
    assert [r.article_id for r in wf.upcoming()] == [c, a, b]
    assert wf.count_by_state() == {"scheduled": 2, "published": 1}
    assert [r.article_id for r in wf.by_state("scheduled")] and wf.by_state("withdrawn") == []


def test_claim_is_won_once(wf, store):
    (aid,) = add_articles(store.engine)
    _schedule(wf, aid)
    other = WorkflowStore(store.engine)
    assert not wf.claim(aid, "w1", T0)  # not due yet
    assert wf.claim(aid, "w1", DUE)
    assert not other.claim(aid, "w2", DUE + timedelta(seconds=1))
    assert wf.due(DUE) == []  # a live claim hides the row
    with pytest.raises(WorkflowConflict):  # an editor cannot unschedule while it fires
        wf.set_status(aid, expect_state="scheduled", state="submitted", now=DUE)
    assert not other.complete(aid, "w2", state="published", now=DUE)
    assert wf.complete(aid, "w1", state="published", now=DUE)
    rec = wf.get(aid)
    assert (rec.state, rec.scheduled_at, rec.claimed_by, rec.fired_at) == ("published", None, None, DUE)
    assert rec.approved_by_name == "刘静"
    assert not other.claim(aid, "w2", DUE + timedelta(days=1))  # nothing left to fire


def test_stale_claim_can_be_taken_over(store):
    wf = WorkflowStore(store.engine, stale_after=timedelta(minutes=10))
    (aid,) = add_articles(store.engine)
    _schedule(wf, aid)
    assert wf.claim(aid, "crashed", DUE)
    assert not wf.claim(aid, "w2", DUE + timedelta(minutes=10))
    assert wf.due(DUE + timedelta(minutes=11)) == [DueItem(aid, "publish", DUE)]
    assert wf.claim(aid, "w2", DUE + timedelta(minutes=11))
    assert not wf.complete(aid, "crashed", state="published", now=DUE + timedelta(minutes=12))
    assert wf.complete(aid, "w2", state="published", now=DUE + timedelta(minutes=12))


def test_fail_keeps_the_claim_and_release_gives_it_back(wf, store):
    a, b = add_articles(store.engine, 2)
    _schedule(wf, a)
    _schedule(wf, b)
    assert wf.claim(a, "w1", DUE) and wf.claim(b, "w1", DUE)
    assert wf.fail(a, "w1", "ValidationError: 标题为空", now=DUE)
    assert wf.get(a).last_error.startswith("ValidationError") and wf.get(a).claimed_by == "w1"
    assert not wf.fail(a, "w2", "x", now=DUE)
    assert wf.release(b, "w1") and wf.get(b).claimed_by is None
    assert [d.article_id for d in wf.due(DUE + timedelta(minutes=1))] == [b]


def test_pending_revision_and_corrections(wf, store):
    (aid,) = add_articles(store.engine)
    wf.ensure(aid, now=T0)
    wf.set_pending_revision(aid, {"body_html": "<p>新正文</p>"}, now=T0)
    assert wf.get(aid).pending_revision == {"body_html": "<p>新正文</p>"}
    wf.set_pending_revision(aid, None, now=T0)
    assert wf.get(aid).pending_revision is None
    with pytest.raises(UnknownArticle):
        wf.set_pending_revision(99_999_999, None, now=T0)
    second = wf.add_correction(
        aid, "更正：第二段中的日期应为12月1日。", at=T0 + timedelta(days=2), by_name="刘静"
    )
    first = wf.add_correction(
        aid, "更正：标题中的地名有误。", at=T0 + timedelta(days=1), by_user_id=3, by_name="刘静"
    )
    assert wf.corrections(aid) == [first, second]
    assert wf.corrections_for([aid, 424242]) == {aid: [first, second], 424242: []}
    with pytest.raises(UnknownArticle):
        wf.add_correction(99_999_999, "x", at=T0)


def test_overdue_lists_missed_items_until_they_fire(wf, store):
    a, b = add_articles(store.engine, 2)
    _schedule(wf, a)
    _schedule(wf, b, when=DUE + timedelta(hours=2))
    assert wf.overdue(DUE) == []
    late = DUE + timedelta(minutes=30)
    assert [r.article_id for r in wf.overdue(late)] == [a]
    assert wf.claim(a, "w1", late)
    assert [r.article_id for r in wf.overdue(late)] == [a]  # claimed but not fired still counts
    assert wf.complete(a, "w1", state="published", now=late)
    assert wf.overdue(late) == []


def test_page_notes_read_the_approver_and_the_corrections_together(wf, store):
    bare, approved, corrected = add_articles(store.engine, 3)
    assert wf.page_notes(bare) == (None, [])  # no workflow row at all
    wf.ensure(bare, now=T0)
    assert wf.page_notes(bare) == (None, [])  # a row, nobody approved yet
    _schedule(wf, approved)
    assert wf.page_notes(approved) == ("刘静", [])
    late = wf.add_correction(corrected, "更正：第三段的人数应为三十人。", at=T0 + timedelta(days=2),
                             by_name="孙浩")
    early = wf.add_correction(corrected, "更正：标题中的站名有误。", at=T0 + timedelta(days=1),
                              by_user_id=3, by_name="刘静")
    assert wf.page_notes(corrected) == (None, [early, late]) == (None, wf.corrections(corrected))
    _schedule(wf, corrected)
    assert wf.page_notes(corrected) == ("刘静", [early, late])
