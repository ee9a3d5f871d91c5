"""The whole life of a comment through the services and the store, on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest

from newsportal.comments.moderation import AppealState, CommentState, ModerationError, Reason
from newsportal.comments.reports import ReportState
from newsportal.store.comments_common import Duplicate
from tests.comments.conftest import T0, later


def test_review_first_reject_appeal_overturned_by_another_moderator(env):
    author, other = env.reader("甲"), env.reader("乙")
    c = env.comments.post(author, env.article, "公交线路开通后，上班方便了许多。", "1.2.3.4", later(1))
    assert (c.state, c.visible, c.mode.value, c.nickname) == (
        CommentState.PENDING,
        False,
        "pre_review",
        author.nickname,
    )
    assert env.comments.section(env.article, later(2)).count == 0  # 先审后发: nobody else sees it yet
    mine, _ = env.comments.my_comments(author)
    assert mine[0].status_zh == "审核中，通过后对他人可见"

    rejected = env.moderation.reject(c.id, 101, "off_topic", later(3))
    assert (rejected.state, rejected.removal.moderator_id, rejected.removal.reason) == (
        CommentState.REJECTED,
        101,
        Reason.OFF_TOPIC,
    )
    mine, _ = env.comments.my_comments(author)
    assert mine[0].status_zh == "未通过审核（原因：无关内容），可申诉一次"

    with pytest.raises(ModerationError) as not_author:
        env.comments.appeal(other, c.id, "替别人申诉", later(4))
    assert not_author.value.code == "not_author"
    appealed = env.comments.appeal(author, c.id, "我说的是公交线路，和文章有关。", later(4))
    assert appealed.appeal.state is AppealState.PENDING
    with pytest.raises(ModerationError) as twice:
        env.comments.appeal(author, c.id, "再申诉一次", later(5))
    assert twice.value.code == "appeal_used" and "只能申诉一次" in twice.value.message_zh
    assert [q.comment.id for q in env.moderation.queue("appeals")[0]] == [c.id]

    with pytest.raises(ModerationError) as same:
        env.moderation.decide_appeal(c.id, 101, overturn=True, now=later(6))
    assert same.value.code == "same_moderator"
    assert env.stores.comments.get(c.id).appeal.state is AppealState.PENDING  # nothing half-written

    restored = env.moderation.decide_appeal(c.id, 202, overturn=True, now=later(7), note="与文章相关")
    assert (restored.state, restored.visible, restored.appeal.decided_by) == (
        CommentState.APPROVED,
        True,
        202,
    )
    assert env.comments.section(env.article, later(8)).count == 1
    assert env.comments.my_comments(author)[0][0].status_zh == "已发布（申诉成功，已恢复）"
    trail = [(e.actor, e.action) for e in env.moderation.history(c.id)]
    assert trail == [
        (f"reader:{author.id}", "posted_held"),
        ("moderator:101", "rejected"),
        (f"reader:{author.id}", "appealed"),
        ("moderator:202", "appeal_overturned"),
    ]


def test_approve_then_take_down_and_appeal_upheld(env):
    author = env.reader()
    c = env.comments.post(author, env.article, "图书馆延长开放，学生们有福了。", "1.2.3.4", later(1))
    approved = env.moderation.approve(c.id, 101, later(2))
    assert approved.visible and approved.state is CommentState.APPROVED
    with pytest.raises(ModerationError) as again:
        env.moderation.approve(c.id, 101, later(3))
    assert again.value.code == "not_pending"
    with pytest.raises(ModerationError) as note_needed:
        env.moderation.reject(c.id, 101, "其他", later(3))
    assert note_needed.value.code == "note_required"
    removed = env.moderation.reject(c.id, 101, "广告引流", later(4), note="含推广内容")
    assert removed.removal.after_approval and not removed.visible
    env.comments.appeal(author, c.id, "没有推广。", later(5))
    upheld = env.moderation.decide_appeal(c.id, 303, overturn=False, now=later(6), note="经复核维持")
    assert upheld.state is CommentState.REJECTED and upheld.appeal.state is AppealState.UPHELD
    assert env.comments.my_comments(author)[0][0].status_zh == (
        "已被删除（原因：广告引流，含推广内容），申诉未通过：经复核维持"
    )


def test_post_review_path_shows_at_once_for_a_reader_in_good_standing(env):
    env.moderation.set_channel_mode(env.channel, "发后审")
    regular = env.reader("老读者", at=T0 - timedelta(days=40))
    for i in range(3):  # three approved comments make a 普通 reader, who skips the wait under 发后审
        c = env.comments.post(
            regular, env.other_article, f"第{i}条看法：服务越来越好。", "1.2.3.4", later(i * 5)
        )
        env.moderation.approve(c.id, 101, later(i * 5 + 1))
    assert env.comments.grade(regular, later(20)).value == "normal"
    shown = env.comments.post(regular, env.article, "希望夜间也能加开班次。", "1.2.3.4", later(30))
    assert (shown.state, shown.shown_before_review, shown.visible) == (CommentState.PENDING, True, True)
    assert env.comments.section(env.article, later(31)).count == 1
    assert env.comments.my_comments(regular)[0][0].status_zh == "已发布，审核中"
    # reviewed afterwards: a take-down hides it and tells the author it was removed
    taken = env.moderation.reject(shown.id, 101, "rumour", later(32))
    assert not taken.visible and env.comments.section(env.article, later(33)).count == 0
    assert env.comments.my_comments(regular)[0][0].status_zh.startswith("已被删除（原因：谣言）")

    newcomer = env.reader("新人")
    held = env.comments.post(newcomer, env.article, "第一次留言。", "1.2.3.4", later(40))
    assert not held.visible  # a new reader waits even under 发后审

    flagged = env.comments.post(regular, env.article, "加微信 haihe_bus88 领乘车券", "1.2.3.4", later(50))
    assert not flagged.visible and "contact_wechat" in [f.code for f in flagged.flags]
    assert "含微信号：haihe_bus88" in [f.detail_zh for f in flagged.flags]  # named reason for the moderator


def test_article_thread_mode_overrides_channel(env):
    env.moderation.set_channel_mode(env.channel, "post_review")
    env.moderation.set_thread(env.article, mode="pre_review")
    c = env.comments.post(env.reader(), env.article, "讲得很好。", "1.2.3.4", later(1))
    assert c.mode.value == "pre_review"
    env.moderation.set_thread(env.article, clear_mode=True)
    c2 = env.comments.post(env.reader(), env.article, "支持。", "1.2.3.4", later(2))
    assert c2.mode.value == "post_review"


def test_report_upheld_removes_comment_and_every_reporter_sees_the_outcome(env):
    author, r1, r2 = env.reader("作者"), env.reader("举报甲"), env.reader("举报乙")
    c = env.comments.post(author, env.article, "这条线路是骗人的。", "1.2.3.4", later(1))
    env.moderation.approve(c.id, 101, later(2))
    first = env.comments.report(r1, "comment", c.id, "rumour", later(3), note="散布不实信息")
    env.comments.report(r2, "comment", c.id, "谣言", later(4))
    assert env.comments.my_reports(r1)[0][0].outcome_zh == "已收到你对这条跟贴的举报（谣言），正在处理。"
    queue, total = env.moderation.queue("reported")
    assert total == 1 and len(queue[0].reports) == 2

    decided = env.moderation.decide_report(first.id, 101, upheld=True, now=later(5), note="核实为不实信息")
    assert {d.report.state for d in decided} == {ReportState.UPHELD} and len(decided) == 2
    gone = env.stores.comments.get(c.id)
    assert gone.state is CommentState.REJECTED and gone.removal.reason is Reason.RUMOUR
    for reporter in (r1, r2):
        assert env.comments.my_reports(reporter)[0][0].outcome_zh == (
            "举报属实，这条跟贴已删除。感谢你的举报。说明：核实为不实信息"
        )
    assert env.moderation.queue("reported")[1] == 0
    with pytest.raises(ModerationError) as done:
        env.moderation.decide_report(first.id, 202, upheld=False, now=later(6))
    assert done.value.code == "report_decided"
    assert env.comments.record(author, later(7)).upheld_reports == 1


def test_report_dismissed_and_article_report(env):
    author, reporter = env.reader(), env.reader()
    c = env.comments.post(author, env.article, "服务不错。", "1.2.3.4", later(1))
    env.moderation.approve(c.id, 101, later(2))
    rep = env.comments.report(reporter, "comment", c.id, "abuse", later(3))
    env.moderation.decide_report(rep.id, 101, upheld=False, now=later(4))
    assert env.stores.comments.get(c.id).visible
    assert env.comments.my_reports(reporter)[0][0].outcome_zh == "经核查，这条跟贴暂未发现违规。"
    art = env.comments.report(reporter, "article", env.article, "off_topic", later(5), note="标题与内容不符")
    assert art.report.target_kind.value == "article"
    assert env.moderation.report_queue("article")[1] == 1


def test_like_once_per_reader(env):
    author, fan = env.reader(), env.reader()
    c = env.comments.post(author, env.article, "赞一个。", "1.2.3.4", later(1))
    env.moderation.approve(c.id, 101, later(2))
    assert env.comments.like(fan, c.id, later(3)) == 1
    with pytest.raises(Duplicate) as twice:
        env.comments.like(fan, c.id, later(4))
    assert twice.value.message_zh == "你已经赞过这条跟贴了。"
    assert env.stores.comments.get(c.id).likes == 1
    assert env.comments.like(author, c.id, later(5)) == 2
    assert env.stores.comments.liked_by(fan.id, [c.id]) == {c.id}


def test_author_deletes_own_comment(env):
    author, other = env.reader(), env.reader()
    c = env.comments.post(author, env.article, "先发一条。", "1.2.3.4", later(1))
    env.moderation.approve(c.id, 101, later(2))
    with pytest.raises(ModerationError) as not_mine:
        env.comments.delete_own(other, c.id, later(3))
    assert not_mine.value.code == "not_author"
    deleted = env.comments.delete_own(author, c.id, later(3))
    assert deleted.state is CommentState.DELETED and not deleted.visible
    assert env.comments.my_comments(author)[0][0].status_zh == "已由你删除"


def test_deleted_account_comments_stay_as_deleted_user(env):
    author, reader = env.reader("将注销"), env.reader()
    c = env.comments.post(author, env.article, "留下一条跟贴。", "1.2.3.4", later(1))
    env.moderation.approve(c.id, 101, later(2))
    env.comments.like(author, c.id, later(3))
    env.comments.report(author, "article", env.other_article, "off_topic", later(4))
    signed = env.readers.log_in(author.login, "海河晨报2026", "1.2.3.4", later(5))
    env.readers.delete_account(author, "海河晨报2026", later(6))
    kept = env.stores.comments.get(c.id)
    assert (kept.author_id, kept.nickname, kept.visible, kept.likes) == (None, "已注销用户", True, 1)
    assert env.readers.current(signed.token, later(7)) is None
    assert env.readers.accounts.by_login(author.login) is None
    page = env.comments.thread_page(env.article, later(8))
    assert page.items[0].top.nickname == "已注销用户"
    # the login is free again, for a brand-new account
    again = env.readers.sign_up(author.login, "新账号", "海河晨报2026", later(9))
    assert again.id != author.id and env.comments.my_comments(again)[1] == 0
    assert env.comments.like(reader, c.id, later(10)) == 2


def test_ban_with_end_date_blocks_posting_until_lifted(env):
    reader = env.reader()
    ban = env.moderation.ban(reader.id, 101, later(1), later(60 * 24), "abuse")
    with pytest.raises(ModerationError) as banned:
        env.comments.post(reader, env.article, "我又来了。", "1.2.3.4", later(2))
    assert banned.value.code == "banned" and "禁言" in banned.value.message_zh
    assert env.comments.grade(reader, later(2)).value == "restricted"
    env.moderation.lift_ban(ban.id, 202, later(3))
    with pytest.raises(ModerationError):
        env.moderation.lift_ban(ban.id, 202, later(4))
    assert env.comments.post(reader, env.article, "我又来了。", "1.2.3.4", later(5)).id > 0
    assert env.moderation.bans_of(reader.id)[0].ban.lifted_by == 202
