"""The number of SQL statements one post costs, pinned so it cannot silently regrow (SQLite and PostgreSQL).

Posting reads one snapshot in four queries (article with settings and the reader's record; bans; the
pre-check history; banned words) and writes two rows (the comment and its first audit line); see
``newsportal/store/comment_posting.py``. Counted with SQLAlchemy's ``before_cursor_execute`` event, which
sees every statement sent to the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from newsportal.comments.moderation import ModerationError, ThreadSettings
from newsportal.comments.text import CommentRejected
from newsportal.store.comments_common import RowMissing
from tests.comments.conftest import later

#: Four reads and two inserts, for a comment and for a reply alike.
POST_STATEMENTS = 6


@contextmanager
def counted(engine) -> Iterator[list[str]]:
    """Every statement the engine sends while the block runs."""
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def _kinds(statements: list[str]) -> list[str]:
    return [s.lstrip().split(None, 1)[0].upper() for s in statements]


def test_a_post_and_a_reply_cost_four_reads_and_two_inserts(env):
    author, other = env.reader("甲"), env.reader("乙")
    engine = env.store.engine
    env.stores.settings.add_banned_word("违禁", "editor", later(0))
    # a record to read: comments in the repeat window, decided ones, a ban that has ended
    for n in range(12):
        c = env.comments.post(author, env.article, f"第 {n} 条关于公交线路的看法。", "1.2.3.4", later(n))
        if n % 3 == 0:
            env.moderation.approve(c.id, 101, later(n + 0.5))
    parent = env.comments.post(other, env.article, "末班车也延后了吗？", "5.6.7.8", later(20))
    env.moderation.approve(parent.id, 101, later(21))

    with counted(engine) as top:
        posted = env.comments.post(author, env.article, "换乘站的指引还不够清楚。", "1.2.3.4", later(30))
    assert _kinds(top) == ["SELECT"] * 4 + ["INSERT"] * 2, top
    assert len(top) == POST_STATEMENTS

    with counted(engine) as reply:
        answered = env.comments.post(
            author, env.article, "延后到十一点了。", "1.2.3.4", later(31), reply_to=parent.id
        )
    assert len(reply) == POST_STATEMENTS, reply
    # what came back is what a fresh read gives: nothing was lost by not reading the rows again
    assert env.stores.comments.get(posted.id) == posted
    assert env.stores.comments.get(answered.id) == answered
    assert (answered.root_id, answered.quoted_id, answered.nickname) == (parent.id, None, author.nickname)
    with counted(engine) as nested:  # a reply to a reply: same root, the reply quoted
        quoting = env.comments.post(
            author, env.article, "补充：周末也是。", "1.2.3.4", later(32), reply_to=answered.id
        )
    assert len(nested) == POST_STATEMENTS, nested
    assert (quoting.root_id, quoting.quoted_id) == (parent.id, answered.id)


def test_the_count_does_not_grow_with_the_readers_history(env):
    author = env.reader("丙")
    env.comments.post(author, env.article, "第一条跟贴。", "1.2.3.4", later(0))
    with counted(env.store.engine) as few:
        env.comments.post(author, env.article, "第二条跟贴，说说票价。", "1.2.3.4", later(1))
    for n in range(30):
        env.comments.post(author, env.other_article, f"图书馆第 {n} 次延长开放。", "1.2.3.4", later(2 + n))
    with counted(env.store.engine) as many:
        env.comments.post(author, env.article, "第三十三条，说说站台。", "1.2.3.4", later(40))
    assert len(few) == len(many) == POST_STATEMENTS


@pytest.mark.parametrize(
    ("case", "error", "code"),
    [
        ("no_article", RowMissing, "no_article"),
        ("closed", ModerationError, "thread_closed"),
        ("whitespace", CommentRejected, "whitespace_only"),
        ("no_parent", RowMissing, "no_parent"),
    ],
)
def test_a_refused_post_reads_at_most_the_snapshot_and_writes_nothing(env, case, error, code):
    author = env.reader("丁")
    article, text, reply_to = env.article, "一条正常的跟贴。", None
    if case == "no_article":
        article = 987654
    elif case == "closed":
        env.stores.settings.save_thread(ThreadSettings(env.article, closed=True))
    elif case == "whitespace":
        text = "   "
    else:
        reply_to = 987654
    with counted(env.store.engine) as seen, pytest.raises(error) as refused:
        env.comments.post(author, article, text, "1.2.3.4", later(1), reply_to=reply_to)
    assert refused.value.code == code and refused.value.message_zh
    assert set(_kinds(seen)) == {"SELECT"} and len(seen) <= 4, seen
    assert env.stores.comments.by_reader(author.id) == ([], 0)
