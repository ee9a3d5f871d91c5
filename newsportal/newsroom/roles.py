"""Who may do what in the newsroom: one role × action matrix, checked in one place.

The web UI, the API and the CLI all ask :func:`can` / :func:`require`, so a rule changed here changes
everywhere at once and a test can walk every cell. The matrix is data (:data:`MATRIX`), not scattered ``if``
statements, so the table below and the code cannot drift apart without a test failing.

Cells: ``yes`` = allowed on any article/object; ``own`` = allowed only on the actor's own article or account
(``can(..., owns=True)``); ``—`` = never.

=====================  ======  ======  ======  =====  ==========
action                 记者    责编    主编    admin  自媒体作者
=====================  ======  ======  ======  =====  ==========
write                  own     yes     yes     —      own
submit                 own     yes     yes     —      own
edit_others            —       yes     yes     —      —
approve                —       yes     yes     —      —
publish                —       yes     yes     —      —
schedule               —       yes     yes     —      —
withdraw               —       yes     yes     —      —
correct                —       yes     yes     —      —
pin                    —       yes     yes     —      —
manage_sources         —       —       yes     —      —
manage_users           —       —       —       yes    —
read_audit             —       —       yes     yes    —
moderate_comments      —       yes     yes     —      —
manage_own_account     —       —       —       —      own
=====================  ======  ======  ======  =====  ==========

Why these rules:

* Reporters and self-media owners create content but never publish it: every publication passes a second
  pair of eyes (the 责编 credited on the article page is whoever approved it). A new article is owned by
  whoever creates it, so creating one is ``write`` with ``owns=True``.
* The admin runs accounts and reads the audit log but has no editorial rights: separating the technical
  and editorial roles means a stolen admin password cannot publish anything.
* Only the chief editor changes sources (including suspending a self-media account and source trust),
  because that decides which outside content reaches readers without a further check.
* A deactivated user or a suspended self-media account (``active=False``) may do nothing at all.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping


class Role(enum.StrEnum):
    REPORTER = "reporter"
    EDITOR = "editor"
    CHIEF_EDITOR = "chief_editor"
    ADMIN = "admin"
    SELF_MEDIA = "self_media"

    @property
    def label(self) -> str:
        """The Chinese name shown in the UI."""
        return ROLE_LABELS[self]


ROLE_LABELS: Mapping[Role, str] = {
    Role.REPORTER: "记者",
    Role.EDITOR: "责编",
    Role.CHIEF_EDITOR: "主编",
    Role.ADMIN: "管理员",
    Role.SELF_MEDIA: "自媒体作者",
}


class Action(enum.StrEnum):
    WRITE = "write"
    SUBMIT = "submit"
    EDIT_OTHERS = "edit_others"
    APPROVE = "approve"
    PUBLISH = "publish"
    SCHEDULE = "schedule"
    WITHDRAW = "withdraw"
    CORRECT = "correct"
    PIN = "pin"
    MANAGE_SOURCES = "manage_sources"
    MANAGE_USERS = "manage_users"
    READ_AUDIT = "read_audit"
    MODERATE_COMMENTS = "moderate_comments"
    MANAGE_OWN_ACCOUNT = "manage_own_account"

    @property
    def label(self) -> str:
        """The Chinese verb phrase used in messages ("记者无权发布稿件")."""
        return ACTION_LABELS[self]


ACTION_LABELS: Mapping[Action, str] = {
    Action.WRITE: "撰写稿件",
    Action.SUBMIT: "提交审核",
    Action.EDIT_OTHERS: "修改他人稿件",
    Action.APPROVE: "审核通过稿件",
    Action.PUBLISH: "发布稿件",
    Action.SCHEDULE: "定时发布稿件",
    Action.WITHDRAW: "撤稿",
    Action.CORRECT: "更正稿件",
    Action.PIN: "置顶稿件",
    Action.MANAGE_SOURCES: "管理来源",
    Action.MANAGE_USERS: "管理用户",
    Action.READ_AUDIT: "查看审计日志",
    Action.MODERATE_COMMENTS: "管理评论",
    Action.MANAGE_OWN_ACCOUNT: "管理账号主页",
}


class Grant(enum.Enum):
    """One cell of the matrix."""

    YES = "yes"
    OWN = "own"
    NO = "no"


_Y, _O, _N = Grant.YES, Grant.OWN, Grant.NO

_EDITORIAL: dict[Action, Grant] = {
    Action.WRITE: _Y, Action.SUBMIT: _Y, Action.EDIT_OTHERS: _Y, Action.APPROVE: _Y, Action.PUBLISH: _Y,
    Action.SCHEDULE: _Y, Action.WITHDRAW: _Y, Action.CORRECT: _Y, Action.PIN: _Y,
    Action.MODERATE_COMMENTS: _Y,
}

MATRIX: Mapping[Role, Mapping[Action, Grant]] = {
    Role.REPORTER: {Action.WRITE: _O, Action.SUBMIT: _O},
    Role.EDITOR: dict(_EDITORIAL),
    Role.CHIEF_EDITOR: {**_EDITORIAL, Action.MANAGE_SOURCES: _Y, Action.READ_AUDIT: _Y},
    Role.ADMIN: {Action.MANAGE_USERS: _Y, Action.READ_AUDIT: _Y},
    Role.SELF_MEDIA: {Action.WRITE: _O, Action.SUBMIT: _O, Action.MANAGE_OWN_ACCOUNT: _O},
}
"""Role → action → grant. A missing action means :attr:`Grant.NO`, so a new action is denied by default."""


class UnknownRole(ValueError):
    """A role name from a form, the CLI or the database that is not one of :class:`Role`."""

    def __init__(self, value: str):
        names = "、".join(f"{r.value}（{r.label}）" for r in Role)
        super().__init__(f"未知角色：{value!r}。可选：{names}")
        self.value = value


class Forbidden(PermissionError):
    """The actor's role does not allow the action; ``message`` is shown to the user as is."""

    def __init__(self, action: Action, role: Role, *, reason: str = "role"):
        if reason == "inactive":
            message = f"账号已停用，无权{action.label}"
        elif reason == "ownership":
            message = f"{role.label}只能{action.label}（仅限本人的内容）"
        else:
            message = f"{role.label}无权{action.label}"
        super().__init__(message)
        self.action = action
        self.role = role
        self.reason = reason
        self.message = message


def parse_role(value: str) -> Role:
    """Accept a role by its code (``editor``) or its Chinese label (``责编``)."""
    text = value.strip()
    for role in Role:
        if text in (role.value, role.label):
            return role
    raise UnknownRole(value)


def grant(role: Role, action: Action) -> Grant:
    """The raw matrix cell, for rendering the matrix (e.g. on an admin help page)."""
    return MATRIX[role].get(action, Grant.NO)


def _decide(role: Role, action: Action, owns: bool, active: bool) -> str | None:
    """``None`` when allowed, else the reason for :class:`Forbidden`."""
    if not active:
        return "inactive"
    cell = grant(role, action)
    if cell is Grant.YES or (cell is Grant.OWN and owns):
        return None
    return "ownership" if cell is Grant.OWN else "role"


def can(role: Role, action: Action, *, owns: bool = False, active: bool = True) -> bool:
    """Whether ``role`` may perform ``action``.

    ``owns`` says the target (article, account page) belongs to the actor; it only matters for ``own``
    cells. ``active=False`` (disabled user, suspended self-media account) denies everything.
    """
    return _decide(role, action, owns, active) is None


def require(role: Role, action: Action, *, owns: bool = False, active: bool = True) -> None:
    """Like :func:`can`, but raise :class:`Forbidden` so a handler can stop with one line."""
    reason = _decide(role, action, owns, active)
    if reason is not None:
        raise Forbidden(action, role, reason=reason)


def allowed_actions(role: Role, *, owns: bool = False) -> frozenset[Action]:
    """Every action the role may perform, for showing only the buttons a user can use."""
    return frozenset(a for a in Action if can(role, a, owns=owns))
