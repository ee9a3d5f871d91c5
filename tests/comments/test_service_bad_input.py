"""Every bad input from the issue gets a Chinese message and a 4xx status, and nothing is stored half-way."""

import pytest
from sqlalchemy import func, select

from newsportal.comments.errors import CommentsRefusal, http_status
from newsportal.store.tables_comments import CommentEventRow, CommentLikeRow, CommentRow, ReportRow
from tests.comments.conftest import later
from tests.comments.test_text import HOSTILE


def counts(env):
    with env.store.engine.connect() as conn:
        return tuple(
            conn.scalar(select(func.count()).select_from(t))
            for t in (CommentRow, CommentEventRow, CommentLikeRow, ReportRow)
        )


def refused(env, call, code, status, fragment):
    before = counts(env)
    with pytest.raises(CommentsRefusal) as info:
        call()
    assert info.value.code == code, info.value
    assert fragment in info.value.message_zh
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info.value.message_zh)
    assert http_status(info.value) == status
    assert counts(env) == before


@pytest.mark.parametrize(
    ("text", "code", "fragment"),
    [
        ("", "empty", "不能为空"),
        ("   \n\t  \u3000 ", "whitespace_only", "只有空格"),
        ("\x00\x01\x1b\u200b\u202e", "control_only", "控制字符"),
        ("长" * 501, "too_long", "最多 500 字"),
        (None, "not_text", "必须是文字"),
        (["列表"], "not_text", "必须是文字"),
    ],
)
def test_bad_comment_text(env, text, code, fragment):
    reader = env.reader()
    refused(
        env, lambda: env.comments.post(reader, env.article, text, "1.2.3.4", later(1)), code, 400, fragment
    )


def test_reply_to_deleted_or_other_articles_or_missing_comment(env):
    author, replier = env.reader(), env.reader()
    gone = env.comments.post(author, env.article, "稍后删除。", "1.2.3.4", later(1))
    env.moderation.approve(gone.id, 101, later(2))
    env.comments.delete_own(author, gone.id, later(3))
    elsewhere = env.comments.post(author, env.other_article, "另一篇文章下。", "1.2.3.4", later(4))
    env.moderation.approve(elsewhere.id, 101, later(5))
    post = env.comments.post
    refused(
        env,
        lambda: post(replier, env.article, "回复", "1.2.3.4", later(6), reply_to=gone.id),
        "parent_removed",
        400,
        "已被删除",
    )
    refused(
        env,
        lambda: post(replier, env.article, "回复", "1.2.3.4", later(6), reply_to=elsewhere.id),
        "other_article",
        400,
        "其他文章",
    )
    refused(
        env,
        lambda: post(replier, env.article, "回复", "1.2.3.4", later(6), reply_to=999_999),
        "no_parent",
        404,
        "不存在",
    )
    held = env.comments.post(author, env.article, "还在审核。", "1.2.3.4", later(7))
    refused(
        env,
        lambda: post(replier, env.article, "回复", "1.2.3.4", later(8), reply_to=held.id),
        "no_parent",
        404,
        "不存在",
    )


def test_double_like_and_likes_on_hidden_or_missing_comments(env):
    author, fan = env.reader(), env.reader()
    c = env.comments.post(author, env.article, "好。", "1.2.3.4", later(1))
    refused(env, lambda: env.comments.like(fan, c.id, later(2)), "no_comment", 404, "不存在")  # still pending
    env.moderation.approve(c.id, 101, later(2))
    env.comments.like(fan, c.id, later(3))
    refused(env, lambda: env.comments.like(fan, c.id, later(4)), "already_liked", 409, "已经赞过")
    refused(env, lambda: env.comments.like(fan, 424_242, later(4)), "no_comment", 404, "不存在")


def test_reports_of_missing_targets_own_comment_and_duplicates(env):
    author, reporter = env.reader(), env.reader()
    c = env.comments.post(author, env.article, "好。", "1.2.3.4", later(1))
    env.moderation.approve(c.id, 101, later(2))
    report = env.comments.report
    refused(env, lambda: report(reporter, "comment", 777_777, "ad", later(3)), "no_target", 404, "跟贴不存在")
    refused(env, lambda: report(reporter, "article", 777_777, "ad", later(3)), "no_target", 404, "文章不存在")
    refused(env, lambda: report(reporter, "user", c.id, "ad", later(3)), "bad_target", 400, "只能举报")
    refused(
        env, lambda: report(reporter, "comment", c.id, "不喜欢", later(3)), "bad_reason", 400, "选择一个原因"
    )
    refused(
        env, lambda: report(reporter, "comment", c.id, "other", later(3)), "note_required", 400, "具体说明"
    )
    refused(env, lambda: report(author, "comment", c.id, "ad", later(3)), "own_comment", 403, "自己的跟贴")
    report(reporter, "comment", c.id, "ad", later(3))
    refused(
        env, lambda: report(reporter, "comment", c.id, "abuse", later(4)), "duplicate_report", 409, "已举报过"
    )


def test_closed_thread_unverified_refused_draft_article_and_not_signed_in(env):
    reader = env.reader()
    env.moderation.set_thread(env.article, closed=True)
    post = env.comments.post
    refused(
        env,
        lambda: post(reader, env.article, "关闭后发言", "1.2.3.4", later(1)),
        "thread_closed",
        403,
        "已关闭",
    )
    env.moderation.set_thread(env.article, closed=False)
    assert post(reader, env.article, "重新开放了", "1.2.3.4", later(2)).id > 0

    pending = env.reader(verified=False)
    refused(
        env,
        lambda: post(pending, env.article, "未验证", "1.2.3.4", later(3)),
        "not_verified",
        403,
        "等待身份验证",
    )
    refused(env, lambda: env.comments.like(pending, 1, later(3)), "not_verified", 403, "验证")
    refused(
        env,
        lambda: env.comments.report(pending, "article", env.article, "ad", later(3)),
        "not_verified",
        403,
        "验证",
    )
    refusee = env.reader(verified=False)
    env.readers.refuse(refusee.login, "cli:test-operator", later(3), "资料不符")
    refusee = env.readers.accounts.get(refusee.id)
    refused(
        env,
        lambda: post(refusee, env.article, "被拒", "1.2.3.4", later(4)),
        "verification_refused",
        403,
        "未通过",
    )
    refused(
        env,
        lambda: post(reader, env.draft_article, "草稿", "1.2.3.4", later(4)),
        "no_article",
        404,
        "尚未发布",
    )
    refused(env, lambda: post(reader, 123_456, "不存在", "1.2.3.4", later(4)), "no_article", 404, "不存在")
    refused(env, lambda: env.readers.require("forged-token", later(4)), "not_signed_in", 401, "请先登录")
    refused(env, lambda: env.readers.require_verified(None, later(4)), "not_signed_in", 401, "请先登录")


def test_bad_moderation_input(env):
    reader = env.reader()
    c = env.comments.post(reader, env.article, "待审。", "1.2.3.4", later(1))
    m = env.moderation
    refused(env, lambda: m.reject(c.id, 101, "不喜欢", later(2)), "bad_reason", 400, "选择一个原因")
    refused(
        env, lambda: m.reject(c.id, 101, "ad", later(2), note="长" * 201), "note_too_long", 400, "最多 200 字"
    )
    refused(env, lambda: m.approve(9_999_999, 101, later(2)), "no_comment", 404, "不存在")
    refused(
        env,
        lambda: m.decide_appeal(c.id, 202, overturn=True, now=later(2)),
        "no_pending_appeal",
        409,
        "没有待处理",
    )
    refused(env, lambda: m.decide_report(9_999, 101, upheld=True, now=later(2)), "no_report", 404, "不存在")
    refused(env, lambda: m.ban(reader.id, 101, later(2), later(1), "abuse"), "bad_ban_end", 400, "晚于现在")
    refused(env, lambda: m.set_thread(env.article, mode="随便"), "bad_mode", 400, "先审后发")
    refused(env, lambda: m.queue("whatever"), "bad_filter", 400, "筛选条件")
    refused(env, lambda: m.add_banned_word("  ...  ", "t", later(2)), "bad_word", 400, "无法匹配")
    m.add_banned_word("刷单", "t", later(2))
    refused(env, lambda: m.add_banned_word("刷单", "t", later(3)), "word_exists", 409, "已在词表中")
    refused(env, lambda: m.remove_banned_word("没有这个"), "no_word", 404, "没有")
    refused(env, lambda: env.comments.appeal(reader, c.id, "申诉", later(4)), "not_removed", 409, "才能申诉")


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_corpus_in_every_comment_field(env, hostile):
    """Comment text, appeal, report note, moderator note and nickname keep hostile input as inert text."""
    author, reporter = env.reader(), env.reader()
    try:
        c = env.comments.post(author, env.article, hostile, "1.2.3.4", later(1))
    except CommentsRefusal as exc:  # e.g. only invisible characters: refused with a message, never a crash
        assert exc.message_zh
        return
    stored = env.stores.comments.get(c.id)
    assert stored.text == c.text and "\x00" not in stored.text and "\u202e" not in stored.text
    env.moderation.approve(c.id, 101, later(2))
    rep = env.comments.report(reporter, "comment", c.id, "other", later(3), note=hostile[:200])
    assert env.stores.reports.get(rep.id).report.note == rep.report.note
    env.moderation.reject(c.id, 101, "other", later(4), note=hostile[:200])
    env.comments.appeal(author, c.id, hostile[:300], later(5))
    final = env.stores.comments.get(c.id)
    assert final.removal.note and final.appeal.text
    reply = env.comments.post(reporter, env.article, hostile + "（回复）", "1.2.3.4", later(6))
    assert reply.text.endswith("（回复）")


def test_hostile_nickname_and_login_are_refused_or_cleaned(env):
    from newsportal.comments.errors import BadInput

    for i, hostile in enumerate(HOSTILE):
        with pytest.raises(BadInput) as info:
            env.readers.sign_up(f"{hostile}@example.cn", "读者", "海河晨报2026", later(1))
        assert info.value.message_zh
        try:
            account = env.readers.sign_up(f"hostile{i}@example.cn", hostile[:20], "海河晨报2026", later(1))
        except BadInput as exc:
            assert exc.code in ("bad_nickname", "reserved_nickname")
        else:
            assert "<" not in account.nickname and ">" not in account.nickname


def test_bad_thread_page_requests(env):
    t = env.comments.thread_page
    refused(env, lambda: t(env.article, later(1), page=0), "bad_page", 400, "正整数")
    refused(env, lambda: t(env.article, later(1), order="random"), "bad_order", 400, "排序")
    refused(env, lambda: t(env.draft_article, later(1)), "no_article", 404, "尚未发布")
    assert t(env.article, later(1), page=5).items == ()
