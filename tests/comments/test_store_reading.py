"""Reading comments back: 热门/最新, threads with quotes, pagination, counts, moderation queue filters."""

from datetime import timedelta

import pytest

from newsportal.comments.moderation import Mode
from newsportal.comments.prechecks import Flag
from newsportal.store.comments import NewComment, QueueFilter
from tests.comments.conftest import later


def shown(env, author, article, text, minute, **kw):
    c = env.stores.comments.insert(
        NewComment(article, author.id, text, "广东", Mode.PRE_REVIEW, show_now=False, **kw), later(minute)
    )
    env.moderation.approve(c.id, 101, later(minute))
    return env.stores.comments.get(c.id)


def test_hot_latest_count_and_thread_page_with_quotes(env):
    a, b, fans = env.reader("甲"), env.reader("乙"), [env.reader(f"粉{i}") for i in range(4)]
    old = shown(env, a, env.article, "早上的老评论", 0)
    new = shown(env, b, env.article, "中午的新评论", 60 * 12)
    top3 = shown(env, a, env.article, "第三条", 60 * 12 + 1)
    reply = shown(env, b, env.article, "回复老评论", 60 * 12 + 2, root_id=old.id)
    reply2 = shown(env, a, env.article, "回复那条回复", 60 * 12 + 3, root_id=old.id, quoted_id=reply.id)
    for f in fans:
        env.comments.like(f, old.id, later(1))
    env.comments.like(fans[0], new.id, later(60 * 12))
    env.comments.like(fans[1], new.id, later(60 * 12))
    now = later(60 * 12 + 5)
    # 4 likes 12 hours ago (two half-lives) weigh 1; 2 fresh likes weigh 2: the newer comment is hotter
    assert [c.id for c in env.stores.comments.hot(env.article, now)] == [new.id, old.id]
    assert [c.id for c in env.stores.comments.latest(env.article, limit=3)] == [reply2.id, reply.id, top3.id]
    section = env.comments.section(env.article, now)
    assert section.count == 5 and not section.closed and section.hot[0].ip_label == "广东"
    assert env.stores.comments.counts([env.article, env.other_article]) == {
        env.article: 5,
        env.other_article: 0,
    }

    page = env.comments.thread_page(env.article, now, per_page=2)
    assert (page.total, page.pages, [t.top.id for t in page.items]) == (3, 2, [top3.id, new.id])
    last = env.comments.thread_page(env.article, now, page=2, per_page=2)
    assert [t.top.id for t in last.items] == [old.id]
    replies = last.items[0].replies
    assert [r.comment.id for r in replies] == [reply.id, reply2.id]
    assert replies[1].quoted.id == reply.id and replies[0].quoted is None
    hot_page = env.comments.thread_page(env.article, now, order="hot")
    assert [t.top.id for t in hot_page.items] == [new.id, old.id]
    # the quoted reply is removed: the quote goes missing rather than showing removed text
    env.moderation.reject(reply.id, 101, "abuse", later(60 * 13))
    again = env.comments.thread_page(env.article, now, page=2, per_page=2).items[0].replies
    assert [r.comment.id for r in again] == [reply2.id] and again[0].quoted_missing


def test_reply_to_a_reply_is_attached_to_the_top_and_quotes_it(env):
    a, b, c = env.reader(), env.reader(), env.reader()
    top = env.comments.post(a, env.article, "顶层跟贴。", "1.2.3.4", later(1))
    env.moderation.approve(top.id, 101, later(2))
    r1 = env.comments.post(b, env.article, "回复顶层。", "1.2.3.4", later(3), reply_to=top.id)
    assert (r1.root_id, r1.quoted_id) == (top.id, None)
    env.moderation.approve(r1.id, 101, later(4))
    r2 = env.comments.post(c, env.article, "回复那条回复。", "1.2.3.4", later(5), reply_to=r1.id)
    assert (r2.root_id, r2.quoted_id) == (top.id, r1.id)


def test_reader_history_and_record(env):
    a = env.reader()
    first = env.comments.post(a, env.article, "一模一样的话", "1.2.3.4", later(1))
    env.moderation.reject(first.id, 101, "ad", later(2))
    again = env.comments.post(a, env.article, "一模一样的话", "1.2.3.4", later(5))
    assert "repeat_exact" in [f.code for f in again.flags]
    fast = env.comments.post(a, env.article, "紧接着又一条", "1.2.3.4", later(5) + timedelta(seconds=3))
    assert "too_fast" in [f.code for f in fast.flags]
    assert isinstance(fast.flags[0], Flag)
    env.moderation.add_banned_word("刷单", "t", later(6))
    worded = env.comments.post(a, env.article, "兼职刷 单日结", "1.2.3.4", later(9))
    assert "含违禁词「刷单」" in [f.detail_zh for f in worded.flags]
    assert env.stores.comments.decided_counts(a.id) == (0, 1)
    rows, total = env.comments.my_comments(a, per_page=2)
    assert total == 4 and [r.comment.id for r in rows] == [worded.id, fast.id]


def test_queue_filters(env):
    a, b, reporter = env.reader(), env.reader(), env.reader()
    p1 = env.comments.post(a, env.article, "甲的待审", "1.2.3.4", later(1))
    p2 = env.comments.post(b, env.other_article, "乙的待审", "1.2.3.4", later(2))
    ok = env.comments.post(b, env.article, "乙的已通过", "1.2.3.4", later(3))
    env.moderation.approve(ok.id, 101, later(4))
    env.comments.report(reporter, "comment", ok.id, "ad", later(5))
    ids = lambda status, **kw: [q.comment.id for q in env.moderation.queue(status, **kw)[0]]  # noqa: E731
    assert ids("pending") == [p1.id, p2.id]
    assert ids("pending", article_id=env.article) == [p1.id]
    assert ids("pending", author_id=b.id) == [p2.id]
    assert ids("reported") == [ok.id]
    assert ids("all", author_id=b.id) == [p2.id, ok.id]
    assert env.moderation.pending_total() == 2
    with pytest.raises(ValueError):
        QueueFilter("nonsense")


def test_like_counts_are_exact_under_many_readers(env):
    a = env.reader()
    c = shown(env, a, env.article, "欢迎点赞", 0)
    fans = [env.reader() for _ in range(6)]
    for i, f in enumerate(fans):
        assert env.comments.like(f, c.id, later(1 + i)) == i + 1
    assert env.stores.comments.get(c.id).likes == 6


def test_ip_label_resolved_once_by_the_bundled_database(backend, tmp_path_factory):
    from newsportal.geo import GeoSettings, make_locator
    from tests.comments.conftest import build_env
    from tests.conftest import make_store

    store, dispose = make_store(backend, tmp_path_factory)
    try:
        env = build_env(store, locator=make_locator(GeoSettings(backend="ip2region")))
        r = env.reader()
        assert env.comments.post(r, env.article, "来自深圳。", "202.96.134.133", later(1)).ip_label == "广东"
        assert env.comments.post(r, env.article, "来自海外。", "8.8.8.8", later(3)).ip_label == "美国"
        assert env.comments.post(r, env.article, "内网。", "10.0.0.1", later(5)).ip_label == "未知"
    finally:
        dispose()


def test_one_like_per_reader_is_a_database_rule(env):
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm import Session

    from newsportal.store.tables_comments import CommentLikeRow

    a, fan = env.reader(), env.reader()
    c = shown(env, a, env.article, "数据库约束", 0)
    env.comments.like(fan, c.id, later(1))
    with Session(env.store.engine) as s, pytest.raises(IntegrityError):
        s.add(CommentLikeRow(comment_id=c.id, reader_id=fan.id, created_at=later(2)))
        s.commit()
    assert env.stores.comments.get(c.id).likes == 1


def test_operator_approves_by_id_or_account(env):
    pending = env.reader(verified=False)
    assert env.readers.approve(pending.id, "newsroom:7", later(1)).may_post
    other = env.reader(verified=False)
    refused = env.readers.refuse(other, "newsroom:7", later(1), "资料不全")
    assert (refused.verification.value, refused.verification_note) == ("refused", "资料不全")
