"""Comment settings that editors and operators change: per-article threads, per-channel modes, banned words.

Kept apart from :mod:`.comments` because they change rarely and are read on every post; the service reads
them once per post and passes them into :func:`newsportal.comments.posting.prepare_post`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from newsportal.comments.moderation import Mode, ThreadSettings
from newsportal.store.comments_common import Duplicate, RowMissing, Sessions, session_factory, transaction
from newsportal.store.tables import ArticleRow, ChannelRow
from newsportal.store.tables_comments import BannedWordRow, ChannelCommentModeRow, CommentThreadRow

__all__ = ["ArticleInfo", "BannedWordEntry", "CommentSettingsStore"]


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    id: int
    channel_id: int
    status: str

    @property
    def published(self) -> bool:
        return self.status == "published"


@dataclass(frozen=True, slots=True)
class BannedWordEntry:
    word: str
    added_by: str
    added_at: datetime


class CommentSettingsStore:
    def __init__(self, source: Sessions) -> None:
        self._sessions = session_factory(source)

    def article(self, article_id: int) -> ArticleInfo | None:
        with self._sessions() as s:
            row = s.execute(
                select(ArticleRow.id, ArticleRow.channel_id, ArticleRow.status).where(
                    ArticleRow.id == article_id
                )
            ).first()
            return ArticleInfo(row.id, row.channel_id, row.status) if row else None

    # -- threads -------------------------------------------------------------------------------------
    def thread(self, article_id: int) -> ThreadSettings:
        with self._sessions() as s:
            row = s.get(CommentThreadRow, article_id)
            if row is None:
                return ThreadSettings(article_id)
            return ThreadSettings(article_id, row.closed, Mode(row.mode) if row.mode else None)

    def save_thread(self, settings: ThreadSettings) -> ThreadSettings:
        with transaction(self._sessions) as s:
            if s.get(ArticleRow, settings.article_id) is None:
                raise RowMissing("no_article", "文章不存在。")
            row = s.get(CommentThreadRow, settings.article_id, with_for_update=True)
            if row is None:
                row = CommentThreadRow(article_id=settings.article_id)
                s.add(row)
            row.closed = settings.closed
            row.mode = settings.mode.value if settings.mode else None
        return settings

    # -- channel modes -------------------------------------------------------------------------------
    def channel_mode(self, channel_id: int) -> Mode | None:
        with self._sessions() as s:
            row = s.get(ChannelCommentModeRow, channel_id)
            return Mode(row.mode) if row else None

    def set_channel_mode(self, channel_id: int, mode: Mode | None) -> None:
        """Set a channel's mode, or clear it (``None``: the default, 先审后发)."""
        with transaction(self._sessions) as s:
            if s.get(ChannelRow, channel_id) is None:
                raise RowMissing("no_channel", "频道不存在。")
            row = s.get(ChannelCommentModeRow, channel_id, with_for_update=True)
            if mode is None:
                if row is not None:
                    s.delete(row)
            elif row is None:
                s.add(ChannelCommentModeRow(channel_id=channel_id, mode=mode.value))
            else:
                row.mode = mode.value

    def channel_modes(self) -> dict[int, Mode]:
        with self._sessions() as s:
            return {r.channel_id: Mode(r.mode) for r in s.scalars(select(ChannelCommentModeRow))}

    # -- banned words --------------------------------------------------------------------------------
    def banned_words(self) -> list[BannedWordEntry]:
        with self._sessions() as s:
            rows = s.scalars(select(BannedWordRow).order_by(BannedWordRow.word))
            return [BannedWordEntry(r.word, r.added_by, r.added_at) for r in rows]

    def add_banned_word(self, word: str, by: str, now: datetime) -> BannedWordEntry:
        with transaction(self._sessions) as s:
            if s.get(BannedWordRow, word) is not None:
                raise Duplicate("word_exists", f"违禁词「{word}」已在词表中。")
            s.add(BannedWordRow(word=word, added_by=by, added_at=now))
        return BannedWordEntry(word, by, now)

    def remove_banned_word(self, word: str) -> None:
        with transaction(self._sessions) as s:
            result = s.execute(delete(BannedWordRow).where(BannedWordRow.word == word))
            if not getattr(result, "rowcount", 0):
                raise RowMissing("no_word", f"违禁词表中没有「{word}」。")
