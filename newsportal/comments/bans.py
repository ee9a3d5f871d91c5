"""Bans (禁言) by reader, always with an end date, checked against an injected ``now``.

A ban has a start, an end, a reason from the moderation list and the moderator who set it; lifting it early
records when, instead of deleting the ban, so the reader's record (see :mod:`.credit`) keeps it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from newsportal.comments.moderation import ModerationError, Reason, clean_note
from newsportal.timeutil import format_beijing

__all__ = ["Ban", "new_ban", "lift_ban", "is_active", "active_ban", "ensure_not_banned"]


@dataclass(frozen=True)
class Ban:
    reader_id: int
    moderator_id: int
    starts_at: datetime
    ends_at: datetime
    reason: Reason
    note: str = ""
    lifted_at: datetime | None = None
    lifted_by: int | None = None

    @property
    def effective_end(self) -> datetime:
        return min(self.ends_at, self.lifted_at) if self.lifted_at else self.ends_at


def new_ban(
    reader_id: int, moderator_id: int, now: datetime, ends_at: datetime, reason: Reason | str, note: str = ""
) -> Ban:
    if ends_at <= now:
        raise ModerationError("bad_ban_end", "禁言结束时间必须晚于现在。")
    parsed = Reason.parse(reason)
    cleaned = clean_note(note)
    if parsed is Reason.OTHER and not cleaned:
        raise ModerationError("note_required", "选择「其他」时请填写具体说明。")
    return Ban(reader_id, moderator_id, now, ends_at, parsed, cleaned)


def is_active(ban: Ban, now: datetime) -> bool:
    return ban.starts_at <= now < ban.effective_end


def lift_ban(ban: Ban, moderator_id: int, now: datetime) -> Ban:
    if not is_active(ban, now):
        raise ModerationError("ban_not_active", "这项禁言当前未生效，无需解除。")
    return replace(ban, lifted_at=now, lifted_by=moderator_id)


def active_ban(bans: Iterable[Ban], reader_id: int, now: datetime) -> Ban | None:
    """The reader's active ban that ends last, if any."""
    live = [b for b in bans if b.reader_id == reader_id and is_active(b, now)]
    return max(live, key=lambda b: b.effective_end) if live else None


def ensure_not_banned(bans: Iterable[Ban], reader_id: int, now: datetime) -> None:
    ban = active_ban(bans, reader_id, now)
    if ban is not None:
        raise ModerationError(
            "banned",
            f"你已被禁言（原因：{ban.reason.label_zh}），{format_beijing(ban.effective_end)}（北京时间）后可再发表跟贴。",
        )
