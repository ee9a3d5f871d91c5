"""Loading the demo: channel tree, sources, the hand-written articles and some simulated reader traffic.

Article times are relative (``hours_ago``) so a freshly started demo always looks like today's news.
Everything goes through the real publish flow and the real event counters.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

from newsportal.domain import ArticleDraft, ChannelKind, SourceKind
from newsportal.media import ImageStorage
from newsportal.newsroom import save_article
from newsportal.portal import Portal
from newsportal.store import Store
from newsportal.text import paragraphs_to_html
from newsportal.timeutil import utcnow

HERE = Path(__file__).parent
DEMO_ACTOR = "demo"
BROWSER_UA = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36"


def _json(name: str):
    return json.loads((HERE / name).read_text("utf-8"))


def install_catalog(store: Store) -> None:
    """Create (or refresh) the channel tree and the demo sources."""
    for pos, ch in enumerate(_json("channels.json")):
        store.upsert_channel(
            ch["slug"], ch["name"], ChannelKind(ch["kind"]), ch["parent"], ch["module"], position=pos
        )
    for src in _json("sources.json"):
        store.upsert_source(src["key"], src["name"], SourceKind(src["kind"]), src["trust"], src["about"])


def demo_items() -> Iterator[dict]:
    for path in sorted((HERE / "content").glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                yield json.loads(line)


def draft_from_item(item: dict, now: datetime) -> ArticleDraft:
    published = now - timedelta(hours=float(item["hours_ago"]))
    return ArticleDraft(
        title=item["title"],
        body_html=paragraphs_to_html(item["paragraphs"]),
        channel_slug=item["channel"],
        source_key=item["source"],
        summary=item.get("summary", ""),
        byline=item.get("byline", ""),
        tags=tuple(item.get("tags", ())),
        reporters=tuple(item.get("reporters", ())),
        editors=tuple(item.get("editors", ())),
        original=bool(item.get("original", False)),
        external_id=item["external_id"],
        published_at=published.replace(microsecond=0),
    )


def load_demo(
    portal: Portal,
    *,
    now: datetime | None = None,
    traffic: bool = True,
    progress: Callable[[int], None] | None = None,
    images: ImageStorage | None = None,
) -> int:
    """Load the hand-written demo articles through the publish flow; returns how many were written.

    With ``images`` (a storage, usually :func:`~newsportal.demo.images.demo_storage`) every other article
    also gets a lead image drawn by code; articles that already have one are left alone.
    """
    now = now or utcnow()
    install_catalog(portal.store)
    portal.reload_catalog()
    written = 0
    for item in demo_items():
        _, changed = save_article(portal, draft_from_item(item, now), actor=DEMO_ACTOR, publish_now=True)
        written += changed
        if progress:
            progress(1)
    if images is not None:
        from newsportal.demo.images import add_demo_images

        add_demo_images(portal, [item["external_id"] for item in demo_items()], images)
    if traffic:
        simulate_traffic(portal, now=now)
    return written


def simulate_traffic(portal: Portal, *, now: datetime | None = None, seed: int = 7,
                     readers: int = 400) -> int:
    """Replay a deterministic day of reader views and shares through the counters.

    Newer articles and a few random favourites get more readers, so the hot list has a realistic shape.
    """
    now = now or utcnow()
    rng = random.Random(seed)
    cards = portal.store.list_cards(per_page=100).items
    page = 2
    while True:
        more = portal.store.list_cards(per_page=100, page=page).items
        if not more:
            break
        cards += more
        page += 1
    counted = 0
    for card in cards:
        age_h = max(0.0, (now - card.published_at).total_seconds() / 3600) if card.published_at else 48
        appeal = rng.random() ** 2 * 3 + (1.5 if rng.random() < 0.1 else 0)
        n_views = int(readers * appeal / (1 + age_h / 12) / 4)
        for _ in range(n_views):
            at = now - timedelta(minutes=rng.uniform(0, min(age_h * 60, 24 * 60)))
            reader = f"demo-reader-{rng.randrange(readers)}"
            counted += portal.counters.record(portal.event(card.id, "view", reader, BROWSER_UA, at=at))
            if rng.random() < 0.08:
                counted += portal.counters.record(portal.event(card.id, "share", reader, BROWSER_UA, at=at))
    portal.counters.flush()
    return counted


def load_synthetic(portal: Portal, articles: int, seed: int = 2026,
                   progress: Callable[[int], None] | None = None, batch_size: int = 2000,
                   images: ImageStorage | None = None, image_every: int = 50) -> int | None:
    """Bulk-load a generated corpus (load tests); returns how many, or None if that seed is already loaded.

    With ``images`` (off by default: drawing costs ~0.3 s an image) every ``image_every``-th generated
    article gets a drawn lead image as well.

    Drafts go through the newsroom's checks (:func:`~newsportal.newsroom.publish.prepare`) and then into the
    store in batches; clustering and indexing happen at the next :meth:`Portal.start`.
    """
    from newsportal.demo.synthetic import generate
    from newsportal.newsroom.publish import prepare
    from newsportal.store import bulk_create

    if portal.store.get_article_by_external_id(f"synthetic-{seed}-0") is not None:
        return None
    batch: list[tuple[ArticleDraft, int, int]] = []
    done = 0
    for item in generate(articles, seed=seed):
        batch.append(prepare(portal, item.draft))
        if len(batch) >= batch_size:
            done += bulk_create(portal.store, batch, actor="synthetic")
            if progress:
                progress(len(batch))
            batch = []
    if batch:
        done += bulk_create(portal.store, batch, actor="synthetic")
        if progress:
            progress(len(batch))
    if images is not None:
        from newsportal.demo.images import add_demo_images

        add_demo_images(portal, [f"synthetic-{seed}-{i}" for i in range(articles)], images, every=image_every)
    return done
