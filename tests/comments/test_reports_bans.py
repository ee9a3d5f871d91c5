from datetime import datetime, timedelta

import pytest

from newsportal.comments.bans import active_ban, ensure_not_banned, is_active, lift_ban, new_ban
from newsportal.comments.moderation import (
    CommentState,
    Mode,
    ModerationError,
    Reason,
    approve,
    delete_by_author,
    new_comment,
)
from newsportal.comments.reports import (
    ReportState,
    TargetKind,
    decide_report,
    file_report,
    outcome_for_reporter,
    uphold_comment_report,
)

T0 = datetime(2026, 12, 2, 8, 0, 0)
REPORTER, AUTHOR, MOD = 5, 7, 101


def expect(code, fn, *args, **kw):
    with pytest.raises(ModerationError) as info:
        fn(*args, **kw)
    assert info.value.code == code
    return info.value


def comment():
    return approve(new_comment(30, 9, AUTHOR, T0, mode=Mode.PRE_REVIEW, show_now=False), MOD, T0)


def test_report_on_comment_upheld_removes_comment_and_tells_reporter():
    r = file_report(1, REPORTER, "comment", 30, "辱骂攻击", T0, target_author_id=AUTHOR)
    assert r.state is ReportState.PENDING and r.reason is Reason.ABUSE
    assert outcome_for_reporter(r) == "已收到你对这条跟贴的举报（辱骂攻击），正在处理。"
    r2, c = uphold_comment_report(r, comment(), MOD, T0 + timedelta(hours=1), note="已核实")
    assert r2.state is ReportState.UPHELD and r2.decided_by == MOD
    assert c.state is CommentState.REJECTED and c.removal.reason is Reason.ABUSE
    assert outcome_for_reporter(r2) == "举报属实，这条跟贴已删除。感谢你的举报。说明：已核实"


def test_uphold_on_already_deleted_comment_keeps_it_deleted():
    deleted = delete_by_author(comment(), AUTHOR, T0)
    r = file_report(1, REPORTER, TargetKind.COMMENT, 30, Reason.AD, T0, target_author_id=AUTHOR)
    r2, c = uphold_comment_report(r, deleted, MOD, T0)
    assert r2.state is ReportState.UPHELD and c.state is CommentState.DELETED


def test_report_on_article_dismissed():
    r = file_report(2, REPORTER, "article", 9, Reason.RUMOUR, T0, note="数据与官方通报不符")
    r2 = decide_report(r, MOD, upheld=False, now=T0, note="数据来源可靠")
    assert outcome_for_reporter(r2) == "经核查，这条文章暂未发现违规。说明：数据来源可靠"
    expect("report_decided", decide_report, r2, MOD, upheld=True, now=T0)
    expect("wrong_target", uphold_comment_report, r, comment(), MOD, T0)


def test_report_refusals():
    expect("own_comment", file_report, 1, AUTHOR, "comment", 30, Reason.AD, T0, target_author_id=AUTHOR)
    expect("bad_target", file_report, 1, REPORTER, "reader", 30, Reason.AD, T0)
    expect("bad_reason", file_report, 1, REPORTER, "comment", 30, "不喜欢", T0)
    expect("note_required", file_report, 1, REPORTER, "comment", 30, Reason.OTHER, T0)
    first = file_report(1, REPORTER, "comment", 30, Reason.AD, T0, target_author_id=AUTHOR)
    err = expect(
        "duplicate_report", file_report, 2, REPORTER, "comment", 30, Reason.ABUSE, T0, existing=[first]
    )
    assert "已举报过" in err.message_zh
    # The same id on an article is a different target.
    on_article = file_report(3, REPORTER, "article", 30, Reason.AD, T0, existing=[first])
    assert on_article.target_kind is TargetKind.ARTICLE


def test_ban_with_end_date_blocks_until_it_ends():
    ban = new_ban(AUTHOR, MOD, T0, T0 + timedelta(days=3), "辱骂攻击")
    assert is_active(ban, T0 + timedelta(days=1))
    err = expect("banned", ensure_not_banned, [ban], AUTHOR, T0 + timedelta(days=1))
    # 2026-12-05 08:00 UTC is 16:00 in Beijing.
    assert "2026-12-05 16:00:00" in err.message_zh and "辱骂攻击" in err.message_zh
    ensure_not_banned([ban], AUTHOR, T0 + timedelta(days=3))
    ensure_not_banned([ban], REPORTER, T0 + timedelta(days=1))


def test_longest_active_ban_wins_and_lifting_ends_it_early():
    short = new_ban(AUTHOR, MOD, T0, T0 + timedelta(days=1), Reason.AD)
    long = new_ban(AUTHOR, MOD, T0, T0 + timedelta(days=30), Reason.ABUSE)
    assert active_ban([short, long], AUTHOR, T0 + timedelta(hours=1)) is long
    lifted = lift_ban(long, MOD, T0 + timedelta(hours=2))
    assert lifted.effective_end == T0 + timedelta(hours=2)
    assert active_ban([short, lifted], AUTHOR, T0 + timedelta(hours=3)) is short
    assert active_ban([short, lifted], AUTHOR, T0 + timedelta(days=2)) is None
    expect("ban_not_active", lift_ban, lifted, MOD, T0 + timedelta(hours=3))


def test_ban_refusals():
    expect("bad_ban_end", new_ban, AUTHOR, MOD, T0, T0, Reason.AD)
    expect("note_required", new_ban, AUTHOR, MOD, T0, T0 + timedelta(days=1), Reason.OTHER)
