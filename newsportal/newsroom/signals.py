"""Named, typed events of the publish flow, carried by :class:`newsportal.fanout.Signal`.

The newsroom fires these after a write has reached the store and every derived view (story, search index,
catalogue) is in line. Listeners in higher layers subscribe without the newsroom knowing them: the web
layer's page cache purges on them, and later feeds, baked pages and ingest hook in the same way (as cache
purging subscribes to Wagtail's publish signals).
"""

from __future__ import annotations

from dataclasses import dataclass

from newsportal.domain import Article
from newsportal.fanout import Signal

__all__ = ["ArticleSaved", "ArticlesSyncedFromElsewhere", "PinsChanged", "PublishSignals", "Signal"]


@dataclass(frozen=True, slots=True)
class ArticleSaved:
    """An article was created, edited, published or withdrawn in this process.

    ``previous`` is the article as it was before the write (None for a new article), so a listener can tell
    what changed: a purge needs the old channel as well as the new one when an article moves.
    ``pending`` is how many events of the same batch write (a big partner feed) follow this one: every
    article is still announced, and a listener whose work covers them all (a cache purge) may do it once,
    on the event with ``pending == 0``.
    """

    article: Article
    previous: Article | None
    pending: int = 0


@dataclass(frozen=True, slots=True)
class ArticlesSyncedFromElsewhere:
    """Another process (a worker, a CLI import) wrote these articles; this process has taken them in."""

    article_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class VectorsReady:
    """These published articles just got their sentence vectors (the embedding queue runs after the publish
    returns): pages built before then showed their related lists from words alone, and the near-copy guard
    judged them by story id only, so caches holding those pages should rebuild them."""

    article_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class PinsChanged:
    """Editors' top-story pins changed (set, removed, or expired)."""

    channel_id: int | None = None


class PublishSignals:
    """The signals of one composition root (one Portal): per instance, never module globals, so two portals
    in one process (tests, a CLI inside a server) never hear each other's events."""

    def __init__(self) -> None:
        #: fired by the publish flow after every article write in this process
        self.article_saved: Signal[ArticleSaved] = Signal("article_saved")
        #: fired by cross-process sync after taking in other processes' writes
        self.synced: Signal[ArticlesSyncedFromElsewhere] = Signal("articles_synced")
        #: fired when pins are set, removed or found expired
        self.pins_changed: Signal[PinsChanged] = Signal("pins_changed")
        #: fired by the embedding queue's thread after articles published here or elsewhere got vectors
        self.vectors_ready: Signal[VectorsReady] = Signal("vectors_ready")
