"""The publish flow for many articles at once: a big partner feed is one transaction, not five hundred.

:func:`save_articles` applies :func:`~newsportal.newsroom.publish.save_article`'s rules to each draft
(validation and sanitizing by :func:`~newsportal.newsroom.publish.prepare`, "an unchanged save writes
nothing", an update keeps the status editors gave the article) and then writes every changed article in one
store transaction (:meth:`Store.write_articles`) and brings the derived views in line once
(:meth:`PublishTail.articles_saved`: clustering per article in memory, one index commit, one signal per
article).

Nothing is half-written: if the batch transaction fails (one poison item the database refuses, a conflict),
it is rolled back as a whole and every item is saved again on its own, so one bad item is refused and the
others still land. A draft that fails validation is refused before the batch is written.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import DataError, IntegrityError

from newsportal.domain import Article, ArticleDraft, ArticleStatus
from newsportal.newsroom.publish import Desk, ValidationError, _unchanged, prepare, save_article, to_review
from newsportal.store import ArticleWrite, Conflict, NotFound

log = logging.getLogger(__name__)


class StoreRefused(ValueError):
    """The database refused one article's rows (a constraint, a value it cannot hold): that item is refused,
    the rest of the batch is not."""


@dataclass(frozen=True)
class BatchSave:
    """One draft of a batch. ``article_id`` names the article to update (else the draft's external id is
    looked up, and only then a new article made). ``publish_now`` publishes; ``review`` puts a *new*
    article in the review queue (待审) instead of leaving it a draft."""

    draft: ArticleDraft
    article_id: int | None = None
    publish_now: bool = False
    review: bool = False


@dataclass(frozen=True)
class BatchOutcome:
    """What became of one :class:`BatchSave`: the article (and whether anything was written), or the
    reason it was refused (a ``ValueError``: validation, a conflict, the database's refusal)."""

    article: Article | None
    changed: bool = False
    error: ValueError | None = None


@dataclass
class _Plan:
    index: int
    write: ArticleWrite | None  # None: nothing to write (an unchanged save)
    existing: Article | None


def save_articles(desk: Desk, saves: Sequence[BatchSave], *, actor: str,
                  now: datetime | None = None) -> list[BatchOutcome]:
    """Save every draft of ``saves``; one outcome per save, in order. See the module doc."""
    outcomes: list[BatchOutcome | None] = [None] * len(saves)
    plans: list[_Plan] = []
    seen: set[tuple[str, object]] = set()
    singles: list[int] = []  # a second save of an article already in this batch: on its own, afterwards
    for i, save in enumerate(saves):
        try:
            plan = _plan(desk, i, save, now)
        except (ValidationError, Conflict) as exc:
            outcomes[i] = BatchOutcome(None, error=exc)
            continue
        except NotFound as exc:
            outcomes[i] = BatchOutcome(None, error=StoreRefused(str(exc)))
            continue
        keys: set[tuple[str, object]] = {("id", plan.existing.id)} if plan.existing else set()
        if save.draft.external_id:
            keys.add(("ext", save.draft.external_id))
        if keys & seen:
            singles.append(i)
            continue
        seen |= keys
        if plan.write is None:
            outcomes[i] = BatchOutcome(plan.existing, changed=False)
        else:
            plans.append(plan)
    writes = [p.write for p in plans if p.write is not None]
    try:
        articles = desk.store.write_articles(writes, actor=actor, now=now) if writes else []
    except (ValueError, LookupError, IntegrityError, DataError) as exc:
        log.warning("batch of %d articles refused by the store (%s); saving them one by one", len(writes),
                    exc.__class__.__name__)
        singles = [p.index for p in plans] + singles
        plans, articles = [], []
    saved: list[tuple[Article, Article | None]] = []
    for plan, article in zip(plans, articles, strict=True):
        outcomes[plan.index] = BatchOutcome(article, changed=True)
        saved.append((article, plan.existing))
    if saved:
        desk.tail.articles_saved(saved)
    for i in sorted(singles):
        outcomes[i] = save_one(desk, saves[i], actor=actor, now=now)
    return [o if o is not None else BatchOutcome(None, error=StoreRefused("未保存")) for o in outcomes]


def save_one(desk: Desk, save: BatchSave, *, actor: str, now: datetime | None = None) -> BatchOutcome:
    """One save through the ordinary per-article path; a refusal is returned, never raised."""
    try:
        article, changed = save_article(desk, save.draft, actor=actor, article_id=save.article_id,
                                        publish_now=save.publish_now, now=now)
        if changed and save.review and article.status is ArticleStatus.DRAFT and article.revision == 1:
            article = to_review(desk, article.id)
    except ValueError as exc:
        return BatchOutcome(None, error=exc)
    except NotFound as exc:
        return BatchOutcome(None, error=StoreRefused(str(exc)))
    except (IntegrityError, DataError) as exc:
        log.warning("article %r refused by the database: %s", save.draft.title[:40], exc.orig)
        return BatchOutcome(None, error=StoreRefused(f"数据库拒绝保存：{exc.orig.__class__.__name__}"))
    return BatchOutcome(article, changed=changed)


def _plan(desk: Desk, index: int, save: BatchSave, now: datetime | None) -> _Plan:
    """What :func:`save_article` would write for ``save``, without writing it."""
    cleaned, channel_id, source_id = prepare(desk, save.draft, now=now)
    store = desk.store
    existing: Article | None = None
    if save.article_id is not None:
        existing = store.get_article(save.article_id)
        if existing is None:
            raise NotFound(f"article {save.article_id} not found")
    elif cleaned.external_id:
        existing = store.get_article_by_external_id(cleaned.external_id)
    if existing is None:
        status = (ArticleStatus.PUBLISHED if save.publish_now
                  else ArticleStatus.REVIEW if save.review else ArticleStatus.DRAFT)
        return _Plan(index, ArticleWrite(cleaned, channel_id, source_id, status=status), None)
    content = not _unchanged(existing, cleaned, channel_id, source_id)
    publish = save.publish_now and existing.status is not ArticleStatus.PUBLISHED
    if not content and not publish:
        return _Plan(index, None, existing)
    return _Plan(index, ArticleWrite(cleaned, channel_id, source_id, article_id=existing.id,
                                     status=ArticleStatus.PUBLISHED if publish else None, content=content),
                 existing)
