"""Comments (跟贴): saving, reading in 热门/最新 order with replies, the moderation queue, likes and counts.

State changes go through :meth:`CommentStore.transition`: the row is locked, turned into the pure
:class:`~newsportal.comments.moderation.Comment`, the rule function is applied, and the new state plus the
events it appended are written in the same transaction. A rule that refuses (``ModerationError``) leaves the
row untouched, so there is never a decision without its audit line or an audit line without its decision.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Select, bindparam, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from newsportal.comments.moderation import AppealState, Comment, CommentState, Event
from newsportal.comments.prechecks import PriorComment
from newsportal.comments.ranking import Page, Thread, build_threads, hot_order, paginate
from newsportal.store.base import read_engine_of
from newsportal.store.comment_posting import PostContext, insert_comment, read_post_context
from newsportal.store.comment_rows import (
    CommentRecord,
    NewComment,
    QueueFilter,
    page_args,
    record_from_row,
    select_records,
    to_comment,
    write_comment,
)
from newsportal.store.comments_common import (
    MAX_PER_PAGE,
    Duplicate,
    RowMissing,
    Sessions,
    session_factory,
    transaction,
)
from newsportal.store.tables_comments import (
    CommentEventRow,
    CommentLikeRow,
    CommentRow,
    ReaderAccountRow,
    ReportRow,
)

__all__ = ["CommentRecord", "NewComment", "QueueFilter", "CommentStore", "to_comment", "write_comment"]

_NO_COMMENT = "这条跟贴不存在。"
#: The hot list ranks at most this many of an article's most-liked comments (plus as many recent ones).
HOT_CANDIDATES = 200


#: the 跟贴 count an article page shows, built once (the page's other reads are in ``article_reads``)
_VISIBLE_COUNT = select(func.count()).where(CommentRow.article_id == bindparam("aid"),
                                            CommentRow.visible.is_(True))


class CommentStore:
    def __init__(self, source: Sessions) -> None:
        self._sessions = session_factory(source)
        bind = self._sessions.kw.get("bind")
        self._reads = read_engine_of(bind) if isinstance(bind, Engine) else None

    def _records(self, s: Session, stmt: Select[Any]) -> list[CommentRecord]:
        return [record_from_row(row, nick, deleted) for row, nick, deleted in s.execute(stmt)]

    # -- writing -------------------------------------------------------------------------------------
    def insert(self, new: NewComment, now: datetime) -> CommentRecord:
        """Save a prepared comment and its first audit line in one transaction."""
        with transaction(self._sessions) as s:
            author = s.get(ReaderAccountRow, new.author_id)
            return insert_comment(
                s, new, now, author.nickname if author else None, author.deleted_at if author else None
            )

    def post(
        self,
        reader_id: int,
        article_id: int,
        now: datetime,
        decide: Callable[[PostContext], NewComment],
        *,
        since: datetime,
        lookback: int,
        reply_to: int | None = None,
    ) -> CommentRecord:
        """One post in one transaction: the snapshot (four reads), the caller's rules on it, two inserts.

        ``decide`` raises to refuse (nothing is written) or says what to save; see :mod:`.comment_posting`.
        """
        with transaction(self._sessions) as s:
            ctx = read_post_context(
                s, reader_id, article_id, since=since, lookback=lookback, reply_to=reply_to
            )
            return insert_comment(s, decide(ctx), now, ctx.nickname, ctx.deleted_at)

    def transition(self, comment_id: int, step: Callable[[Comment], Comment]) -> CommentRecord:
        """Apply a pure moderation rule to the locked comment and persist state and audit atomically."""
        with transaction(self._sessions) as s:
            row = s.get(CommentRow, comment_id, with_for_update=True)
            if row is None:
                raise RowMissing("no_comment", _NO_COMMENT)
            before = to_comment(row)
            after = step(before)
            write_comment(s, row, after, after.events[len(before.events) :])
            s.flush()
        return self.get(comment_id)

    def like(self, comment_id: int, reader_id: int, now: datetime) -> int:
        """One like per reader (the primary key says so); a second raises :class:`Duplicate`. New count."""
        try:
            with transaction(self._sessions) as s:
                row = s.get(CommentRow, comment_id, with_for_update=True)
                if row is None or not row.visible:
                    raise RowMissing("no_comment", _NO_COMMENT)
                if s.get(CommentLikeRow, (comment_id, reader_id)) is not None:
                    raise Duplicate("already_liked", "你已经赞过这条跟贴了。")
                s.add(CommentLikeRow(comment_id=comment_id, reader_id=reader_id, created_at=now))
                s.flush()
                s.execute(
                    update(CommentRow).where(CommentRow.id == comment_id).values(likes=CommentRow.likes + 1)
                )
                return int(s.scalar(select(CommentRow.likes).where(CommentRow.id == comment_id)) or 0)
        except IntegrityError:
            raise Duplicate("already_liked", "你已经赞过这条跟贴了。") from None

    # -- reading one ---------------------------------------------------------------------------------
    def get(self, comment_id: int) -> CommentRecord:
        with self._sessions() as s:
            found = self._records(s, select_records().where(CommentRow.id == comment_id))
            if not found:
                raise RowMissing("no_comment", _NO_COMMENT)
            return found[0]

    def events(self, comment_id: int) -> list[Event]:
        """The audit trail, oldest first, for the moderator's view of the thread."""
        with self._sessions() as s:
            rows = s.scalars(
                select(CommentEventRow)
                .where(CommentEventRow.comment_id == comment_id)
                .order_by(CommentEventRow.at, CommentEventRow.id)
            )
            return [Event(r.at, r.actor, r.action, CommentState(r.state)) for r in rows]

    def liked_by(self, reader_id: int, comment_ids: Iterable[int]) -> set[int]:
        ids = set(comment_ids)
        if not ids:
            return set()
        with self._sessions() as s:
            return set(
                s.scalars(
                    select(CommentLikeRow.comment_id).where(
                        CommentLikeRow.reader_id == reader_id, CommentLikeRow.comment_id.in_(ids)
                    )
                )
            )

    # -- what changed, for other processes -----------------------------------------------------------
    def events_since(self, since: datetime) -> list[tuple[int, int]]:
        """(event id, article id) of every audit line written at or after ``since``, oldest first.

        Every change to which comments readers see writes one in the same transaction, so another server
        process learns from this which articles' cached pages show a stale 跟贴 count.
        """
        with self._sessions() as s:
            rows = s.execute(
                select(CommentEventRow.id, CommentRow.article_id)
                .join(CommentRow, CommentRow.id == CommentEventRow.comment_id)
                .where(CommentEventRow.at >= since)
                .order_by(CommentEventRow.id)
            )
            return [(int(e), int(a)) for e, a in rows]

    # -- reading an article's comments ---------------------------------------------------------------
    def count_visible(self, article_id: int) -> int:
        """Shown comments of one article (replies included): one prepared statement, no session."""
        if self._reads is None:
            return self.counts([article_id]).get(article_id, 0)
        with self._reads.connect() as conn:
            return int(conn.execute(_VISIBLE_COUNT, {"aid": article_id}).scalar() or 0)

    def counts(self, article_ids: Iterable[int]) -> dict[int, int]:
        """Shown comments per article (replies included), for the 跟贴 count beside each article."""
        ids = set(article_ids)
        if not ids:
            return {}
        with self._sessions() as s:
            rows = s.execute(
                select(CommentRow.article_id, func.count())
                .where(CommentRow.article_id.in_(ids), CommentRow.visible.is_(True))
                .group_by(CommentRow.article_id)
            )
            counted = {aid: int(n) for aid, n in rows}
        return {aid: counted.get(aid, 0) for aid in ids}

    def latest(self, article_id: int, limit: int = 10) -> list[CommentRecord]:
        """最新跟贴: the newest shown comments, replies included (they show their quote)."""
        with self._sessions() as s:
            return self._records(
                s,
                select_records()
                .where(CommentRow.article_id == article_id, CommentRow.visible.is_(True))
                .order_by(CommentRow.created_at.desc(), CommentRow.id.desc())
                .limit(max(1, min(limit, MAX_PER_PAGE))),
            )

    def _hot_candidates(
        self, s: Session, article_id: int, min_likes: int, top_level: bool
    ) -> list[CommentRecord]:
        cond = [
            CommentRow.article_id == article_id,
            CommentRow.visible.is_(True),
            CommentRow.likes >= min_likes,
        ]
        if top_level:
            cond.append(CommentRow.root_id.is_(None))
        by_likes = select_records().where(*cond).order_by(CommentRow.likes.desc()).limit(HOT_CANDIDATES)
        by_time = select_records().where(*cond).order_by(CommentRow.created_at.desc()).limit(HOT_CANDIDATES)
        merged = {r.id: r for r in self._records(s, by_likes) + self._records(s, by_time)}
        return list(merged.values())

    def hot(
        self,
        article_id: int,
        now: datetime,
        *,
        limit: int = 10,
        half_life: timedelta = timedelta(hours=6),
        min_likes: int = 1,
    ) -> list[CommentRecord]:
        """热门跟贴: likes with time decay among the most-liked and the newest liked comments."""
        with self._sessions() as s:
            candidates = self._hot_candidates(s, article_id, min_likes, top_level=False)
        return hot_order(candidates, now, half_life=half_life, min_likes=min_likes, limit=limit)

    def thread_page(
        self,
        article_id: int,
        *,
        page: int = 1,
        per_page: int = 20,
        order: str = "latest",
        now: datetime | None = None,
        half_life: timedelta = timedelta(hours=6),
    ) -> Page[Thread[CommentRecord]]:
        """The full-thread page: shown top-level comments (newest or hottest first) with their replies."""
        if order not in ("latest", "hot"):
            raise ValueError("order must be 'latest' or 'hot'")
        offset, size = page_args(page, per_page)
        with self._sessions() as s:
            if order == "hot":
                if now is None:
                    raise ValueError("the hot order needs now")
                ranked = hot_order(
                    self._hot_candidates(s, article_id, 1, top_level=True), now, half_life=half_life
                )
                cut = paginate(ranked, max(page, 1), size)
                tops, total = list(cut.items), cut.total
            else:
                cond = (
                    CommentRow.article_id == article_id,
                    CommentRow.visible.is_(True),
                    CommentRow.root_id.is_(None),
                )
                total = s.scalar(select(func.count()).select_from(CommentRow).where(*cond)) or 0
                tops = self._records(
                    s,
                    select_records()
                    .where(*cond)
                    .order_by(CommentRow.created_at.desc(), CommentRow.id.desc())
                    .offset(offset)
                    .limit(size),
                )
            replies = (
                self._records(
                    s,
                    select_records().where(
                        CommentRow.root_id.in_([t.id for t in tops]), CommentRow.visible.is_(True)
                    ),
                )
                if tops
                else []
            )
        pages = max(1, -(-total // size))
        return Page(tuple(build_threads(tops, replies)), max(page, 1), pages, total)

    # -- a reader's own ------------------------------------------------------------------------------
    def by_reader(
        self, reader_id: int, *, page: int = 1, per_page: int = 20
    ) -> tuple[list[CommentRecord], int]:
        """All of a reader's comments in every state, newest first (their 我的跟贴 page)."""
        offset, size = page_args(page, per_page)
        with self._sessions() as s:
            total = s.scalar(
                select(func.count()).select_from(CommentRow).where(CommentRow.author_id == reader_id)
            )
            rows = self._records(
                s,
                select_records()
                .where(CommentRow.author_id == reader_id)
                .order_by(CommentRow.created_at.desc(), CommentRow.id.desc())
                .offset(offset)
                .limit(size),
            )
            return rows, int(total or 0)

    def history(self, reader_id: int, since: datetime, lookback: int = 10) -> list[PriorComment]:
        """What the pre-checks need: every comment since ``since`` plus the last ``lookback`` decided ones."""
        with self._sessions() as s:
            recent = s.execute(
                select(CommentRow.id, CommentRow.text, CommentRow.created_at, CommentRow.state)
                .where(CommentRow.author_id == reader_id, CommentRow.created_at >= since)
                .order_by(CommentRow.created_at.desc())
                .limit(500)
            ).all()
            decided = s.execute(
                select(CommentRow.id, CommentRow.text, CommentRow.created_at, CommentRow.state)
                .where(CommentRow.author_id == reader_id, CommentRow.state.in_(("approved", "rejected")))
                .order_by(CommentRow.created_at.desc())
                .limit(lookback)
            ).all()
        merged = {r.id: r for r in (*recent, *decided)}
        return [PriorComment(r.text, r.created_at, r.state) for r in merged.values()]

    def decided_counts(self, reader_id: int) -> tuple[int, int]:
        """(approved, rejected) over the reader's whole record, for credit grading."""
        with self._sessions() as s:
            rows = dict(
                s.execute(
                    select(CommentRow.state, func.count())
                    .where(CommentRow.author_id == reader_id, CommentRow.state.in_(("approved", "rejected")))
                    .group_by(CommentRow.state)
                ).all()
            )
        return int(rows.get("approved", 0)), int(rows.get("rejected", 0))

    # -- moderation queue ----------------------------------------------------------------------------
    def queue(self, f: QueueFilter, *, page: int = 1, per_page: int = 50) -> tuple[list[CommentRecord], int]:
        """Comments for moderators, oldest first (first come, first reviewed), and the total."""
        cond: list[Any] = []
        if f.status == "pending":
            cond.append(CommentRow.state == CommentState.PENDING.value)
        elif f.status == "appeals":
            cond.append(CommentRow.appeal_state == AppealState.PENDING.value)
        elif f.status == "reported":
            cond.append(
                exists().where(
                    ReportRow.target_kind == "comment",
                    ReportRow.target_id == CommentRow.id,
                    ReportRow.state == "pending",
                )
            )
        if f.article_id is not None:
            cond.append(CommentRow.article_id == f.article_id)
        if f.author_id is not None:
            cond.append(CommentRow.author_id == f.author_id)
        offset, size = page_args(page, per_page)
        with self._sessions() as s:
            total = s.scalar(select(func.count()).select_from(CommentRow).where(*cond)) or 0
            rows = self._records(
                s,
                select_records()
                .where(*cond)
                .order_by(CommentRow.created_at, CommentRow.id)
                .offset(offset)
                .limit(size),
            )
            return rows, int(total)

    def pending_total(self) -> int:
        """Pending comments plus pending appeals: the number on the newsroom's queue badge."""
        with self._sessions() as s:
            return int(
                s.scalar(
                    select(func.count())
                    .select_from(CommentRow)
                    .where(or_(CommentRow.state == "pending", CommentRow.appeal_state == "pending"))
                )
                or 0
            )
