"""Demo accounts: one per role on a fresh installation, random passwords shown once, never again."""

from __future__ import annotations

from newsportal.newsroom.demo_accounts import ensure_demo_accounts
from newsportal.newsroom.roles import Role


def test_one_account_per_role_with_random_passwords_once(portal):
    accounts = portal.newsroom.accounts
    made = ensure_demo_accounts(accounts, portal.sources)
    assert {m.role for m in made} == set(Role)
    assert len({m.password for m in made}) == len(made) and all(len(m.password) >= 12 for m in made)
    for m in made:
        assert accounts.authenticate(m.username, m.password).actor.role is m.role
    owner = next(m for m in made if m.role is Role.SELF_MEDIA)
    user = portal.newsroom.account_store.by_username(owner.username)
    assert portal.newsroom.account_store.self_media(user.source_id).category
    assert ensure_demo_accounts(accounts, portal.sources) == []  # second start: nothing new, nothing shown


def test_no_demo_accounts_once_any_account_exists(portal):
    portal.newsroom.accounts.create_user(None, "first-admin", Role.ADMIN)
    assert ensure_demo_accounts(portal.newsroom.accounts, portal.sources) == []
