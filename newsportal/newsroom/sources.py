"""Sources (publishers and self-media accounts) held in memory, and editors' trust in them.

Trust (0–1) scales the quality score of every article from a source, and the quality score weighs every hot
and personal list, so a trust change must reach the in-memory catalogue at once. :func:`set_source_trust` is
the one way to change it: the API, the CLI and any later newsroom screen call it.
"""

from __future__ import annotations

from datetime import datetime

from newsportal.domain import Source
from newsportal.recommend.catalog import Catalog, Entry
from newsportal.recommend.quality import FLOOR, Quality, assess
from newsportal.store import Store
from newsportal.store.rows import CatalogRow
from newsportal.timeutil import to_epoch

#: Trust of an article whose source is unknown to this process (e.g. added by another process just now).
DEFAULT_TRUST = 0.7


class TrustOutOfRange(ValueError):
    """Trust outside 0–1; the message is shown to editors."""

    def __init__(self, trust: float):
        super().__init__(f"信任度必须在 0 到 1 之间（收到 {trust}）")
        self.trust = trust


class SourceBook:
    """Every source by id and by key; :meth:`reload` refreshes it in place so holders never go stale."""

    def __init__(self) -> None:
        self.by_id: dict[int, Source] = {}
        self.by_key: dict[str, Source] = {}

    def reset(self, sources: list[Source]) -> set[int]:
        """Replace the sources; returns the ids whose trust changed (they need new catalogue entries)."""
        changed = {s.id for s in sources if s.id in self.by_id and self.by_id[s.id].trust != s.trust}
        self.by_id = {s.id: s for s in sources}
        self.by_key = {s.key: s for s in sources}
        return changed

    def trust(self, source_id: int) -> float:
        source = self.by_id.get(source_id)
        return source.trust if source else DEFAULT_TRUST

    def quality(self, title: str, source_id: int, body: str = "") -> Quality:
        """Title and body judged together (the body rules catch engagement bait), scaled by trust."""
        return assess(title, self.trust(source_id), body)

    def entry(self, channel_id: int, story_id: int, published: datetime | None, source_id: int,
              title: str, body: str = "", base: tuple[float, bool] | None = None) -> Entry:
        """The catalogue entry of a published article (its quality folds in the source's trust).

        ``base`` is the article's trust-free quality and clickbait flag when already known (kept beside its
        vector, see :mod:`newsportal.recommend.vectors`), so start-up and trust changes need not re-read
        bodies; otherwise the title (and body, if given) are assessed now.
        """
        if base is None:
            base = base_quality(title, body)
        score = scale_quality(base[0], self.trust(source_id))
        return Entry(channel_id, story_id, to_epoch(published), source_id, score, base[0], base[1])

    def put_row(self, catalog: Catalog, row: CatalogRow) -> None:
        """Enter one published article's row into the catalogue (an unclustered one is its own story).

        The row has no body: an entry already in the catalogue keeps the body-aware quality it has (a trust
        change; edits go through the publish tail, which assesses the new title and body).
        """
        story = row.story_id or row.id
        old = catalog.get(row.id)
        base = (old.base_quality, old.clickbait) if old is not None else None
        catalog.put(row.id, self.entry(row.channel_id, story, row.published_at, row.source_id, row.title,
                                       base=base))


def base_quality(title: str, body: str = "") -> tuple[float, bool]:
    """An article's quality at full source trust, and whether it is clickbait."""
    q = assess(title, 1.0, body)
    return q.score, q.clickbait


def scale_quality(base: float, trust: float) -> float:
    """The quality at a given trust from the quality at full trust.

    ``assess`` scores ``max(FLOOR, factor × c)`` with ``factor = 0.5 + 0.5 × trust`` (flagged) or
    ``factor × c`` (sober), so at trust 1 it gives ``max(FLOOR, c)``, and ``max(FLOOR, factor × base)`` is
    exactly the score at any trust (tests check this against ``assess``).
    """
    return round(max(FLOOR, (0.5 + 0.5 * trust) * base), 4)


def reload_sources(store: Store, book: SourceBook, catalog: Catalog) -> set[int]:
    """Re-read sources; re-score catalogue entries of any source whose trust changed. Returns those ids."""
    changed = book.reset(store.sources())
    for source_id in changed:
        for row in store.catalog_rows(source_id=source_id):
            book.put_row(catalog, row)
    return changed


def set_source_trust(store: Store, book: SourceBook, catalog: Catalog, key: str, trust: float) -> Source:
    """Editors' trust in a source (0–1): checked, stored, and applied to every live article from it.

    Raises :class:`TrustOutOfRange` for a value outside 0–1 and :class:`~newsportal.store.NotFound` for an
    unknown key. Other processes pick the change up on their next sync (:mod:`newsportal.newsroom.sync`).
    """
    if not 0.0 <= trust <= 1.0:  # also refuses NaN
        raise TrustOutOfRange(trust)
    source = store.set_source_trust(key, trust)
    reload_sources(store, book, catalog)
    for row in store.catalog_rows(source_id=source.id):  # even if the trust was unchanged in memory
        book.put_row(catalog, row)
    return source
