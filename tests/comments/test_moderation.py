from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from newsportal.comments.moderation import (
    AppealState,
    CommentState,
    Mode,
    ModerationError,
    Reason,
    ThreadSettings,
    approve,
    close_thread,
    decide_appeal,
    delete_by_author,
    effective_mode,
    ensure_open,
    file_appeal,
    is_visible,
    new_comment,
    reject,
    reopen_thread,
    status_for_author,
)

T0 = datetime(2026, 12, 2, 8, 0, 0)
AUTHOR, OTHER_READER = 7, 8
MOD_A, MOD_B = 101, 102


def at(minutes):
    return T0 + timedelta(minutes=minutes)


def posted(mode=Mode.PRE_REVIEW, show_now=False):
    return new_comment(1, 50, AUTHOR, T0, mode=mode, show_now=show_now)


def expect(code, fn, *args, **kw):
    with pytest.raises(ModerationError) as info:
        fn(*args, **kw)
    assert info.value.code == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info.value.message_zh)
    return info.value


def test_reasons_have_the_fixed_chinese_labels():
    labels = ["广告引流", "辱骂攻击", "违法违规", "色情低俗", "谣言", "无关内容", "其他"]
    assert [r.label_zh for r in Reason] == labels
    assert Reason.parse("谣言") is Reason.RUMOUR
    assert Reason.parse("ad") is Reason.AD
    expect("bad_reason", Reason.parse, "看不顺眼")


def test_modes_default_to_review_first():
    assert effective_mode(None, None) is Mode.PRE_REVIEW
    assert effective_mode(None, Mode.POST_REVIEW) is Mode.POST_REVIEW
    assert effective_mode(Mode.PRE_REVIEW, Mode.POST_REVIEW) is Mode.PRE_REVIEW
    assert Mode.PRE_REVIEW.label_zh == "先审后发" and Mode.POST_REVIEW.label_zh == "发后审"


def test_pre_review_comment_hidden_until_approved():
    c = posted()
    assert c.state is CommentState.PENDING and not is_visible(c)
    assert status_for_author(c) == "审核中，通过后对他人可见"
    c = approve(c, MOD_A, at(1))
    assert c.state is CommentState.APPROVED and is_visible(c)
    assert [e.action for e in c.events] == ["posted_held", "approved"]
    assert c.events[-1].actor == f"moderator:{MOD_A}"


def test_post_review_comment_shown_at_once_then_reviewed():
    c = posted(Mode.POST_REVIEW, show_now=True)
    assert is_visible(c)
    assert status_for_author(c) == "已发布，审核中"
    c = reject(c, MOD_A, Reason.ABUSE, at(5))
    assert not is_visible(c)
    assert status_for_author(c) == "已被删除（原因：辱骂攻击），可申诉一次"


def test_full_life_removal_appeal_overturned_by_another_moderator():
    c = approve(posted(), MOD_A, at(1))
    c = reject(c, MOD_A, "广告引流", at(2), note="带外链")
    assert c.state is CommentState.REJECTED
    assert c.removal is not None and c.removal.reason is Reason.AD and c.removal.moderator_id == MOD_A
    assert c.removal.after_approval
    assert status_for_author(c) == "已被删除（原因：广告引流，带外链），可申诉一次"
    c = file_appeal(c, AUTHOR, "  这不是广告，只是引用了官方网站。 ", at(3))
    assert c.appeal is not None and c.appeal.text == "这不是广告，只是引用了官方网站。"
    assert status_for_author(c).endswith("申诉处理中")
    expect("same_moderator", decide_appeal, c, MOD_A, overturn=True, now=at(4))
    c = decide_appeal(c, MOD_B, overturn=True, now=at(5), note="引用官网属正常")
    assert c.state is CommentState.APPROVED and is_visible(c)
    assert c.appeal.state is AppealState.OVERTURNED and c.appeal.decided_by == MOD_B
    assert status_for_author(c) == "已发布（申诉成功，已恢复）"
    actions = ["posted_held", "approved", "removed", "appealed", "appeal_overturned"]
    assert [e.action for e in c.events] == actions


def test_appeal_upheld_keeps_comment_removed_and_cannot_be_repeated():
    c = reject(posted(), MOD_A, Reason.ABUSE, at(1))
    c = file_appeal(c, AUTHOR, "我没有骂人", at(2))
    c = decide_appeal(c, MOD_B, overturn=False, now=at(3), note="含人身攻击词语")
    assert c.state is CommentState.REJECTED and c.appeal.state is AppealState.UPHELD
    assert not c.removal.after_approval and status_for_author(c).startswith("未通过审核（原因：辱骂攻击）")
    assert status_for_author(c).endswith("申诉未通过：含人身攻击词语")
    expect("appeal_used", file_appeal, c, AUTHOR, "再申诉一次", at(4))
    expect("no_pending_appeal", decide_appeal, c, MOD_B, overturn=True, now=at(5))


def test_appeal_only_once_even_after_restoration_and_removal_again():
    c = reject(posted(), MOD_A, Reason.RUMOUR, at(1))
    c = file_appeal(c, AUTHOR, "有出处", at(2))
    c = decide_appeal(c, MOD_B, overturn=True, now=at(3))
    c = reject(c, MOD_B, Reason.RUMOUR, at(4), note="出处已被辟谣")
    expect("appeal_used", file_appeal, c, AUTHOR, "还是有出处", at(5))


def test_illegal_transitions_have_chinese_errors():
    c = approve(posted(), MOD_A, at(1))
    expect("not_pending", approve, c, MOD_A, at(2))
    expect("not_removed", file_appeal, c, AUTHOR, "理由", at(2))
    expect("no_pending_appeal", decide_appeal, c, MOD_B, overturn=True, now=at(2))
    rejected = reject(posted(), MOD_A, Reason.AD, at(1))
    expect("not_pending", approve, rejected, MOD_B, at(2))
    expect("cannot_reject", reject, rejected, MOD_B, Reason.AD, at(2))
    expect("not_author", file_appeal, rejected, OTHER_READER, "理由", at(2))
    expect("appeal_empty", file_appeal, rejected, AUTHOR, " \u200b ", at(2))
    expect("note_too_long", file_appeal, rejected, AUTHOR, "长" * 301, at(2))
    expect("note_required", reject, posted(), MOD_A, Reason.OTHER, at(1))
    expect("note_too_long", reject, posted(), MOD_A, Reason.AD, at(1), note="长" * 201)
    expect("bad_reason", reject, posted(), MOD_A, "nonsense", at(1))


def test_other_reason_with_note_is_accepted():
    c = reject(posted(), MOD_A, Reason.OTHER, at(1), note="重复刷屏")
    assert c.removal.note == "重复刷屏"


def test_author_deletes_own_comment_from_any_state():
    for c in (posted(), approve(posted(), MOD_A, at(1)), reject(posted(), MOD_A, Reason.AD, at(1))):
        deleted = delete_by_author(c, AUTHOR, at(2))
        assert deleted.state is CommentState.DELETED and not is_visible(deleted)
        assert status_for_author(deleted) == "已由你删除"
        expect("already_deleted", delete_by_author, deleted, AUTHOR, at(3))
    expect("not_author", delete_by_author, posted(), OTHER_READER, at(1))
    deleted = delete_by_author(posted(), AUTHOR, at(1))
    expect("cannot_reject", reject, deleted, MOD_A, Reason.AD, at(2))
    expect("not_pending", approve, deleted, MOD_A, at(2))


def test_appeal_decision_refused_when_comment_was_deleted_meanwhile():
    c = file_appeal(reject(posted(), MOD_A, Reason.AD, at(1)), AUTHOR, "理由", at(2))
    c = delete_by_author(c, AUTHOR, at(3))
    expect("not_removed", decide_appeal, c, MOD_B, overturn=True, now=at(4))


def test_transitions_do_not_mutate_the_input():
    c = posted()
    approve(c, MOD_A, at(1))
    assert c.state is CommentState.PENDING and len(c.events) == 1


def test_closed_thread_refuses_posting_and_reopens():
    t = ThreadSettings(article_id=50)
    ensure_open(t)
    closed = close_thread(t)
    err = expect("thread_closed", ensure_open, closed)
    assert "跟贴已关闭" in err.message_zh
    ensure_open(reopen_thread(closed))


def test_thread_mode_override():
    t = ThreadSettings(article_id=50, mode=Mode.POST_REVIEW)
    assert effective_mode(t.mode, Mode.PRE_REVIEW) is Mode.POST_REVIEW
    assert effective_mode(replace(t, mode=None).mode, None) is Mode.PRE_REVIEW


def test_notes_from_untyped_input():
    assert reject(posted(), MOD_A, Reason.AD, at(1), note=None).removal.note == ""
    expect("bad_note", reject, posted(), MOD_A, Reason.AD, at(1), note=42)
    expect("bad_reason", reject, posted(), MOD_A, None, at(1))
