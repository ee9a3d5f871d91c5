"""Demo newsroom accounts: one per role on a fresh installation, with passwords generated and shown once.

``newsportal serve`` (and so ``./dev demo``) calls :func:`ensure_demo_accounts` at start-up. It does
nothing once any account exists, so a real installation is never given accounts it did not ask for, and no
password is ever a fixed default: each is random (:func:`passwords.generate_password`), returned to the
caller to print once, and stored only as an argon2 hash.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from newsportal.domain import Source, SourceKind
from newsportal.newsroom.accounts import AccountService
from newsportal.newsroom.roles import Role

DEMO_USERS: tuple[tuple[str, Role, str], ...] = (
    ("reporter", Role.REPORTER, "记者小陈"),
    ("editor", Role.EDITOR, "责编老刘"),
    ("chief", Role.CHIEF_EDITOR, "主编周岚"),
    ("admin", Role.ADMIN, "系统管理员"),
    ("selfmedia", Role.SELF_MEDIA, "数码老周"),
)

#: the demo self-media page (written for the demo; the account is fictional)
_PAGE = {
    "intro": "分享手机、耳机和笔记本的上手体验，只写自己真正用过的东西。",
    "operator": "个人",
    "category": "科技数码",
    "contact": "shuma-laozhou@example.com",
}


@dataclass(frozen=True, slots=True)
class DemoAccount:
    username: str
    role: Role
    password: str


def ensure_demo_accounts(accounts: AccountService, sources: Mapping[int, Source]) -> list[DemoAccount]:
    """Create the demo accounts if there are no accounts at all; return them with their passwords."""
    if accounts.accounts.count() > 0:
        return []
    self_media = sorted((s for s in sources.values() if s.kind is SourceKind.SELF_MEDIA), key=lambda s: s.id)
    made: list[DemoAccount] = []
    for username, role, display in DEMO_USERS:
        source = None
        if role is Role.SELF_MEDIA:
            if not self_media:
                continue
            source = self_media[0]
            display = source.name
            accounts.accounts.save_self_media(source.id, name=source.name, now=accounts.clock(), **_PAGE)
        created = accounts.create_user(None, username, role, display_name=display,
                                       source_id=source.id if source else None)
        assert created.password is not None
        made.append(DemoAccount(created.user.username, role, created.password))
    return made
