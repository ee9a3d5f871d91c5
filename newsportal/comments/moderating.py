"""What moderators and operators do: the queue, decisions, appeals, reports, bans, thread and word settings.

Every decision is one call into a store method that applies the pure rule and writes the state with its
audit line in one transaction, so a refused step (wrong state, same moderator deciding an appeal, a reason
missing its note) changes nothing. Moderator ids are the newsroom's user ids; the role check happens in the
newsroom before these are called.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from newsportal.comments.bans import new_ban
from newsportal.comments.errors import BadInput
from newsportal.comments.moderation import (
    Event,
    Mode,
    ModerationError,
    Reason,
    ThreadSettings,
    approve,
    decide_appeal,
    reject,
)
from newsportal.comments.prechecks import BannedWords
from newsportal.comments.reports import TargetKind
from newsportal.comments.service import CommentStores, transition_announced
from newsportal.comments.signals import CommentSignals
from newsportal.comments.text import strip_invisible
from newsportal.store.bans import BanRecord
from newsportal.store.comment_settings import BannedWordEntry
from newsportal.store.comments import CommentRecord, QueueFilter
from newsportal.store.reports import ReportRecord

__all__ = ["ModerationService", "QueueItem", "REASONS"]

#: The reason list shown as one-key buttons: (value, Chinese label).
REASONS: tuple[tuple[str, str], ...] = tuple((r.value, r.label_zh) for r in Reason)


@dataclass(frozen=True)
class QueueItem:
    comment: CommentRecord
    #: Pending reports on this comment (empty unless reported).
    reports: tuple[ReportRecord, ...]


class ModerationService:
    def __init__(self, stores: CommentStores, signals: CommentSignals | None = None) -> None:
        """``signals`` hears every decision that changes what readers see (the component shares one)."""
        self.stores = stores
        self.signals = signals or CommentSignals()

    # -- queue ---------------------------------------------------------------------------------------
    def queue(
        self,
        status: str = "pending",
        *,
        article_id: int | None = None,
        author_id: int | None = None,
        page: int = 1,
        per_page: int = 50,
    ) -> tuple[list[QueueItem], int]:
        """The moderation queue with its filters; each comment carries its pre-check flags and reports."""
        try:
            f = QueueFilter(status, article_id, author_id)
        except ValueError:
            raise BadInput("bad_filter", "筛选条件只能是：待审、被举报、申诉或全部。") from None
        rows, total = self.stores.comments.queue(f, page=page, per_page=per_page)
        by_target = self.stores.reports.pending_on_comments([c.id for c in rows])
        return [QueueItem(c, tuple(by_target.get(c.id, ()))) for c in rows], total

    def history(self, comment_id: int) -> list[Event]:
        return self.stores.comments.events(comment_id)

    def pending_total(self) -> int:
        return self.stores.comments.pending_total()

    # -- decisions -----------------------------------------------------------------------------------
    def approve(self, comment_id: int, moderator_id: int, now: datetime) -> CommentRecord:
        return transition_announced(
            self.stores, self.signals, comment_id, lambda c: approve(c, moderator_id, now)
        )

    def reject(
        self, comment_id: int, moderator_id: int, reason: str, now: datetime, note: str = ""
    ) -> CommentRecord:
        """Reject a pending comment or take down a shown one, with a reason from :data:`REASONS`."""
        return transition_announced(
            self.stores, self.signals, comment_id, lambda c: reject(c, moderator_id, reason, now, note)
        )

    def decide_appeal(
        self, comment_id: int, moderator_id: int, *, overturn: bool, now: datetime, note: str = ""
    ) -> CommentRecord:
        """Decided by a moderator other than the one who removed the comment (the rule refuses otherwise)."""
        return transition_announced(
            self.stores,
            self.signals,
            comment_id,
            lambda c: decide_appeal(c, moderator_id, overturn=overturn, now=now, note=note),
        )

    def decide_report(
        self, report_id: int, moderator_id: int, *, upheld: bool, now: datetime, note: str = ""
    ) -> list[ReportRecord]:
        """Upholding a report on a shown comment takes it down (in the store's transaction): announced."""
        decided = self.stores.reports.decide(report_id, moderator_id, upheld=upheld, now=now, note=note)
        first = decided[0].report if decided else None
        if upheld and first is not None and first.target_kind is TargetKind.COMMENT:
            self.signals.announce(self.stores.comments.get(first.target_id).article_id)
        return decided

    def report_queue(
        self, kind: str | None = None, *, page: int = 1, per_page: int = 50
    ) -> tuple[list[ReportRecord], int]:
        try:
            target = TargetKind(kind) if kind else None
        except ValueError:
            raise BadInput("bad_filter", "只能按跟贴或文章筛选举报。") from None
        return self.stores.reports.queue(target_kind=target, page=page, per_page=per_page)

    # -- bans ----------------------------------------------------------------------------------------
    def ban(
        self, reader_id: int, moderator_id: int, now: datetime, ends_at: datetime, reason: str, note: str = ""
    ) -> BanRecord:
        return self.stores.bans.add(new_ban(reader_id, moderator_id, now, ends_at, reason, note))

    def lift_ban(self, ban_id: int, moderator_id: int, now: datetime) -> BanRecord:
        return self.stores.bans.lift(ban_id, moderator_id, now)

    def bans_of(self, reader_id: int) -> list[BanRecord]:
        return self.stores.bans.for_reader(reader_id)

    # -- thread and channel settings ------------------------------------------------------------------
    def set_thread(
        self,
        article_id: int,
        *,
        closed: bool | None = None,
        mode: str | None = None,
        clear_mode: bool = False,
    ) -> ThreadSettings:
        """Close or reopen an article's 跟贴, or give it its own mode (``clear_mode``: follow the channel)."""
        current = self.stores.settings.thread(article_id)
        new_mode = None if clear_mode else (_mode(mode) if mode is not None else current.mode)
        updated = ThreadSettings(article_id, current.closed if closed is None else closed, new_mode)
        return self.stores.settings.save_thread(updated)

    def set_channel_mode(self, channel_id: int, mode: str | None) -> None:
        self.stores.settings.set_channel_mode(channel_id, _mode(mode) if mode is not None else None)

    # -- banned words --------------------------------------------------------------------------------
    def banned_words(self) -> list[BannedWordEntry]:
        return self.stores.settings.banned_words()

    def add_banned_word(self, word: object, by: str, now: datetime) -> BannedWordEntry:
        if not isinstance(word, str):
            raise BadInput("bad_word", "违禁词必须是文字。")
        cleaned = " ".join(strip_invisible(word).split())
        if len(cleaned) > 100:
            raise BadInput("bad_word", "违禁词最多 100 字。")
        try:
            BannedWords([cleaned])  # refuses a word that has no letters or digits to match on
        except ValueError as exc:
            raise BadInput("bad_word", str(exc)) from None
        return self.stores.settings.add_banned_word(cleaned, by, now)

    def remove_banned_word(self, word: str) -> None:
        self.stores.settings.remove_banned_word(" ".join(strip_invisible(word).split()))


def _mode(value: str) -> Mode:
    for m in Mode:
        if value in (m.value, m.label_zh):
            return m
    raise ModerationError("bad_mode", "模式只能是「先审后发」或「发后审」。")
