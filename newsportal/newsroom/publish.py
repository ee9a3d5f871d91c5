"""The publish flow: validate → sanitize → store with a revision → update indexes → purge cached pages.

Editors, partner-feed imports and the API all end here, so every way in gets the same checks. Saving the same
external id again updates that article (idempotent imports), and saving unchanged content writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from newsportal.domain import Article, ArticleDraft, ArticleStatus, Source
from newsportal.domain.channels import ChannelTree
from newsportal.domain.limits import (
    AUTO_SUMMARY_CHARS,
    MAX_BYLINE,
    MAX_EXTERNAL_ID,
    MAX_NAME,
    MAX_PEOPLE,
    MAX_SUMMARY,
    MAX_TAG,
    MAX_TAGS,
    MAX_TITLE,
    published_at_problem,
)
from newsportal.store import NotFound, Store
from newsportal.text import BodyTooLarge, html_to_text, sanitize_html
from newsportal.timeutil import utcnow

if TYPE_CHECKING:
    from newsportal.newsroom.tail import PublishTail


class Desk(Protocol):
    """What the publish flow needs (a :class:`~newsportal.portal.Portal` is one): the store, the channel and
    source lookups that validate a draft, and the tail that brings derived views in line after a write."""

    @property
    def store(self) -> Store: ...
    @property
    def channels(self) -> ChannelTree: ...
    @property
    def sources_by_key(self) -> Mapping[str, Source]: ...
    @property
    def tail(self) -> PublishTail: ...


class ValidationError(ValueError):
    """Input the newsroom refuses, with the field at fault so the API can say which."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _clean_list(field: str, values: Iterable[object], limit: int, item_limit: int) -> tuple[str, ...]:
    out: list[str] = []
    for v in values:
        if not isinstance(v, str):
            raise ValidationError(field, "must be a list of strings")
        v = v.strip()
        if not v:
            continue
        if len(v) > item_limit:
            raise ValidationError(field, f"an item is longer than {item_limit} characters")
        if v not in out:
            out.append(v)
    if len(out) > limit:
        raise ValidationError(field, f"at most {limit} items")
    return tuple(out)


def prepare(portal: Desk, draft: ArticleDraft, *, scheduled: bool = False,
            now: datetime | None = None) -> tuple[ArticleDraft, int, int]:
    """Check and normalise a draft; returns the cleaned draft with its channel and source ids.

    ``scheduled`` is set only by the scheduler's path: it alone may carry a ``published_at`` in the future.
    """
    title = (draft.title or "").strip()
    if not title:
        raise ValidationError("title", "must not be empty")
    if len(title) > MAX_TITLE:
        raise ValidationError("title", f"at most {MAX_TITLE} characters")
    channel = portal.channels.section_by_slug(draft.channel_slug)
    if channel is None:
        raise ValidationError("channel", f"unknown channel {draft.channel_slug!r}")
    source = portal.sources_by_key.get(draft.source_key)
    if source is None:
        raise ValidationError("source", f"unknown source {draft.source_key!r}")
    try:
        body = sanitize_html(draft.body_html or "")
    except BodyTooLarge as exc:
        raise ValidationError("body_html", str(exc)) from exc
    text = html_to_text(body)
    if not text:
        raise ValidationError("body_html", "must contain text after sanitizing")
    summary = (draft.summary or "").strip() or text.split("\n", 1)[0][:AUTO_SUMMARY_CHARS]
    if len(summary) > MAX_SUMMARY:
        raise ValidationError("summary", f"at most {MAX_SUMMARY} characters")
    byline = (draft.byline or "").strip()
    if len(byline) > MAX_BYLINE:
        raise ValidationError("byline", f"at most {MAX_BYLINE} characters")
    if draft.published_at is not None:
        problem = published_at_problem(draft.published_at, now or utcnow(), scheduled=scheduled)
        if problem:
            raise ValidationError("published_at", problem)
    if draft.external_id is not None and not (0 < len(draft.external_id) <= MAX_EXTERNAL_ID):
        raise ValidationError("external_id", f"must be 1 to {MAX_EXTERNAL_ID} characters")
    cleaned = replace(
        draft,
        title=title,
        summary=summary,
        body_html=body,
        byline=byline,
        tags=_clean_list("tags", draft.tags, MAX_TAGS, MAX_TAG),
        reporters=_clean_list("reporters", draft.reporters, MAX_PEOPLE, MAX_NAME),
        editors=_clean_list("editors", draft.editors, MAX_PEOPLE, MAX_NAME),
        original=bool(draft.original),
    )
    return cleaned, channel.id, source.id


def _unchanged(a: Article, d: ArticleDraft, channel_id: int, source_id: int) -> bool:
    return (
        a.title == d.title
        and a.summary == d.summary
        and a.body_html == d.body_html
        and a.byline == d.byline
        and a.channel_id == channel_id
        and a.source_id == source_id
        and a.original == d.original
        and a.tags == d.tags
        and a.reporters == d.reporters
        and a.editors == d.editors
        and (d.published_at is None or a.published_at == d.published_at)
    )


def save_article(
    portal: Desk,
    draft: ArticleDraft,
    *,
    actor: str,
    article_id: int | None = None,
    publish_now: bool = False,
    scheduled: bool = False,
    now: datetime | None = None,
) -> tuple[Article, bool]:
    """Create or update an article; returns it and whether anything was written.

    With ``article_id`` the article is updated; otherwise an existing article with the same external id is
    updated, and only then a new one created.
    """
    cleaned, channel_id, source_id = prepare(portal, draft, scheduled=scheduled, now=now)
    store = portal.store
    existing: Article | None = None
    if article_id is not None:
        existing = store.get_article(article_id)
        if existing is None:
            raise NotFound(f"article {article_id} not found")
    elif cleaned.external_id:
        existing = store.get_article_by_external_id(cleaned.external_id)

    if existing is None:
        status = ArticleStatus.PUBLISHED if publish_now else ArticleStatus.DRAFT
        article = store.create_article(
            cleaned, channel_id=channel_id, source_id=source_id, status=status, actor=actor
        )
        portal.tail.article_saved(article, None)
        return article, True

    changed = False
    article = existing
    if not _unchanged(existing, cleaned, channel_id, source_id):
        article = store.update_article(
            existing.id, cleaned, channel_id=channel_id, source_id=source_id, actor=actor
        )
        changed = True
    if publish_now and article.status is not ArticleStatus.PUBLISHED:
        article = store.set_status(article.id, ArticleStatus.PUBLISHED)
        changed = True
    if changed:
        portal.tail.article_saved(article, existing)
    return article, changed


def publish(portal: Desk, article_id: int) -> Article:
    """Make an article live (its first publication stamps ``published_at``)."""
    return _set_status(portal, article_id, ArticleStatus.PUBLISHED)


def withdraw(portal: Desk, article_id: int) -> Article:
    """Take an article off the site; it stays in the store with its revisions."""
    return _set_status(portal, article_id, ArticleStatus.WITHDRAWN)


def to_review(portal: Desk, article_id: int) -> Article:
    """Put an article in the review queue (待审): an untrusted partner's new story waits for an editor."""
    return _set_status(portal, article_id, ArticleStatus.REVIEW)


def to_draft(portal: Desk, article_id: int) -> Article:
    """Back to draft (returned to its author, or reopened after a withdrawal); readers no longer see it."""
    return _set_status(portal, article_id, ArticleStatus.DRAFT)


def _set_status(portal: Desk, article_id: int, status: ArticleStatus) -> Article:
    previous = portal.store.get_article(article_id)
    if previous is None:
        raise NotFound(f"article {article_id} not found")
    article = portal.store.set_status(article_id, status)
    portal.tail.article_saved(article, previous)
    return article
