"""Lead images for demo articles, drawn by code (charts of an article's own figures, or illustrations).

Drawn once at demo load time and stored through the real media pipeline (re-encoded to WebP and JPEG at
several widths, content-hash keys) into a :class:`~newsportal.media.FilesystemStorage` under the data
directory; the record goes to ``article_images``. Idempotent: an article that already has a lead image is
skipped, and identical drawings land on the same keys. Drawing and encoding cost about 0.3 s an image, so
the demo draws every other article (at least half of them carry an image, as issue 11 asks).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from newsportal.domain import Article
from newsportal.media import FilesystemStorage, ImageStorage, draw_article_image, ingest_image
from newsportal.portal import Portal
from newsportal.store.reader_content import ReaderContent

#: the drawn size: 16:9, wide enough for the 头条 lead on a desktop page
DEMO_IMAGE_SIZE = (960, 540)
DEMO_IMAGE_WIDTHS = (320, 640, 960)


def demo_storage(portal: Portal) -> FilesystemStorage:
    """The image storage of the portal's data directory (what the app serves at ``/media/``)."""
    return FilesystemStorage(portal.settings.media_dir)


def wants_image(position: int, every: int = 2) -> bool:
    """Every ``every``-th article (from the first) gets an image."""
    return position % every == 0


def add_article_image(portal: Portal, article: Article, storage: ImageStorage,
                      content: ReaderContent | None = None) -> bool:
    """Draw, store and attach ``article``'s lead image; False when it already has one."""
    content = content or ReaderContent(portal.store.engine)
    if content.lead_image(article.id) is not None:
        return False
    channel = portal.channels.get(article.channel_id)
    slug = channel.slug if channel is not None else ""
    top = portal.channels.top_of(channel) if channel is not None else None
    drawn = draw_article_image(article_id=article.external_id or article.id, title=article.title,
                               channel=top.slug if top is not None else slug, body=article.body_html,
                               size=DEMO_IMAGE_SIZE)
    stored = ingest_image(drawn.png, alt=drawn.alt, storage=storage, widths=DEMO_IMAGE_WIDTHS)
    content.set_lead_image(article.id, stored.to_dict(), caption=drawn.caption, credit=drawn.credit)
    return True


def add_demo_images(portal: Portal, external_ids: Iterable[str], storage: ImageStorage, *, every: int = 2,
                    progress: Callable[[int], None] | None = None) -> int:
    """Give every ``every``-th of these articles a drawn lead image; returns how many were added."""
    content = ReaderContent(portal.store.engine)
    added = 0
    for position, external_id in enumerate(external_ids):
        if not wants_image(position, every):
            continue
        article = portal.store.get_article_by_external_id(external_id)
        if article is not None:
            added += add_article_image(portal, article, storage, content)
        if progress:
            progress(1)
    return added
