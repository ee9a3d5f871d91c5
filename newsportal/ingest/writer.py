"""The ingest service's article writer over today's publish flow (:mod:`newsportal.newsroom.publish`).

A thin adapter from :class:`~newsportal.ingest.outcomes.SaveArticle` / ``WithdrawArticle`` to
``save_article``/``withdraw``, kept out of the service so the service never imports the portal. New stories
from untrusted sources are put in ``review`` status (the newsroom's queue) rather than left as plain drafts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from newsportal.domain import Article, ArticleDraft, ArticleStatus
from newsportal.newsroom.batch import BatchOutcome, BatchSave, save_articles
from newsportal.newsroom.publish import Desk, save_article, to_review, withdraw


class SourceReloadingDesk(Desk, Protocol):
    """The publish desk plus a way to re-read sources (a partner's media source may be new)."""

    def reload_catalog(self) -> None: ...


class PortalArticleWriter:
    """``writer.save`` and ``writer.withdraw`` are the callables :class:`IngestService` takes."""

    def __init__(self, portal: SourceReloadingDesk) -> None:
        self.portal = portal

    def save(self, draft: ArticleDraft, *, publish: bool, existing_article_id: int | None,
             actor: str) -> Article:
        if draft.source_key not in self.portal.sources_by_key:
            self.portal.reload_catalog()  # the partner's media source was created after start-up
        article, changed = save_article(self.portal, draft, actor=actor, article_id=existing_article_id,
                                        publish_now=publish and existing_article_id is None)
        if changed and not publish and article.status is ArticleStatus.DRAFT and article.revision == 1:
            article = to_review(self.portal, article.id)
        return article

    def save_many(self, saves: Sequence[BatchSave], *, actor: str) -> list[BatchOutcome]:
        """Many partner stories through the batch publish path (one transaction, one index commit);
        ``BatchSave.review`` sends a new untrusted story to the review queue as :meth:`save` does."""
        if any(s.draft.source_key not in self.portal.sources_by_key for s in saves):
            self.portal.reload_catalog()
        return save_articles(self.portal, saves, actor=actor)

    def withdraw(self, article_id: int, *, actor: str) -> Article:
        return withdraw(self.portal, article_id)
