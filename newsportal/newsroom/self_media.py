"""Self-media account pages (名称, 简介, 运营主体, 内容类别, 联系方式) and their suspension.

The owner edits their own page (``manage_own_account`` on their own source); the chief editor may edit any
page and alone may suspend or restore an account (``manage_sources``). Suspending ends the owner's
sessions at once, and :meth:`newsportal.newsroom.accounts.AccountService.actor_for` makes the owner inactive,
so every role check refuses them until the account is restored. All fields are plain text: templates
escape them, and control characters (zero-width, RTL overrides) are refused rather than silently kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from newsportal.newsroom.accounts import AccountError, plain_text
from newsportal.newsroom.actors import Actor
from newsportal.newsroom.audit import AuditService
from newsportal.newsroom.roles import Action, Role, require
from newsportal.newsroom.sessions import SessionStore
from newsportal.store.accounts import AccountStore, SelfMediaAccount, UnknownAccount
from newsportal.timeutil import utcnow

FIELDS: Mapping[str, tuple[str, int, bool]] = {
    "name": ("名称", 40, True),
    "intro": ("简介", 500, False),
    "operator": ("运营主体", 120, True),
    "category": ("内容类别", 40, True),
    "contact": ("联系方式", 120, False),
}
"""Page fields: Chinese label, maximum length, required."""


class FieldErrors(ValueError):
    """Several form fields at once: ``errors`` maps field → message, so the form shows all of them."""

    def __init__(self, errors: Mapping[str, str]):
        self.errors = dict(errors)
        self.message = "；".join(self.errors.values())
        super().__init__(self.message)


def clean_fields(fields: Mapping[str, str]) -> dict[str, str]:
    """Validate and normalise the five fields, or raise :class:`FieldErrors` naming every bad one."""
    out: dict[str, str] = {}
    errors: dict[str, str] = {}
    for key, (label, limit, required) in FIELDS.items():
        try:
            out[key] = plain_text(key, label, str(fields.get(key) or ""), limit, required)
        except AccountError as exc:
            errors[key] = exc.message
    if errors:
        raise FieldErrors(errors)
    return out


class SelfMediaService:
    def __init__(
        self,
        accounts: AccountStore,
        audit: AuditService,
        *,
        session_store: SessionStore | None = None,
        clock: Callable[[], datetime] = utcnow,
    ):
        self.accounts = accounts
        self.audit = audit
        self.session_store = session_store
        self.clock = clock

    def page(self, source_id: int) -> SelfMediaAccount | None:
        return self.accounts.self_media(source_id)

    def update(
        self, actor: Actor, source_id: int, fields: Mapping[str, str], *, ip: str | None = None
    ) -> SelfMediaAccount:
        """Save the page fields; the audit entry lists which fields changed (not their text)."""
        if actor.role is Role.SELF_MEDIA:
            owns = actor.source_id == source_id
            require(actor.role, Action.MANAGE_OWN_ACCOUNT, owns=owns, active=actor.active)
        else:
            require(actor.role, Action.MANAGE_SOURCES, active=actor.active)
        clean = clean_fields(fields)
        before = self.accounts.self_media(source_id)
        try:
            page = self.accounts.save_self_media(source_id, now=self.clock(), **clean)
        except UnknownAccount as exc:
            raise AccountError("source", "来源不存在") from exc
        changed = sorted(k for k, v in clean.items() if before is None or getattr(before, k) != v)
        self.audit.record(
            "source.update",
            actor=actor,
            ip=ip,
            target_kind="source",
            target_id=source_id,
            detail={"changed": changed},
        )
        return page

    def set_suspended(
        self,
        actor: Actor,
        source_id: int,
        suspended: bool,
        *,
        reason: str | None = None,
        ip: str | None = None,
    ) -> SelfMediaAccount:
        """Suspend (a reason is required) or restore an account; the owners' sessions end on suspension."""
        require(actor.role, Action.MANAGE_SOURCES, active=actor.active)
        note = plain_text("reason", "暂停原因", reason or "", 500, suspended) or None
        try:
            page = self.accounts.set_suspended(source_id, suspended, reason=note, now=self.clock())
        except UnknownAccount as exc:
            raise AccountError("source", "该来源还没有自媒体账号主页") from exc
        if suspended and self.session_store is not None:
            for owner in self.accounts.users(source_id=source_id):
                self.session_store.revoke_user(owner.id, self.clock())
        self.audit.record(
            "source.suspend" if suspended else "source.unsuspend",
            actor=actor,
            ip=ip,
            target_kind="source",
            target_id=source_id,
            detail={"reason": note},
        )
        return page
