"""The comment services announce each committed change of what readers see, and only those.

The article page carries the 跟贴 count and is cached (in the app and in nginx), so every way a comment
becomes shown or stops being shown must be heard; a held post, a rejected pending one or a like is not.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from newsportal.comments.moderation import ModerationError
from newsportal.comments.signals import CommentCountChanged, CommentSignals
from newsportal.store.reader_accounts import ReaderAccount
from tests.comments.conftest import T0, later


@pytest.fixture
def heard(env) -> list[int]:
    """Article ids announced by either service of ``env`` (each has its own signals there)."""
    seen: list[int] = []

    def note(event: CommentCountChanged) -> None:
        seen.append(event.article_id)

    env.comments.signals.count_changed.connect(note)
    env.moderation.signals.count_changed.connect(note)
    return seen


def normal_reader(env, heard: list[int]) -> ReaderAccount:
    """A reader of ten days with three approved comments: shown at once under 发后审 (heard is cleared)."""
    author = env.reader("老读者", at=T0 - timedelta(days=10))
    for i, text in enumerate(("图书馆的新书架很宽敞。", "自习室的灯光很柔和。", "借书机排队不用等了。")):
        c = env.comments.post(author, env.other_article, text, "1.2.3.4", T0 - timedelta(days=9 - i))
        env.moderation.approve(c.id, 101, T0 - timedelta(days=9 - i, hours=-1))
    heard.clear()
    return author


def test_a_held_post_is_not_heard_and_its_approval_is(env, heard):
    author = env.reader()
    c = env.comments.post(author, env.article, "公交开进新区，老人看病方便多了。", "1.2.3.4", later(1))
    assert not c.visible and heard == []
    env.moderation.approve(c.id, 101, later(2))
    assert heard == [env.article]
    env.moderation.reject(c.id, 101, "ad", later(3))  # taken down after approval: the count drops
    assert heard == [env.article, env.article]


def test_rejecting_a_pending_comment_changes_nothing_readers_see(env, heard):
    c = env.comments.post(env.reader(), env.article, "新线路的首班车几点发？", "1.2.3.4", later(1))
    env.moderation.reject(c.id, 101, "off_topic", later(2))
    assert heard == []


def test_a_refused_step_announces_nothing(env, heard):
    c = env.comments.post(env.reader(), env.article, "希望晚上也多开几班。", "1.2.3.4", later(1))
    env.moderation.approve(c.id, 101, later(2))
    heard.clear()
    with pytest.raises(ModerationError):
        env.moderation.approve(c.id, 101, later(3))
    assert heard == []


def test_shown_at_once_then_deleted_by_its_author(env, heard):
    env.moderation.set_thread(env.other_article, mode="post_review")
    author = normal_reader(env, heard)
    c = env.comments.post(author, env.other_article, "周末去图书馆的人一定更多了。", "1.2.3.4", later(1))
    assert c.visible and heard == [env.other_article]
    env.comments.delete_own(author, c.id, later(2))
    assert heard == [env.other_article, env.other_article]


def test_an_overturned_appeal_shows_the_comment_again(env, heard):
    author = env.reader()
    c = env.comments.post(author, env.article, "站点设在医院门口很贴心。", "1.2.3.4", later(1))
    env.moderation.reject(c.id, 101, "off_topic", later(2))
    env.comments.appeal(author, c.id, "评论与公交站点有关。", later(3))
    assert heard == []
    env.moderation.decide_appeal(c.id, 202, overturn=True, now=later(4))
    assert heard == [env.article]


def test_an_upheld_report_takes_the_comment_down_and_is_heard(env, heard):
    env.moderation.set_thread(env.article, mode="post_review")
    c = env.comments.post(normal_reader(env, heard), env.article, "据说票价要翻倍了。", "1.2.3.4", later(1))
    assert c.visible and heard == [env.article]
    report = env.comments.report(env.reader(), "comment", c.id, "rumour", later(2))
    assert heard == [env.article]
    env.moderation.decide_report(report.id, 101, upheld=True, now=later(3), note="票价未调整")
    assert heard == [env.article, env.article] and not env.stores.comments.get(c.id).visible


def test_a_dismissed_report_is_not_heard(env, heard):
    env.moderation.set_thread(env.article, mode="post_review")
    c = env.comments.post(normal_reader(env, heard), env.article, "新车很干净。", "1.2.3.4", later(1))
    assert c.visible
    heard.clear()
    report = env.comments.report(env.reader(), "comment", c.id, "ad", later(2))
    env.moderation.decide_report(report.id, 101, upheld=False, now=later(3))
    assert heard == []


def test_signals_are_per_component():
    one, two = CommentSignals(), CommentSignals()
    seen: list[int] = []
    one.count_changed.connect(lambda e: seen.append(e.article_id))
    two.announce(7)
    one.announce(8)
    assert seen == [8]
