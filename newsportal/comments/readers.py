"""Reader accounts: sign-up, login, logout, verification and deletion.

Identity is verified in the back end while the front shows the nickname the reader chose, as the rules for
跟帖评论 services ask. Verification is pluggable (:class:`Verifier`); the embedded default,
:class:`OperatorApproval`, never passes anyone by itself: an account stays 待验证 until an operator approves
it from the CLI (``newsportal reader verify``) or the newsroom. A site with a real-name or SMS service plugs
in a verifier whose ``submit`` returns that service's answer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from newsportal.comments.errors import BadInput, NotSignedIn, NotVerified
from newsportal.comments.passwords import PasswordHasher, hash_password, needs_rehash, verify_password
from newsportal.comments.ratelimit import PostLimiter
from newsportal.comments.text import strip_invisible
from newsportal.geo import IpLocator, NullLocator
from newsportal.store.comments_common import RowMissing
from newsportal.store.reader_accounts import DELETED_NICKNAME, ReaderAccount, ReaderAccountStore, Verification

__all__ = [
    "Verifier",
    "VerifierAnswer",
    "OperatorApproval",
    "ReaderService",
    "SignedIn",
    "normalise_login",
    "clean_nickname",
    "check_password",
]

SESSION_TTL = timedelta(days=30)
PASSWORD_MIN, PASSWORD_MAX = 8, 128
NICK_MIN, NICK_MAX = 2, 20
_EMAIL = re.compile(r"^[a-z0-9._%+-]{1,64}@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24}$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_RESERVED_NICKS = (DELETED_NICKNAME, "管理员", "审核员", "编辑部", "官方", "客服", "系统")


@dataclass(frozen=True)
class VerifierAnswer:
    state: Verification
    by: str = ""
    note: str = ""


class Verifier(Protocol):
    """Decides an account's verification state when it signs up (and may be asked again later)."""

    name: str

    def submit(
        self, account: ReaderAccount, evidence: Mapping[str, str], now: datetime
    ) -> VerifierAnswer: ...


class OperatorApproval:
    """The embedded verifier: every account waits for an operator's decision; nothing passes by itself."""

    name = "operator"

    def submit(self, account: ReaderAccount, evidence: Mapping[str, str], now: datetime) -> VerifierAnswer:
        return VerifierAnswer(Verification.PENDING)


@dataclass(frozen=True)
class SignedIn:
    account: ReaderAccount
    #: Goes into the reader's cookie; the store keeps only its digest.
    token: str


def normalise_login(raw: object) -> str:
    """An e-mail address (lower-cased) or a mainland mobile number (digits only, without +86)."""
    if not isinstance(raw, str) or not raw.strip():
        raise BadInput("login_empty", "请填写邮箱或手机号。")
    text = unicodedata.normalize("NFKC", strip_invisible(raw)).strip()
    if "@" in text:
        email = text.lower()
        if len(email) > 120 or not _EMAIL.match(email):
            raise BadInput("bad_login", "邮箱格式不正确。")
        return email
    digits = re.sub(r"[\s-]", "", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not _MOBILE.match(digits):
        raise BadInput("bad_login", "请填写正确的邮箱或 11 位手机号。")
    return digits


def clean_nickname(raw: object) -> str:
    if not isinstance(raw, str):
        raise BadInput("bad_nickname", "昵称必须是文字。")
    nick = " ".join(unicodedata.normalize("NFC", strip_invisible(raw)).split())
    if len(nick) < NICK_MIN or len(nick) > NICK_MAX:
        raise BadInput("bad_nickname", f"昵称须为 {NICK_MIN}–{NICK_MAX} 个字。")
    if any(not (ch.isalnum() or ch in " _-·.") for ch in nick):
        raise BadInput("bad_nickname", "昵称只能包含文字、字母、数字、空格和 _ - · .")
    if any(word in nick for word in _RESERVED_NICKS):
        raise BadInput("reserved_nickname", "这个昵称容易与官方或已注销账号混淆，请换一个。")
    return nick


def check_password(raw: object, login: str) -> str:
    if not isinstance(raw, str):
        raise BadInput("bad_password", "密码必须是文字。")
    if len(raw) < PASSWORD_MIN or len(raw) > PASSWORD_MAX:
        raise BadInput("bad_password", f"密码须为 {PASSWORD_MIN}–{PASSWORD_MAX} 个字符。")
    if raw.strip() != raw or any(unicodedata.category(ch) == "Cc" for ch in raw):
        raise BadInput("bad_password", "密码首尾不能是空格，也不能包含控制字符。")
    if raw.lower() == login.lower() or len(set(raw)) < 4:
        raise BadInput("weak_password", "密码太简单，请不要使用账号本身或重复的字符。")
    return raw


class ReaderService:
    def __init__(
        self,
        accounts: ReaderAccountStore,
        *,
        verifier: Verifier | None = None,
        hasher: PasswordHasher | None = None,
        limiter: PostLimiter | None = None,
        locator: IpLocator | None = None,
        session_ttl: timedelta = SESSION_TTL,
    ) -> None:
        self.accounts = accounts
        self.verifier: Verifier = verifier or OperatorApproval()
        self._hasher = hasher
        self._limiter = limiter
        self._locator = locator or NullLocator()
        self._ttl = session_ttl

    def sign_up(
        self,
        login: object,
        nickname: object,
        password: object,
        now: datetime,
        evidence: Mapping[str, str] | None = None,
    ) -> ReaderAccount:
        """Create an account in the verifier's state (待验证 with the embedded verifier)."""
        norm = normalise_login(login)
        nick = clean_nickname(nickname)
        pw = check_password(password, norm)
        account = self.accounts.create(norm, nick, hash_password(pw, self._hasher), now)
        answer = self.verifier.submit(account, evidence or {}, now)
        if answer.state is not Verification.PENDING:
            account = self.accounts.set_verification(
                account.id, answer.state, answer.by or f"verifier:{self.verifier.name}", now, answer.note
            )
        return account

    def log_in(self, login: object, password: object, ip: str, now: datetime) -> SignedIn:
        if self._limiter is not None:
            self._limiter.hit_login(ip)
        wrong = BadInput("bad_credentials", "账号或密码错误。")
        try:
            norm = normalise_login(login)
        except BadInput:
            raise wrong from None
        account = self.accounts.by_login(norm)
        if account is None or not isinstance(password, str):
            raise wrong
        if not verify_password(account.password_hash, password, self._hasher):
            raise wrong
        if needs_rehash(account.password_hash, self._hasher):
            self.accounts.set_password_hash(account.id, hash_password(password, self._hasher))
        self.accounts.record_login(account.id, self._locator.locate(ip), now)
        token = self.accounts.open_session(account.id, now, self._ttl)
        return SignedIn(self.accounts.get(account.id), token)

    def log_out(self, token: str) -> None:
        self.accounts.revoke_session(token)

    def current(self, token: str | None, now: datetime) -> ReaderAccount | None:
        return self.accounts.session_reader(token or "", now)

    def require(self, token: str | None, now: datetime) -> ReaderAccount:
        """The signed-in reader, or :class:`NotSignedIn` (401)."""
        account = self.current(token, now)
        if account is None:
            raise NotSignedIn("not_signed_in", "请先登录后再操作。")
        return account

    def require_verified(self, token: str | None, now: datetime) -> ReaderAccount:
        """The signed-in, verified reader: 401 without a session, 403 before verification."""
        account = self.require(token, now)
        ensure_may_post(account)
        return account

    def approve(
        self, reader: str | int | ReaderAccount, by: str, now: datetime, note: str = ""
    ) -> ReaderAccount:
        """An operator confirms the reader's identity (by login, account id or account); they may now post."""
        return self._decide(reader, Verification.VERIFIED, by, now, note)

    def refuse(
        self, reader: str | int | ReaderAccount, by: str, now: datetime, note: str = ""
    ) -> ReaderAccount:
        return self._decide(reader, Verification.REFUSED, by, now, note)

    def _decide(
        self, reader: str | int | ReaderAccount, state: Verification, by: str, now: datetime, note: str
    ) -> ReaderAccount:
        if not by.strip():
            raise BadInput("no_operator", "请注明审核人。")
        if isinstance(reader, ReaderAccount):
            reader_id = reader.id
        elif isinstance(reader, int):
            reader_id = reader
        else:
            account = self.accounts.by_login(normalise_login(reader))
            if account is None:
                raise RowMissing("no_reader", "没有这个读者账号。")
            reader_id = account.id
        return self.accounts.set_verification(reader_id, state, by.strip(), now, note.strip()[:200])

    def pending(self, *, page: int = 1, per_page: int = 50) -> tuple[list[ReaderAccount], int]:
        return self.accounts.list_accounts(Verification.PENDING, page=page, per_page=per_page)

    def delete_account(self, account: ReaderAccount, password: object, now: datetime) -> None:
        """Delete the reader's own account after they confirm with their password."""
        if not isinstance(password, str) or not verify_password(
            account.password_hash, password, self._hasher
        ):
            raise BadInput("bad_credentials", "密码错误，账号未注销。")
        self.accounts.delete(account.id, now)


def ensure_may_post(account: ReaderAccount) -> None:
    if account.deleted:
        raise NotSignedIn("not_signed_in", "请先登录后再操作。")
    if account.verification is Verification.PENDING:
        raise NotVerified("not_verified", "你的账号还在等待身份验证，验证通过后才能发表跟贴。")
    if account.verification is Verification.REFUSED:
        raise NotVerified("verification_refused", "你的账号未通过身份验证，不能发表跟贴。")
