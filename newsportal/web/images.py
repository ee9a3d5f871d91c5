"""Articles' lead images on pages: one in-memory map from article id to its picture, for every list.

Every card on a page may show a thumbnail, so looking images up one by one would cost a query per card. The
map is small (one record per illustrated article) and loaded once; it is dropped with the page caches when
the publish flow purges them (:meth:`WebContext.purge_all`), and reloaded on the next use.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from newsportal.media import PictureData, StoredImage
from newsportal.store.reader_content import LeadImageRecord, ReaderContent

log = logging.getLogger(__name__)

#: ``sizes`` of each place an image appears (CSS px at the layout's breakpoints, see site.css)
SIZES = {
    "lead": "(min-width: 1232px) 820px, (min-width: 960px) calc(100vw - 412px), calc(100vw - 32px)",
    "article": "(min-width: 1232px) 820px, (min-width: 960px) calc(100vw - 412px), calc(100vw - 32px)",
    "thumb": "(min-width: 600px) 160px, 112px",
}


@dataclass(frozen=True, slots=True)
class LeadImage:
    image: StoredImage
    caption: str
    credit: str

    def picture(self, place: str = "thumb", *, lazy: bool = True) -> PictureData:
        """``<picture>`` data for one place on a page (``lead``/``article`` load at once, thumbs lazily)."""
        width = 960 if place in ("lead", "article") else 320
        return self.image.picture(sizes=SIZES[place], caption=self.caption, credit=self.credit, lazy=lazy,
                                  fallback_width=width)


class ImageBook:
    """Article id → :class:`LeadImage`, loaded from the reader tables on first use after a purge."""

    def __init__(self) -> None:
        self._content: ReaderContent | None = None
        self._map: dict[int, LeadImage] | None = None
        self._lock = threading.Lock()

    def bind(self, content: ReaderContent) -> None:
        self._content = content
        self._map = None

    def invalidate(self) -> None:
        self._map = None

    def _load(self) -> dict[int, LeadImage]:
        current = self._map
        if current is not None:
            return current
        with self._lock:
            if self._map is None:
                records = self._content.lead_images() if self._content is not None else {}
                self._map = {aid: built for aid, r in records.items() if (built := _build(r)) is not None}
            return self._map

    def get(self, article_id: int) -> LeadImage | None:
        return self._load().get(article_id)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._load()


def _build(record: LeadImageRecord) -> LeadImage | None:
    try:
        image = StoredImage.from_dict(record.image)
    except (KeyError, TypeError, ValueError):  # a malformed record: show the article without its image
        log.warning("article %s has a malformed lead image record", record.article_id)
        return None
    if not image.alt or not image.of_type("image/jpeg"):
        return None
    return LeadImage(image, record.caption, record.credit)
