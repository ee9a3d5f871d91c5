"""Newsroom accounts: create, list, disable, change roles, reset passwords, log in and out.

Every change and every login attempt (success or failure) leaves an audit entry. Managing users needs
``manage_users`` (admins); ``actor=None`` means the operator's shell (``newsportal user …``), trusted as an
admin and audited as 命令行. Two guards keep a newsroom from locking itself out: an admin cannot disable or
demote themselves, and the last active admin cannot be disabled or demoted.

Logins are rate limited per account and per IP (:mod:`newsportal.newsroom.login_limits`); an unknown
username costs the same hash verification as a wrong password and gets the same message, so the form does
not reveal which usernames exist.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from newsportal.newsroom.actors import CLI_NAME, Actor
from newsportal.newsroom.audit import AuditService
from newsportal.newsroom.login_limits import LoginLimiter, LoginThrottled
from newsportal.newsroom.passwords import (
    WeakPassword,
    generate_password,
    hash_password,
    needs_rehash,
    verify_password,
)
from newsportal.newsroom.roles import Action, Role, parse_role, require
from newsportal.newsroom.sessions import NewSession, Sessions, SessionStore
from newsportal.store.accounts import (
    ACTIVE,
    DISABLED,
    AccountStore,
    UnknownAccount,
    User,
)
from newsportal.timeutil import utcnow

USERNAME_RE = re.compile(r"[a-z][a-z0-9_.-]{2,31}")


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against for unknown usernames, so they take as long as wrong passwords."""
    return hash_password(generate_password())


class AccountError(ValueError):
    """Bad input for an account operation; ``field`` names the form field, ``message`` is shown beside it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class LoginFailed(Exception):
    def __init__(self, message: str = "用户名或密码错误"):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class CreatedUser:
    """A new (or reset) account; ``password`` is the generated one, to be shown once and never again."""

    user: User
    password: str | None


@dataclass(frozen=True, slots=True)
class LoginOk:
    user: User
    actor: Actor
    session: NewSession | None


def normalise_username(value: str) -> str:
    name = unicodedata.normalize("NFKC", value).strip().casefold()
    if not USERNAME_RE.fullmatch(name):
        raise AccountError("username", "用户名须为 3–32 位小写字母、数字、点、下划线或连字符，并以字母开头")
    return name


def plain_text(field: str, label: str, value: str, limit: int, required: bool) -> str:
    text = unicodedata.normalize("NFC", value).strip()
    if required and not text:
        raise AccountError(field, f"请填写{label}")
    if len(text) > limit:
        raise AccountError(field, f"{label}不能超过 {limit} 个字符")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs") and c not in "\n\t" for c in text):
        raise AccountError(field, f"{label}含有不可见的控制字符，请删除后重试")
    return text


def clean_display_name(value: str) -> str:
    text = plain_text("display_name", "显示名称", value, 40, True)
    if "\n" in text:
        raise AccountError("display_name", "显示名称不能换行")
    return text


class AccountService:
    def __init__(
        self,
        accounts: AccountStore,
        audit: AuditService,
        *,
        limiter: LoginLimiter | None = None,
        sessions: Sessions | None = None,
        session_store: SessionStore | None = None,
        clock: Callable[[], datetime] = utcnow,
    ):
        """``sessions`` starts sessions at login; ``session_store`` alone lets the CLI revoke them."""
        self.accounts = accounts
        self.audit = audit
        self.limiter = limiter or LoginLimiter()
        self.sessions = sessions
        self.session_store = sessions.store if sessions is not None else session_store
        self.clock = clock

    def _revoke(self, user_id: int) -> int:
        """End a user's sessions (disable, role change, password reset); 0 when sessions are not wired."""
        if self.session_store is None:
            return 0
        return self.session_store.revoke_user(user_id, self.clock())

    # -- who is acting -------------------------------------------------------------------------------
    def actor_for(self, user: User, *, ip: str | None = None) -> Actor:
        """The :class:`Actor` for a user; a suspended self-media account makes its owner inactive."""
        active = user.active
        if active and user.role == Role.SELF_MEDIA and user.source_id is not None:
            page = self.accounts.self_media(user.source_id)
            active = not (page and page.suspended)
        return Actor(user.id, user.display_name, parse_role(user.role), active, user.source_id, ip)

    def actor_by_id(self, user_id: int, *, ip: str | None = None) -> Actor | None:
        user = self.accounts.get(user_id)
        return self.actor_for(user, ip=ip) if user else None

    def _require_admin(self, actor: Actor | None) -> None:
        if actor is not None:
            require(actor.role, Action.MANAGE_USERS, active=actor.active)

    def _audit(self, action: str, actor: Actor | None, ip: str | None, user: User, **detail: object) -> None:
        self.audit.record(
            action,
            actor=actor,
            actor_name=None if actor else CLI_NAME,
            ip=ip,
            target_kind="user",
            target_id=user.id,
            detail={"username": user.username, **detail},
        )

    def _user(self, username: str) -> User:
        user = self.accounts.by_username(normalise_username(username))
        if user is None:
            raise AccountError("username", f"找不到用户「{username.strip()[:32]}」")
        return user

    # -- managing users ------------------------------------------------------------------------------
    def create_user(
        self,
        actor: Actor | None,
        username: str,
        role: str | Role,
        *,
        display_name: str | None = None,
        password: str | None = None,
        source_id: int | None = None,
        ip: str | None = None,
    ) -> CreatedUser:
        """Create an account; without ``password`` one is generated and returned once in the result."""
        self._require_admin(actor)
        name = normalise_username(username)
        the_role = parse_role(role) if isinstance(role, str) else role
        shown = clean_display_name(display_name if display_name is not None else name)
        if the_role is Role.SELF_MEDIA and source_id is None:
            raise AccountError("source", "自媒体作者账号必须关联一个来源（自媒体账号）")
        if the_role is not Role.SELF_MEDIA and source_id is not None:
            raise AccountError("source", "只有自媒体作者账号可以关联来源")
        generated = None
        if password is None:
            password = generated = generate_password()
        try:
            hashed = hash_password(password, name)
        except WeakPassword as exc:
            raise AccountError("password", exc.message) from exc
        try:
            user = self.accounts.create(
                name, shown, the_role.value, hashed, now=self.clock(), source_id=source_id
            )
        except UnknownAccount as exc:
            raise AccountError("source", "关联的来源不存在") from exc
        self._audit("user.create", actor, ip, user, role=the_role.value, source_id=source_id)
        return CreatedUser(user, generated)

    def list_users(
        self, actor: Actor | None, *, role: str | None = None, status: str | None = None
    ) -> list[User]:
        self._require_admin(actor)
        return self.accounts.users(role=parse_role(role).value if role else None, status=status)

    def _other_active_admins(self, user: User) -> int:
        admins = self.accounts.users(role=Role.ADMIN.value, status=ACTIVE)
        return sum(1 for a in admins if a.id != user.id)

    def _guard_admin_loss(self, actor: Actor | None, user: User, what: str) -> None:
        if actor is not None and actor.user_id == user.id:
            raise AccountError("username", f"不能{what}自己的账号，请让另一位管理员操作")
        if user.role == Role.ADMIN and user.active and self._other_active_admins(user) == 0:
            raise AccountError("username", f"「{user.username}」是唯一在用的管理员账号，不能{what}")

    def disable_user(self, actor: Actor | None, username: str, *, ip: str | None = None) -> User:
        """Disable an account and end its sessions at once."""
        self._require_admin(actor)
        user = self._user(username)
        if not user.active:
            return user
        self._guard_admin_loss(actor, user, "停用")
        user = self.accounts.set_status(user.id, DISABLED)
        revoked = self._revoke(user.id)
        self._audit("user.disable", actor, ip, user, sessions_revoked=revoked)
        return user

    def enable_user(self, actor: Actor | None, username: str, *, ip: str | None = None) -> User:
        self._require_admin(actor)
        user = self._user(username)
        if user.active:
            return user
        user = self.accounts.set_status(user.id, ACTIVE)
        self._audit("user.enable", actor, ip, user)
        return user

    def set_role(
        self, actor: Actor | None, username: str, role: str | Role, *, ip: str | None = None
    ) -> User:
        """Change a role; the user's sessions end so the new rights apply from the next login."""
        self._require_admin(actor)
        user = self._user(username)
        new = parse_role(role) if isinstance(role, str) else role
        if user.role == new.value:
            return user
        if user.role == Role.ADMIN:
            self._guard_admin_loss(actor, user, "撤销管理员角色于")
        if new is Role.SELF_MEDIA and user.source_id is None:
            raise AccountError("role", "自媒体作者账号必须关联来源，请新建自媒体作者账号")
        before = user.role
        user = self.accounts.set_role(user.id, new.value)
        if new is not Role.SELF_MEDIA and user.source_id is not None:
            user = self.accounts.set_source(user.id, None)
        revoked = self._revoke(user.id)
        self._audit(
            "user.role_change", actor, ip, user, before=before, after=new.value, sessions_revoked=revoked
        )
        return user

    def set_display_name(
        self, actor: Actor | None, username: str, display_name: str, *, ip: str | None = None
    ) -> User:
        self._require_admin(actor)
        user = self._user(username)
        before, shown = user.display_name, clean_display_name(display_name)
        if shown == before:
            return user
        user = self.accounts.set_display_name(user.id, shown)
        self._audit("user.update", actor, ip, user, field="display_name", before=before, after=shown)
        return user

    def reset_password(
        self, actor: Actor | None, username: str, *, password: str | None = None, ip: str | None = None
    ) -> CreatedUser:
        self._require_admin(actor)
        user = self._user(username)
        generated = None
        if password is None:
            password = generated = generate_password()
        try:
            hashed = hash_password(password, user.username)
        except WeakPassword as exc:
            raise AccountError("password", exc.message) from exc
        user = self.accounts.set_password_hash(user.id, hashed)
        revoked = self._revoke(user.id)
        self._audit("user.password_reset", actor, ip, user, sessions_revoked=revoked)
        return CreatedUser(user, generated)

    # -- logging in ----------------------------------------------------------------------------------
    def _login_failed(self, typed: str, ip: str | None, reason: str, user: User | None = None) -> None:
        self.audit.record(
            "login.failure",
            actor_name=(user.display_name if user else typed[:80]) or "?",
            ip=ip,
            target_kind="user",
            target_id=user.id if user else None,
            detail={"username": typed[:80], "reason": reason},
        )

    def authenticate(
        self, username: str, password: str, *, ip: str | None = None, user_agent: str | None = None
    ) -> LoginOk:
        """Check a login; start a session when a :class:`Sessions` is configured.

        Raises :class:`LoginThrottled` (too many failures) or :class:`LoginFailed`; both are audited.
        """
        typed = unicodedata.normalize("NFKC", username or "").strip().casefold()[:64]
        try:
            self.limiter.check(typed, ip)
        except LoginThrottled:
            self._login_failed(typed, ip, "throttled")
            raise
        creds = self.accounts.credentials(typed) if USERNAME_RE.fullmatch(typed) else None
        ok = verify_password(creds.password_hash if creds else _dummy_hash(), password or "")
        if creds is None or not ok:
            self.limiter.failed(typed, ip)
            self._login_failed(
                typed, ip, "bad_password" if creds else "unknown_user", creds.user if creds else None
            )
            raise LoginFailed()
        user = creds.user
        if not user.active:
            self._login_failed(typed, ip, "disabled", user)
            raise LoginFailed("账号已停用，请联系管理员")
        self.limiter.succeeded(typed)
        if needs_rehash(creds.password_hash):
            try:
                self.accounts.set_password_hash(user.id, hash_password(password, user.username))
            except WeakPassword:
                pass  # an old password that a newer policy rejects: keep the old hash, the user can log in
        user = self.accounts.record_login(user.id, self.clock(), ip)
        actor = self.actor_for(user, ip=ip)
        session = self.sessions.start(user.id, ip=ip, user_agent=user_agent) if self.sessions else None
        self.audit.record(
            "login.success",
            actor=actor,
            ip=ip,
            target_kind="user",
            target_id=user.id,
            detail={"username": user.username},
        )
        return LoginOk(user, actor, session)

    def logout(self, actor: Actor, session_id: str | None) -> None:
        if self.sessions:
            self.sessions.end(session_id)
        self.audit.record("logout", actor=actor, target_kind="user", target_id=actor.user_id)

    def revoke_sessions(self, actor: Actor | None, username: str, *, ip: str | None = None) -> int:
        """Admin action: log a user out everywhere."""
        self._require_admin(actor)
        user = self._user(username)
        revoked = self._revoke(user.id)
        self._audit("session.revoke", actor, ip, user, sessions_revoked=revoked)
        return revoked
