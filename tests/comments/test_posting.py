from datetime import datetime, timedelta

import pytest

from newsportal.comments.bans import new_ban
from newsportal.comments.credit import Grade, ReaderRecord
from newsportal.comments.moderation import (
    Mode,
    ModerationError,
    Reason,
    ThreadSettings,
    is_visible,
    new_comment,
)
from newsportal.comments.posting import prepare_post
from newsportal.comments.prechecks import BannedWords, PriorComment, Routing
from newsportal.comments.text import CommentRejected

NOW = datetime(2026, 12, 2, 12, 0, 0)
READER = 7
VETERAN = ReaderRecord(NOW - timedelta(days=400), approved=300, rejected=1)
NEWCOMER = ReaderRecord(NOW - timedelta(days=1))


def prepare(text, *, thread=None, channel_mode=None, record=VETERAN, history=(), bans=()):
    return prepare_post(
        text,
        reader_id=READER,
        thread=thread or ThreadSettings(article_id=1),
        channel_mode=channel_mode,
        record=record,
        history=list(history),
        bans=list(bans),
        banned_words=BannedWords(["刷单"]),
        now=NOW,
    )


def test_trusted_reader_clean_comment_shown_at_once_but_still_pending():
    p = prepare("  讲得很透彻。 ")
    assert (p.text, p.mode, p.grade, p.show_now) == ("讲得很透彻。", Mode.PRE_REVIEW, Grade.EXCELLENT, True)
    comment = new_comment(1, 1, READER, NOW, mode=p.mode, show_now=p.show_now)
    assert is_visible(comment)


def test_new_reader_waits_for_review_under_review_first():
    p = prepare("讲得很透彻。", record=NEWCOMER)
    assert p.grade is Grade.NEW and not p.show_now


def test_flagged_comment_held_even_for_trusted_reader_with_named_reason():
    p = prepare("找我刷单", channel_mode=Mode.POST_REVIEW)
    assert p.checks.routing is Routing.HOLD_FOR_REVIEW and not p.show_now
    assert p.checks.flags[0].detail_zh == "含违禁词「刷单」"


def test_post_review_thread_shows_normal_reader():
    record = ReaderRecord(NOW - timedelta(days=10), approved=5)
    p = prepare("同意作者观点", thread=ThreadSettings(article_id=1, mode=Mode.POST_REVIEW), record=record)
    assert p.grade is Grade.NORMAL and p.show_now


def test_refusals_in_order_closed_then_banned_then_text():
    closed = ThreadSettings(article_id=1, closed=True)
    ban = new_ban(READER, 100, NOW - timedelta(hours=1), NOW + timedelta(days=1), Reason.ABUSE)
    with pytest.raises(ModerationError) as info:
        prepare("", thread=closed, bans=[ban])
    assert info.value.code == "thread_closed"
    with pytest.raises(ModerationError) as info:
        prepare("", bans=[ban])
    assert info.value.code == "banned"
    with pytest.raises(CommentRejected) as text_info:
        prepare("   ")
    assert text_info.value.code == "whitespace_only"


def test_history_feeds_the_prechecks():
    p = prepare("讲得很透彻。", history=[PriorComment("讲得很透彻", NOW - timedelta(seconds=2))])
    assert p.checks.codes == ("repeat_exact", "too_fast") and not p.show_now
