"""The article review workflow as a pure state machine: no store, no clock of its own, no side effects.

The store and the web layer keep the state and run the effects; this module only answers "may this actor
move this article from here to there, and what does the audit log say about it?". Keeping it pure lets a
test walk every state × command pair, and lets the scheduler, the web UI and the API share one set of rules.

States and commands (the action each needs is checked with :func:`newsportal.newsroom.roles.require`)::

    草稿 draft ──submit──▶ 待审 submitted ──publish──▶ 已发布 published ──withdraw──▶ 已撤稿 withdrawn
      │  ▲                   │  │  ▲                      │  ▲                        │
      │  └──── reopen ───────┼──┼──┼──────────────────────┼──┼────────────────────────┘
      │                      │  │  └ unschedule ┐         └──┘ correct
      │                    return schedule       │
      ▼                      ▼  ▼                │
    (publish/schedule     退回 returned    定时发布 scheduled ──(time reached)──▶ 已发布
     directly by editors)  └─submit─▶ 待审

Rules that users of other newsroom systems complain about when missing:

* A save with no content change never changes the review state (:func:`on_save`).
* Content changed after approval (a scheduled article edited by someone without the schedule right) goes
  back to review: an approval covers the text that was approved, not whatever is there at publication time.
* A schedule time must lie in the future of the injected ``now``; an embargoed schedule cannot be published
  early by hand; a scheduled publication that fires after its time is marked ``late`` for the audit log.
* A live article can have its next revision scheduled (``schedule_update``): it replaces the live text in
  place when due, and :attr:`Transition.goes_live` stays false, so "published" side effects fire once only.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from newsportal.newsroom.roles import Action, Role, require
from newsportal.timeutil import format_beijing, to_utc_naive

MAX_REASON = 500
MAX_SCHEDULE_AHEAD = timedelta(days=366)
LATE_GRACE = timedelta(minutes=2)


class State(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    RETURNED = "returned"
    SCHEDULED = "scheduled"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS: Mapping[State, str] = {
    State.DRAFT: "草稿",
    State.SUBMITTED: "待审",
    State.PUBLISHED: "已发布",
    State.RETURNED: "退回",
    State.SCHEDULED: "定时发布",
    State.WITHDRAWN: "已撤稿",
}


class Command(enum.StrEnum):
    SUBMIT = "submit"
    RETURN = "return"
    PUBLISH = "publish"
    SCHEDULE = "schedule"
    UNSCHEDULE = "unschedule"
    WITHDRAW = "withdraw"
    CORRECT = "correct"
    REOPEN = "reopen"
    SCHEDULE_UPDATE = "schedule_update"
    CANCEL_UPDATE = "cancel_update"

    @property
    def label(self) -> str:
        return COMMAND_LABELS[self]


COMMAND_LABELS: Mapping[Command, str] = {
    Command.SUBMIT: "提交审核",
    Command.RETURN: "退回",
    Command.PUBLISH: "发布",
    Command.SCHEDULE: "定时发布",
    Command.UNSCHEDULE: "取消定时发布",
    Command.WITHDRAW: "撤稿",
    Command.CORRECT: "更正",
    Command.REOPEN: "恢复为草稿",
    Command.SCHEDULE_UPDATE: "定时更新",
    Command.CANCEL_UPDATE: "取消定时更新",
}


class AuditKind(enum.StrEnum):
    """The audit entry a transition writes; the audit log module stores these strings."""

    SUBMIT = "article.submit"
    RETURN = "article.return"
    PUBLISH = "article.publish"
    PUBLISH_SCHEDULED = "article.publish_scheduled"
    SCHEDULE = "article.schedule"
    RESCHEDULE = "article.reschedule"
    UNSCHEDULE = "article.unschedule"
    WITHDRAW = "article.withdraw"
    CORRECT = "article.correct"
    REOPEN = "article.reopen"
    SAVE = "article.save"
    UPDATE_LIVE = "article.update_live"
    SCHEDULE_UPDATE = "article.schedule_update"
    CANCEL_UPDATE = "article.cancel_update"
    UPDATE_SCHEDULED = "article.update_scheduled"


@dataclass(frozen=True)
class _Rule:
    sources: frozenset[State]
    target: State
    action: Action
    audit: AuditKind
    reason_message: str | None = None  # set when the command needs a reason; the message asks for it


S = State
RULES: Mapping[Command, _Rule] = {
    Command.SUBMIT: _Rule(frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, Action.SUBMIT, AuditKind.SUBMIT),
    Command.RETURN: _Rule(
        frozenset({S.SUBMITTED, S.SCHEDULED}), S.RETURNED, Action.APPROVE, AuditKind.RETURN, "请填写退回原因"
    ),
    Command.PUBLISH: _Rule(
        frozenset({S.DRAFT, S.SUBMITTED, S.SCHEDULED}), S.PUBLISHED, Action.PUBLISH, AuditKind.PUBLISH
    ),
    Command.SCHEDULE: _Rule(
        frozenset({S.DRAFT, S.SUBMITTED, S.SCHEDULED}), S.SCHEDULED, Action.SCHEDULE, AuditKind.SCHEDULE
    ),
    Command.UNSCHEDULE: _Rule(frozenset({S.SCHEDULED}), S.SUBMITTED, Action.SCHEDULE, AuditKind.UNSCHEDULE),
    Command.WITHDRAW: _Rule(
        frozenset({S.PUBLISHED}), S.WITHDRAWN, Action.WITHDRAW, AuditKind.WITHDRAW, "请填写撤稿原因"
    ),
    Command.CORRECT: _Rule(
        frozenset({S.PUBLISHED}), S.PUBLISHED, Action.CORRECT, AuditKind.CORRECT, "请填写更正说明"
    ),
    Command.REOPEN: _Rule(frozenset({S.WITHDRAWN}), S.DRAFT, Action.WITHDRAW, AuditKind.REOPEN),
    Command.SCHEDULE_UPDATE: _Rule(
        frozenset({S.PUBLISHED}), S.PUBLISHED, Action.SCHEDULE, AuditKind.SCHEDULE_UPDATE
    ),
    Command.CANCEL_UPDATE: _Rule(
        frozenset({S.PUBLISHED}), S.PUBLISHED, Action.SCHEDULE, AuditKind.CANCEL_UPDATE
    ),
}
"""Command → where it may start, where it ends, the action it needs and the audit entry it writes."""


class WorkflowError(ValueError):
    """Base of every refusal here; ``message`` is the Chinese text for the editor."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidTransition(WorkflowError):
    def __init__(self, command: Command, state: State):
        super().__init__(f"「{state.label}」状态的稿件不能{command.label}")
        self.command = command
        self.state = state


class ReasonRequired(WorkflowError):
    pass


class ScheduleError(WorkflowError):
    """A schedule time that is missing, in the past, or implausibly far ahead."""


class EmbargoActive(WorkflowError):
    pass


@dataclass(frozen=True)
class Status:
    """Where an article stands. ``reason`` is the last return/withdraw reason, shown to the author.

    ``update_at`` is set on a published article whose next revision is scheduled to replace the live one
    (the store keeps that revision pending; readers keep seeing the live text until then).
    """

    state: State = State.DRAFT
    scheduled_at: datetime | None = None  # naive UTC, the store's form
    embargo: bool = False
    reason: str | None = None
    update_at: datetime | None = None


@dataclass(frozen=True)
class Transition:
    """The result of an allowed command: the new status and what to write to the audit log.

    ``approves`` is true when the actor becomes the approver credited as 责编 (publish and schedule).
    ``note`` carries the return/withdraw reason or the correction text. ``late`` marks a scheduled
    publication that fired more than :data:`LATE_GRACE` after its time (e.g. the server was down).
    """

    command: Command | None
    action: Action | None
    before: Status
    after: Status
    audit: AuditKind
    approves: bool = False
    note: str | None = None
    late: bool = False

    @property
    def goes_live(self) -> bool:
        """True only when the article becomes visible: fire "published" side effects exactly then.

        Corrections, live edits and scheduled updates of an article that is already published are not
        publications, so subscribers (feeds, push, caches of new items) never see the same article twice.
        """
        return self.before.state is not State.PUBLISHED and self.after.state is State.PUBLISHED


def _clean_reason(rule: _Rule, reason: str | None) -> str | None:
    if rule.reason_message is None:
        return None
    text = (reason or "").strip()
    if not text:
        raise ReasonRequired(rule.reason_message)
    if len(text) > MAX_REASON:
        raise ReasonRequired(f"说明不能超过 {MAX_REASON} 个字符")
    return text


def check_schedule_time(when: datetime | None, now: datetime) -> datetime:
    """Return ``when`` as naive UTC if it lies after ``now`` and within :data:`MAX_SCHEDULE_AHEAD`."""
    if when is None:
        raise ScheduleError("请填写定时发布时间")
    when_utc, now_utc = to_utc_naive(when), to_utc_naive(now)
    if when_utc <= now_utc:
        raise ScheduleError(
            f"定时发布时间 {format_beijing(when_utc)}（北京时间）已过，"
            f"请选择 {format_beijing(now_utc)} 之后的时间"
        )
    if when_utc - now_utc > MAX_SCHEDULE_AHEAD:
        raise ScheduleError("定时发布时间不能晚于一年以后，请检查年份")
    return when_utc


def apply(
    status: Status,
    command: Command,
    *,
    role: Role,
    now: datetime,
    owns: bool = False,
    active: bool = True,
    reason: str | None = None,
    scheduled_at: datetime | None = None,
    embargo: bool = False,
) -> Transition:
    """Check and perform ``command`` on an article in ``status``; raise instead of returning a refusal.

    Order of checks: the state first (a meaningless command is an error whoever asks), then the role,
    then the command's own guards. ``owns`` says the actor wrote the article (needed to submit one's own).
    """
    rule = RULES[command]
    if status.state not in rule.sources:
        raise InvalidTransition(command, status.state)
    require(role, rule.action, owns=owns, active=active)
    note = _clean_reason(rule, reason)
    audit = rule.audit
    after = Status(state=rule.target, reason=note if command in (Command.RETURN, Command.WITHDRAW) else None)
    if command is Command.SCHEDULE:
        when = check_schedule_time(scheduled_at, now)
        after = replace(after, scheduled_at=when, embargo=embargo)
        if status.state is State.SCHEDULED:
            audit = AuditKind.RESCHEDULE
    elif command is Command.SCHEDULE_UPDATE:
        after = replace(status, update_at=check_schedule_time(scheduled_at, now))
        if status.update_at is not None:
            audit = AuditKind.RESCHEDULE
    elif command is Command.CANCEL_UPDATE:
        if status.update_at is None:
            raise ScheduleError("这篇稿件没有待生效的定时更新")
        after = replace(status, update_at=None)
    elif command is Command.CORRECT:
        after = status  # a correction changes the text, not the workflow; a pending update stays pending
    elif command is Command.PUBLISH and status.state is State.SCHEDULED and status.embargo:
        until = status.scheduled_at
        if until is not None and to_utc_naive(now) < until:
            raise EmbargoActive(f"稿件处于禁发期，{format_beijing(until)}（北京时间）之前不能发布")
    return Transition(
        command=command,
        action=rule.action,
        before=status,
        after=after,
        audit=audit,
        approves=command in (Command.PUBLISH, Command.SCHEDULE, Command.SCHEDULE_UPDATE),
        note=note,
    )


def fire_due(status: Status, now: datetime, *, grace: timedelta = LATE_GRACE) -> Transition | None:
    """The scheduler's step: publish a scheduled article (or apply a scheduled update) if due, else None.

    No role check: the approval happened when the editor scheduled it. Publication after the grace period
    (a restart, a stalled worker) is still made, and flagged ``late`` so the audit log and alerts say so.
    A scheduled update swaps the live revision in place: ``goes_live`` is false, so no second "published".
    """
    now_utc = to_utc_naive(now)
    if status.state is State.SCHEDULED and status.scheduled_at is not None:
        due, after, audit = status.scheduled_at, Status(state=State.PUBLISHED), AuditKind.PUBLISH_SCHEDULED
    elif status.state is State.PUBLISHED and status.update_at is not None:
        due, after, audit = status.update_at, replace(status, update_at=None), AuditKind.UPDATE_SCHEDULED
    else:
        return None
    if now_utc < due:
        return None
    return Transition(None, None, status, after, audit, late=now_utc - due > grace)


def available_commands(
    status: Status, *, role: Role, owns: bool = False, active: bool = True
) -> tuple[Command, ...]:
    """Commands to offer as buttons: right state and right role (guards such as reasons come later)."""
    out = []
    for command, rule in RULES.items():
        if status.state in rule.sources:
            try:
                require(role, rule.action, owns=owns, active=active)
            except PermissionError:
                continue
            out.append(command)
    return tuple(out)


# --- saving -------------------------------------------------------------------------------------------

BOOKKEEPING_FIELDS = frozenset(
    {"version", "updated_at", "created_at", "revision", "csrf_token", "state", "id"}
)
"""Form/record keys that are not content: a difference in them is not an edit."""


class SaveRefused(WorkflowError):
    pass


def _normal(value: object) -> object:
    """Compare what a reader would see: trim text, unify line ends, treat None/''/[] alike."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if isinstance(value, list | tuple):
        items = tuple(_normal(v) for v in value)
        return items if items else ""
    return value


def changed_fields(old_fields: Mapping[str, object], new_fields: Mapping[str, object]) -> tuple[str, ...]:
    """Names of content fields whose values differ, sorted; bookkeeping fields are ignored."""
    keys = (set(old_fields) | set(new_fields)) - BOOKKEEPING_FIELDS
    return tuple(sorted(k for k in keys if _normal(old_fields.get(k)) != _normal(new_fields.get(k))))


def content_changed(old_fields: Mapping[str, object], new_fields: Mapping[str, object]) -> bool:
    """True when a save would change what readers or reviewers see."""
    return bool(changed_fields(old_fields, new_fields))


@dataclass(frozen=True)
class SaveOutcome:
    """What a save does to the workflow. ``changed=False`` means: write no revision, keep everything.

    ``review_reset`` is true when approved-but-unpublished content was changed by someone who cannot
    approve it, so the schedule was cancelled and the article is back in review.
    """

    changed: bool
    fields: tuple[str, ...]
    before: Status
    after: Status
    audit: AuditKind | None
    review_reset: bool = False


def on_save(
    status: Status,
    old_fields: Mapping[str, object],
    new_fields: Mapping[str, object],
    *,
    role: Role,
    owns: bool,
    active: bool = True,
) -> SaveOutcome:
    """Decide what saving ``new_fields`` over ``old_fields`` does to an article in ``status``.

    Permission: one's own article needs ``write``, anyone else's ``edit_others``; a live article also needs
    ``publish`` (changing it is publishing new text). A withdrawn article must be reopened first.
    """
    if owns:
        require(role, Action.WRITE, owns=True, active=active)
    else:
        require(role, Action.EDIT_OTHERS, active=active)
    if status.state is State.WITHDRAWN:
        raise SaveRefused("已撤稿的稿件需先恢复为草稿才能修改")
    if status.state is State.PUBLISHED:
        require(role, Action.PUBLISH, active=active)
    fields = changed_fields(old_fields, new_fields)
    if not fields:
        return SaveOutcome(changed=False, fields=(), before=status, after=status, audit=None)
    if status.state is State.PUBLISHED:
        return SaveOutcome(True, fields, status, status, AuditKind.UPDATE_LIVE)
    if status.state is State.SCHEDULED:
        try:
            require(role, Action.SCHEDULE, active=active)
        except PermissionError:
            after = Status(state=State.SUBMITTED)
            return SaveOutcome(True, fields, status, after, AuditKind.SAVE, review_reset=True)
    return SaveOutcome(True, fields, status, status, AuditKind.SAVE)
