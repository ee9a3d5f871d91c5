"""What 跟贴 announces after a write: an article's shown comments changed, so pages showing them are stale.

The article page is cached (in the app, and in nginx in front) and carries the article's 跟贴 count, so a
comment that becomes shown (approved, posted under 发后审 or by a trusted reader, reinstated on appeal) or
stops being shown (taken down, deleted by its author, removed on an upheld report) must reach those caches.
The comment services fire :class:`CommentCountChanged` once the store has committed; the web layer's page
cache, the 跟贴 section cache and the front-cache refresher subscribe, and this package knows none of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsportal.fanout import Signal

__all__ = ["CommentCountChanged", "CommentsChangedElsewhere", "CommentSignals"]


@dataclass(frozen=True, slots=True)
class CommentCountChanged:
    """A comment of ``article_id`` became shown or stopped being shown: its count and lists changed."""

    article_id: int


@dataclass(frozen=True, slots=True)
class CommentsChangedElsewhere:
    """Another server process changed which comments of these articles readers see.

    That process refreshed the front cache (nginx) itself; this one only drops its own cached copies, so it
    is a separate signal from :class:`CommentCountChanged` (whose subscribers include the front refresher).
    """

    article_ids: tuple[int, ...]


class CommentSignals:
    """The signals of one comments component: per instance, so two portals in a process never mix."""

    def __init__(self) -> None:
        #: fired after a committed write that changed which of an article's comments readers see
        self.count_changed: Signal[CommentCountChanged] = Signal("comment_count_changed")
        #: fired by :class:`~newsportal.comments.sync.CommentSync` for other processes' writes
        self.changed_elsewhere: Signal[CommentsChangedElsewhere] = Signal("comments_changed_elsewhere")

    def announce(self, article_id: int) -> None:
        self.count_changed.send(CommentCountChanged(article_id))
