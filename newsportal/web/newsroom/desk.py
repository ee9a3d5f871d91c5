"""The newsroom desk: saving drafts with a version check, workflow commands, restore, and the scheduler's
publish step — the editorial logic behind the pages, with no HTTP in it.

Every article write goes through the one publish flow (:func:`newsportal.newsroom.publish.save_article`),
so body HTML is sanitized with nh3 exactly as for the API and feeds. The review state lives in the
workflow store and is decided by the pure state machine (:mod:`newsportal.newsroom.workflow`); this module
only glues the two together and writes the audit entries. The helpers it shares with the API's
:class:`~newsportal.newsroom.operations.ArticleOperations` (a workflow row's status, the draft that saves an
article unchanged) are that module's, not copies.

Who approved publication is credited as 责编: when an article goes live (now, or later by the scheduler),
the approver's display name becomes the article's ``editors``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from newsportal.domain import Article, ArticleDraft, ArticleStatus
from newsportal.domain.limits import (
    MAX_BYLINE,
    MAX_NAME,
    MAX_PEOPLE,
    MAX_SUMMARY,
    MAX_TAG,
    MAX_TAGS,
    MAX_TITLE,
)
from newsportal.newsroom.actors import Actor
from newsportal.newsroom.operations import draft_of as unchanged_draft
from newsportal.newsroom.operations import status_of
from newsportal.newsroom.publish import ValidationError, publish, save_article, withdraw
from newsportal.newsroom.roles import Action, Role, require
from newsportal.newsroom.timefmt import InvalidDateTime, parse_local
from newsportal.newsroom.workflow import (
    Command,
    State,
    Transition,
    WorkflowError,
    apply,
    on_save,
)
from newsportal.store.workflow import WorkflowRecord
from newsportal.text import html_to_text
from newsportal.web.newsroom.deps import NewsroomServices

LIST_SPLIT = re.compile(r"[,，、;；\s]+")
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]")
"""Zero-width and bidi control characters: invisible in Chinese text, and a bidi override can make the
text around it read differently from what was typed (a classic way to disguise a link or a name)."""
MESSAGES = {
    "title": f"标题不能超过 {MAX_TITLE} 个字",
    "channel": "请选择有效的频道",
    "source": "请选择有效的来源",
    "body_html": "正文不能为空（清理不安全的标签后没有剩下文字），或正文过长",
    "summary": f"摘要不能超过 {MAX_SUMMARY} 个字",
    "byline": f"署名不能超过 {MAX_BYLINE} 个字",
    "tags": f"标签最多 {MAX_TAGS} 个，每个不超过 {MAX_TAG} 个字",
    "reporters": f"记者最多 {MAX_PEOPLE} 位，每个名字不超过 {MAX_NAME} 个字",
}


class DeskError(ValueError):
    """A refusal to show beside the form: ``errors`` maps field → Chinese message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        self.message = "；".join(errors.values())
        super().__init__(self.message)


class StaleEdit(Exception):
    """The form was made from an older revision; ``current`` is what is stored now."""

    def __init__(self, current: Article):
        self.current = current
        super().__init__(f"稿件已被他人修改（当前为第 {current.revision} 版）")


@dataclass(frozen=True)
class ArticleForm:
    """What the editor form posts, as typed (kept verbatim to re-display on error)."""

    title: str = ""
    summary: str = ""
    body_html: str = ""
    channel: str = ""
    source: str = ""
    byline: str = ""
    tags: str = ""
    reporters: str = ""
    original: bool = False
    revision: int = 0

    @classmethod
    def from_article(cls, portal_sources: dict, article: Article, channel_slug: str) -> ArticleForm:
        source = portal_sources.get(article.source_id)
        return cls(
            title=article.title,
            summary=article.summary,
            body_html=article.body_html,
            channel=channel_slug,
            source=source.key if source else "",
            byline=article.byline,
            tags="，".join(article.tags),
            reporters="，".join(article.reporters),
            original=article.original,
            revision=article.revision,
        )


def visible(text: str) -> str:
    """``text`` without zero-width and bidi control characters (see :data:`INVISIBLE`)."""
    return INVISIBLE.sub("", text)


def split_list(text: str) -> tuple[str, ...]:
    return tuple(t for t in LIST_SPLIT.split(text.strip()) if t)


def owns(actor: Actor, record: WorkflowRecord) -> bool:
    return record.author_user_id is not None and record.author_user_id == actor.user_id


def _source_key(svc: NewsroomServices, actor: Actor, form: ArticleForm) -> str:
    """Self-media owners always write under their own source, whatever the form says."""
    if actor.role is Role.SELF_MEDIA:
        source = svc.portal.sources.get(actor.source_id or -1)
        if source is None:
            raise DeskError({"source": "您的自媒体账号没有关联来源，请联系管理员"})
        return source.key
    return form.source


def draft_of(
    svc: NewsroomServices, actor: Actor, form: ArticleForm, *, editors: tuple[str, ...] = ()
) -> ArticleDraft:
    errors: dict[str, str] = {}
    if not form.title.strip():
        errors["title"] = "请填写标题"
    if not html_to_text(form.body_html or "").strip():
        errors["body_html"] = "请填写正文"
    if svc.portal.channels.section_by_slug(form.channel) is None:
        errors["channel"] = MESSAGES["channel"]
    if errors:
        raise DeskError(errors)
    return ArticleDraft(
        title=visible(form.title),
        body_html=visible(form.body_html),
        channel_slug=form.channel,
        source_key=_source_key(svc, actor, form),
        summary=visible(form.summary),
        byline=visible(form.byline),
        tags=split_list(visible(form.tags)),
        reporters=split_list(visible(form.reporters)),
        editors=editors,
        original=form.original,
    )


def _write(
    svc: NewsroomServices, draft: ArticleDraft, actor: Actor, article_id: int | None
) -> tuple[Article, bool]:
    try:
        return save_article(svc.portal, draft, actor=actor.name, article_id=article_id)
    except ValidationError as exc:
        raise DeskError({exc.field: MESSAGES.get(exc.field, "输入无效")}) from exc


def _fields(article: Article | ArticleDraft, channel: str, source: str) -> dict[str, object]:
    return {
        "title": article.title,
        "summary": article.summary,
        "body_html": article.body_html,
        "byline": article.byline,
        "tags": tuple(article.tags),
        "reporters": tuple(article.reporters),
        "original": article.original,
        "channel": channel,
        "source": source,
    }


def channel_slug(svc: NewsroomServices, article: Article) -> str:
    ch = svc.portal.channels.get(article.channel_id)
    return ch.slug if ch else ""


def create(svc: NewsroomServices, actor: Actor, form: ArticleForm) -> Article:
    """A new draft owned by ``actor``."""
    require(actor.role, Action.WRITE, owns=True, active=actor.active)
    article, _ = _write(svc, draft_of(svc, actor, form), actor, None)
    svc.workflow.ensure(article.id, now=svc.clock(), author_user_id=actor.user_id)
    svc.audit.record(
        "article.save",
        actor=actor,
        target_kind="article",
        target_id=article.id,
        detail={"revision": article.revision, "created": True},
    )
    return article


def save(svc: NewsroomServices, actor: Actor, article_id: int, form: ArticleForm) -> tuple[Article, bool]:
    """Save an edit; :class:`StaleEdit` when the form's revision is not the stored one.

    A save that changes nothing writes nothing and keeps the review state (the state machine decides).
    """
    current = svc.portal.store.get_article(article_id)
    if current is None:
        raise LookupError(article_id)
    record = svc.workflow.ensure(article_id, now=svc.clock())
    mine = owns(actor, record)
    draft = draft_of(svc, actor, form, editors=current.editors)
    old = _fields(current, channel_slug(svc, current), _key(svc, current.source_id))
    new = _fields(draft, draft.channel_slug, draft.source_key)
    outcome = on_save(status_of(record), old, new, role=actor.role, owns=mine, active=actor.active)
    if not outcome.changed:
        return current, False
    if form.revision != current.revision:
        raise StaleEdit(current)
    article, _ = _write(svc, draft, actor, article_id)
    if outcome.review_reset:
        svc.workflow.set_status(
            article_id,
            expect_state=record.state,
            state=State.SUBMITTED.value,
            now=svc.clock(),
            approved_by_user_id=None,
            approved_by_name=None,
        )
    svc.audit.record(
        outcome.audit.value if outcome.audit else "article.save",
        actor=actor,
        target_kind="article",
        target_id=article_id,
        detail={
            "revision": article.revision,
            "fields": list(outcome.fields),
            "review_reset": outcome.review_reset,
        },
    )
    return article, True


def _key(svc: NewsroomServices, source_id: int) -> str:
    source = svc.portal.sources.get(source_id)
    return source.key if source else ""


def restore(svc: NewsroomServices, actor: Actor, article_id: int, number: int) -> Article:
    """Make an old revision's text current again, as a new revision (history is never rewritten)."""
    current = svc.portal.store.get_article(article_id)
    if current is None:
        raise LookupError(article_id)
    old = next((r for r in svc.portal.store.revisions(article_id) if r.number == number), None)
    if old is None:
        raise LookupError(number)
    form = replace(
        ArticleForm.from_article(svc.portal.sources, current, channel_slug(svc, current)),
        title=old.title,
        summary=old.summary,
        body_html=old.body_html,
        byline=old.byline,
    )
    article, _ = save(svc, actor, article_id, form)
    return article


@dataclass(frozen=True)
class CommandInput:
    command: Command
    reason: str = ""
    when: str = ""
    embargo: bool = False


def run_command(svc: NewsroomServices, actor: Actor, article_id: int, given: CommandInput) -> Transition:
    """Apply one workflow command and carry out its effects (publish, withdraw, correction note)."""
    article = svc.portal.store.get_article(article_id)
    if article is None:
        raise LookupError(article_id)
    record = svc.workflow.ensure(article_id, now=svc.clock())
    scheduled_at = None
    if given.command is Command.SCHEDULE:
        try:
            scheduled_at = parse_local(given.when) if given.when.strip() else None
        except InvalidDateTime as exc:
            raise DeskError({"when": exc.message}) from exc
    try:
        t = apply(
            status_of(record),
            given.command,
            role=actor.role,
            now=svc.clock(),
            owns=owns(actor, record),
            active=actor.active,
            reason=visible(given.reason),
            scheduled_at=scheduled_at,
            embargo=given.embargo,
        )
    except WorkflowError as exc:
        raise DeskError({"command": exc.message}) from exc
    now = svc.clock()
    approver: dict[str, Any] = {}
    if t.approves:
        approver = {"approved_by_user_id": actor.user_id, "approved_by_name": actor.name}
    elif t.after.state in (State.RETURNED, State.DRAFT):
        approver = {"approved_by_user_id": None, "approved_by_name": None}
    submitted: dict[str, Any] = (
        {"submitted_by_user_id": actor.user_id} if given.command is Command.SUBMIT else {}
    )
    if given.command is not Command.CORRECT:
        svc.workflow.set_status(
            article_id,
            expect_state=record.state,
            state=t.after.state.value,
            now=now,
            scheduled_at=t.after.scheduled_at,
            embargo=t.after.embargo,
            reason=t.after.reason,
            update_at=t.after.update_at,
            **approver,
            **submitted,
        )
    if given.command is Command.PUBLISH:
        go_live(svc, article_id, actor.name)
    elif given.command is Command.WITHDRAW:
        withdraw(svc.portal, article_id)
    elif given.command is Command.CORRECT:
        svc.workflow.add_correction(
            article_id, t.note or "", at=now, by_user_id=actor.user_id, by_name=actor.name
        )
    svc.audit.record(
        t.audit.value,
        actor=actor,
        target_kind="article",
        target_id=article_id,
        detail={"note": t.note, "scheduled_at": t.after.scheduled_at, "embargo": t.after.embargo},
    )
    return t


def go_live(svc: NewsroomServices, article_id: int, approver: str | None) -> Article:
    """Publish through the flow, crediting ``approver`` as 责编 first (used by editors and the scheduler)."""
    article = svc.portal.store.get_article(article_id)
    if article is None:
        raise LookupError(article_id)
    if approver and article.editors != (approver,):
        draft = unchanged_draft(article, channel_slug(svc, article), _key(svc, article.source_id),
                                editors=(approver,))
        save_article(svc.portal, draft, actor=approver, article_id=article_id)
    if article.status is ArticleStatus.PUBLISHED:
        return article
    return publish(svc.portal, article_id)


def scheduled_publish(svc: NewsroomServices) -> Callable[[int, Transition], None]:
    """The scheduler's publish callback: the same go-live step, credited to whoever scheduled it."""

    def fire(article_id: int, transition: Transition) -> None:
        record = svc.workflow.get(article_id)
        go_live(svc, article_id, record.approved_by_name if record else None)

    return fire
