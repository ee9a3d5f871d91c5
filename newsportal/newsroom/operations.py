"""The newsroom's article operations: every editorial write, its role check and audit entry, in one place.

The web UI, the API (tokens and sessions alike) and tests call these methods with an :class:`Actor`; the
role × action matrix is asked here (through :func:`workflow.apply` / :func:`workflow.on_save`, which call
:func:`roles.require`), never in a handler. Each write then goes through the one publish flow
(:mod:`newsportal.newsroom.publish`: store → publish tail → signals), so caches, indexes and listeners see
newsroom work exactly like imports, and writes an audit entry.

Two rules users of other systems miss:

* A save carries the revision number the editor started from. If the article moved on meanwhile the save
  is refused with :class:`EditConflict`, which carries both versions; nothing is overwritten silently.
* A save that changes nothing writes nothing and leaves the review state alone (:func:`workflow.on_save`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from typing import Any

from newsportal.domain import Article, ArticleDraft, ArticleStatus, SourceKind
from newsportal.newsroom.actors import SYSTEM_NAME, Actor
from newsportal.newsroom.audit import AuditService
from newsportal.newsroom.publish import Desk, prepare, publish, save_article, to_draft, to_review, withdraw
from newsportal.newsroom.roles import Action, Forbidden, Role, require
from newsportal.newsroom.workflow import (
    Command,
    SaveOutcome,
    State,
    Status,
    Transition,
    WorkflowError,
    apply,
    on_save,
)
from newsportal.store import NotFound
from newsportal.store.workflow import WorkflowRecord, WorkflowStore
from newsportal.timeutil import to_utc_naive, utcnow

#: the article status readers' side keeps for each workflow state
_ARTICLE_STATUS: Mapping[State, ArticleStatus] = {
    State.DRAFT: ArticleStatus.DRAFT,
    State.RETURNED: ArticleStatus.DRAFT,
    State.SUBMITTED: ArticleStatus.REVIEW,
    State.SCHEDULED: ArticleStatus.REVIEW,
    State.PUBLISHED: ArticleStatus.PUBLISHED,
    State.WITHDRAWN: ArticleStatus.WITHDRAWN,
}
_STATE_OF: Mapping[ArticleStatus, State] = {
    ArticleStatus.DRAFT: State.DRAFT,
    ArticleStatus.REVIEW: State.SUBMITTED,
    ArticleStatus.PUBLISHED: State.PUBLISHED,
    ArticleStatus.WITHDRAWN: State.WITHDRAWN,
}


class EditConflict(WorkflowError):
    """A save based on an old revision: ``mine`` is what the editor sent, ``theirs`` the stored article."""

    def __init__(self, article_id: int, expected: int, theirs: Article, mine: ArticleDraft, by: str):
        who = f"（{by}）" if by else ""
        super().__init__(
            f"稿件已被他人修改{who}：你是在第 {expected} 版上修改的，现在已是第 {theirs.revision} 版。"
            "你的修改没有保存，请对照两个版本后重新保存。"
        )
        self.article_id = article_id
        self.expected = expected
        self.current = theirs.revision
        self.theirs = theirs
        self.mine = mine
        self.by = by


@dataclass(frozen=True, slots=True)
class SaveResult:
    article: Article
    outcome: SaveOutcome
    record: WorkflowRecord


def status_of(record: WorkflowRecord) -> Status:
    return Status(State(record.state), record.scheduled_at, record.embargo, record.reason, record.update_at)


def draft_of(article: Article, channel_slug: str, source_key: str, **changes: Any) -> ArticleDraft:
    """The draft that would save ``article`` unchanged (the base for restores and corrections)."""
    base = ArticleDraft(
        title=article.title, body_html=article.body_html, channel_slug=channel_slug, source_key=source_key,
        summary=article.summary, byline=article.byline, tags=article.tags, reporters=article.reporters,
        editors=article.editors, original=article.original, external_id=article.external_id,
    )
    return replace(base, **changes)


def draft_payload(draft: ArticleDraft) -> dict[str, Any]:
    """A draft as JSON-able data (a scheduled update keeps its pending revision in this form)."""
    data = asdict(draft)
    data["published_at"] = None
    return data


def draft_from_payload(payload: Mapping[str, Any]) -> ArticleDraft:
    names = {f.name for f in fields(ArticleDraft)}
    data: dict[str, Any] = {
        k: (tuple(v) if isinstance(v, list) else v) for k, v in payload.items() if k in names
    }
    data["published_at"] = None
    return ArticleDraft(**data)


def _content(article: Article) -> dict[str, object]:
    return {
        "title": article.title, "summary": article.summary, "body_html": article.body_html,
        "byline": article.byline, "channel_id": article.channel_id, "source_id": article.source_id,
        "original": article.original, "tags": article.tags, "reporters": article.reporters,
        "editors": article.editors,
    }


def _draft_content(draft: ArticleDraft, channel_id: int, source_id: int) -> dict[str, object]:
    return {
        "title": draft.title, "summary": draft.summary, "body_html": draft.body_html,
        "byline": draft.byline, "channel_id": channel_id, "source_id": source_id,
        "original": draft.original, "tags": draft.tags, "reporters": draft.reporters,
        "editors": draft.editors,
    }


class ArticleOperations:
    """Create, save, move through review, correct and restore articles on behalf of an :class:`Actor`."""

    def __init__(self, desk: Desk, workflow: WorkflowStore, audit: AuditService,
                 clock: Callable[[], datetime] = utcnow):
        self.desk = desk
        self.workflow = workflow
        self.audit = audit
        self.clock = clock
        self._save_lock = threading.Lock()  # revision check and write are one step within this process

    # -- helpers -------------------------------------------------------------------------------------
    def _now(self, now: datetime | None) -> datetime:
        return to_utc_naive(now) if now is not None else self.clock()

    def _article(self, article_id: int) -> Article:
        article = self.desk.store.get_article(article_id)
        if article is None:
            raise NotFound(f"article {article_id} not found")
        return article

    def record(self, article: Article, *, now: datetime | None = None) -> WorkflowRecord:
        """The article's workflow row; an imported article gets one matching its current status."""
        rec = self.workflow.get(article.id)
        if rec is not None:
            return rec
        rec = self.workflow.ensure(article.id, now=self._now(now))
        state = _STATE_OF[article.status]
        if rec.state == State.DRAFT.value and state is not State.DRAFT:
            rec = self.workflow.set_status(article.id, expect_state=rec.state, state=state.value,
                                           now=self._now(now))
        return rec

    @staticmethod
    def owns(actor: Actor, record: WorkflowRecord, article: Article | None = None) -> bool:
        """An actor owns an article they wrote; a self-media owner also owns their account's articles."""
        if actor.user_id and record.author_user_id == actor.user_id:
            return True
        return (actor.role is Role.SELF_MEDIA and article is not None and actor.source_id is not None
                and article.source_id == actor.source_id)

    def _audit(self, action: str, actor: Actor | None, article_id: int, at: datetime,
               **detail: object) -> None:
        self.audit.record(action, actor=actor, actor_name=None if actor else SYSTEM_NAME,
                          target_kind="article", target_id=article_id, at=at, detail=detail or None)

    def _check_source(self, actor: Actor, draft: ArticleDraft) -> None:
        """A self-media owner writes only under their own account, and nobody else writes under it except
        editors (who may edit anyone's work): a reporter's story never appears as a self-media post."""
        source = self.desk.sources_by_key.get(draft.source_key)
        if source is None:
            return  # the publish flow names the unknown source
        if actor.role is Role.SELF_MEDIA:
            if source.id != actor.source_id:
                raise Forbidden(Action.WRITE, actor.role, reason="ownership")
        elif source.kind is SourceKind.SELF_MEDIA:
            require(actor.role, Action.EDIT_OTHERS, active=actor.active)

    def _check_version(self, article: Article, expected: int | None, mine: ArticleDraft) -> None:
        """Refuse an edit based on an older revision than the stored one (``None``: no check asked)."""
        if expected is not None and expected != article.revision:
            revs = self.desk.store.revisions(article.id)
            raise EditConflict(article.id, expected, article, mine, revs[-1].actor if revs else "")

    def _sync_article_status(self, article_id: int, state: State) -> Article:
        """Bring the reader-side status in line with the workflow state, through the publish flow."""
        want = _ARTICLE_STATUS[state]
        article = self._article(article_id)
        if article.status is want:
            return article
        if want is ArticleStatus.PUBLISHED:
            return publish(self.desk, article_id)
        if want is ArticleStatus.WITHDRAWN:
            return withdraw(self.desk, article_id)
        if want is ArticleStatus.REVIEW:
            return to_review(self.desk, article_id)
        return to_draft(self.desk, article_id)

    # -- writing -------------------------------------------------------------------------------------
    def create(self, actor: Actor, draft: ArticleDraft, *, now: datetime | None = None) -> SaveResult:
        """A new draft owned by ``actor`` (needs ``write`` on one's own work)."""
        require(actor.role, Action.WRITE, owns=True, active=actor.active)
        self._check_source(actor, draft)
        at = self._now(now)
        article, _ = save_article(self.desk, draft, actor=actor.name)
        if self.workflow.get(article.id) is None:  # a new article: its writer owns it
            self.workflow.ensure(article.id, now=at, author_user_id=actor.user_id or None)
        rec = self.record(article, now=at)
        self._audit("article.create", actor, article.id, at, revision=article.revision)
        outcome = SaveOutcome(True, ("title",), status_of(rec), status_of(rec), None)
        return SaveResult(article, outcome, rec)

    def save(self, actor: Actor, article_id: int, draft: ArticleDraft, *, expected_revision: int | None,
             now: datetime | None = None) -> SaveResult:
        """Save a new revision; refuses a stale ``expected_revision`` with :class:`EditConflict`.

        ``expected_revision=None`` skips the version check (partner imports by external id, which are
        last-writer-wins by contract); the newsroom UI always sends it.
        """
        at = self._now(now)
        with self._save_lock:
            article = self._article(article_id)
            rec = self.record(article, now=at)
            owns = self.owns(actor, rec, article)
            cleaned, channel_id, source_id = prepare(self.desk, draft)
            self._check_source(actor, cleaned)
            new = _draft_content(cleaned, channel_id, source_id)
            outcome = on_save(status_of(rec), _content(article), new,
                              role=actor.role, owns=owns, active=actor.active)
            self._check_version(article, expected_revision, cleaned)
            if not outcome.changed:
                return SaveResult(article, outcome, rec)
            saved, _ = save_article(self.desk, cleaned, actor=actor.name, article_id=article_id)
        if outcome.review_reset:
            rec = self.workflow.set_status(article_id, expect_state=rec.state,
                                           state=outcome.after.state.value, now=at,
                                           approved_by_user_id=None, approved_by_name=None)
            saved = self._sync_article_status(article_id, outcome.after.state)
        if outcome.audit is not None:
            self._audit(outcome.audit.value, actor, article_id, at, fields=list(outcome.fields),
                        revision=saved.revision, review_reset=outcome.review_reset)
        return SaveResult(saved, outcome, rec)

    def restore_revision(self, actor: Actor, article_id: int, number: int, *, expected_revision: int | None,
                         now: datetime | None = None) -> SaveResult:
        """Bring back an old revision's text as a new revision (history is never rewritten)."""
        article = self._article(article_id)
        old = next((r for r in self.desk.store.revisions(article_id) if r.number == number), None)
        if old is None:
            raise NotFound(f"article {article_id} has no revision {number}")
        draft = self._draft(article, title=old.title, summary=old.summary, body_html=old.body_html,
                            byline=old.byline)
        result = self.save(actor, article_id, draft, expected_revision=expected_revision, now=now)
        if result.outcome.changed:
            self._audit("article.restore", actor, article_id, self._now(now), restored=number,
                        revision=result.article.revision)
        return result

    def _draft(self, article: Article, **changes: Any) -> ArticleDraft:
        channel = self.desk.channels.get(article.channel_id)
        source = next((s for s in self.desk.sources_by_key.values() if s.id == article.source_id), None)
        if channel is None or source is None:
            raise NotFound(f"article {article.id} has no channel or source")
        return draft_of(article, channel.slug, source.key, **changes)

    # -- review workflow -----------------------------------------------------------------------------
    def transition(self, actor: Actor, article_id: int, command: Command, *, reason: str | None = None,
                   scheduled_at: datetime | None = None, embargo: bool = False,
                   now: datetime | None = None) -> Transition:
        """Check and run one workflow command, store it, apply it to the article and audit it."""
        at = self._now(now)
        article = self._article(article_id)
        rec = self.record(article, now=at)
        t = apply(status_of(rec), command, role=actor.role, now=at, owns=self.owns(actor, rec, article),
                  active=actor.active, reason=reason, scheduled_at=scheduled_at, embargo=embargo)
        extra: dict[str, Any] = {}
        if t.approves:
            extra.update(approved_by_user_id=actor.user_id or None, approved_by_name=actor.name)
        elif command in (Command.RETURN, Command.UNSCHEDULE, Command.REOPEN):
            extra.update(approved_by_user_id=None, approved_by_name=None)
        if command is Command.SUBMIT:
            extra["submitted_by_user_id"] = actor.user_id or None
        after = t.after
        self.workflow.set_status(article_id, expect_state=rec.state, state=after.state.value, now=at,
                                 scheduled_at=after.scheduled_at, embargo=after.embargo, reason=after.reason,
                                 update_at=after.update_at, **extra)
        self._sync_article_status(article_id, after.state)
        detail: dict[str, Any] = {"from": t.before.state.value, "to": after.state.value}
        if t.note:
            detail["reason"] = t.note
        if after.scheduled_at:
            detail.update(scheduled_at=after.scheduled_at, embargo=after.embargo)
        self._audit(t.audit.value, actor, article_id, at, **detail)
        return t

    def submit(self, actor: Actor, article_id: int, *, now: datetime | None = None) -> Transition:
        return self.transition(actor, article_id, Command.SUBMIT, now=now)

    def approve_publish(self, actor: Actor, article_id: int, *, now: datetime | None = None) -> Transition:
        """Approve and publish now; the actor is credited as 责编 on the article page."""
        return self.transition(actor, article_id, Command.PUBLISH, now=now)

    def return_article(self, actor: Actor, article_id: int, reason: str, *,
                       now: datetime | None = None) -> Transition:
        return self.transition(actor, article_id, Command.RETURN, reason=reason, now=now)

    def schedule(self, actor: Actor, article_id: int, when: datetime, *, embargo: bool = False,
                 now: datetime | None = None) -> Transition:
        """Approve for publication at ``when`` (an embargo also forbids publishing it earlier by hand)."""
        return self.transition(actor, article_id, Command.SCHEDULE, scheduled_at=when, embargo=embargo,
                               now=now)

    def unschedule(self, actor: Actor, article_id: int, *, now: datetime | None = None) -> Transition:
        return self.transition(actor, article_id, Command.UNSCHEDULE, now=now)

    def withdraw(self, actor: Actor, article_id: int, reason: str, *,
                 now: datetime | None = None) -> Transition:
        return self.transition(actor, article_id, Command.WITHDRAW, reason=reason, now=now)

    def reopen(self, actor: Actor, article_id: int, *, now: datetime | None = None) -> Transition:
        return self.transition(actor, article_id, Command.REOPEN, now=now)

    def schedule_update(self, actor: Actor, article_id: int, draft: ArticleDraft, when: datetime, *,
                        expected_revision: int | None, now: datetime | None = None) -> Transition:
        """Replace a live article's text at ``when``: readers keep the current text until then, and the
        swap is not a second publication (no "published" side effects)."""
        at = self._now(now)
        article = self._article(article_id)
        cleaned, _, _ = prepare(self.desk, draft)
        self._check_version(article, expected_revision, cleaned)
        rec = self.record(article, now=at)
        t = apply(status_of(rec), Command.SCHEDULE_UPDATE, role=actor.role, now=at,
                  owns=self.owns(actor, rec, article), active=actor.active, scheduled_at=when)
        self.workflow.set_status(article_id, expect_state=rec.state, state=t.after.state.value, now=at,
                                 update_at=t.after.update_at, approved_by_user_id=actor.user_id or None,
                                 approved_by_name=actor.name, pending_revision=draft_payload(cleaned))
        self._audit(t.audit.value, actor, article_id, at, update_at=t.after.update_at)
        return t

    def cancel_update(self, actor: Actor, article_id: int, *, now: datetime | None = None) -> Transition:
        """Drop a live article's scheduled update: the live text stays, the pending revision is discarded
        (so a later schedule starts from what the editor then types, not from a forgotten draft)."""
        t = self.transition(actor, article_id, Command.CANCEL_UPDATE, now=now)
        self.workflow.set_pending_revision(article_id, None, now=self._now(now))
        return t

    def correct(self, actor: Actor, article_id: int, note: str, *, draft: ArticleDraft | None = None,
                expected_revision: int | None = None, now: datetime | None = None) -> Transition:
        """A correction of a live article: optional new text plus a dated note shown to readers (更正)."""
        at = self._now(now)
        article = self._article(article_id)
        rec = self.record(article, now=at)
        t = apply(status_of(rec), Command.CORRECT, role=actor.role, now=at,
                  owns=self.owns(actor, rec, article), active=actor.active, reason=note)
        revision = article.revision
        if draft is not None:
            result = self.save(actor, article_id, draft, expected_revision=expected_revision, now=at)
            revision = result.article.revision
        assert t.note is not None
        self.workflow.add_correction(article_id, t.note, at=at, by_user_id=actor.user_id or None,
                                     by_name=actor.name)
        latest = self._article(article_id)
        self.desk.tail.article_saved(latest, latest)  # the page shows the note at once
        self._audit(t.audit.value, actor, article_id, at, note=t.note, revision=revision)
        return t

    # -- the scheduler's publish step ----------------------------------------------------------------
    def fire(self, article_id: int, transition: Transition) -> None:
        """:data:`scheduler.PublishCallback`: publish a due article, or put its pending revision live.

        Idempotent, because a stale claim may be taken over and the step re-run: an article already live
        is not published again, so "published" side effects fire once.
        """
        article = self._article(article_id)
        if transition.goes_live:
            if article.status is not ArticleStatus.PUBLISHED:
                publish(self.desk, article_id)
            return
        rec = self.workflow.get(article_id)
        if rec is not None and rec.pending_revision:
            draft = draft_from_payload(rec.pending_revision)
            save_article(self.desk, draft, actor=rec.approved_by_name or SYSTEM_NAME, article_id=article_id)
