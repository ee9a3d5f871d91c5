"""AccountStore: users and self-media account pages on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from newsportal.store.accounts import (
    ACTIVE,
    DISABLED,
    AccountStore,
    SelfMediaAccount,
    UnknownAccount,
    User,
    UsernameTaken,
)
from tests.newsroom_rows import T0, add_source


@pytest.fixture
def accounts(store) -> AccountStore:
    return AccountStore(store.engine)


def test_create_and_read_back(accounts):
    user = accounts.create("chenxl", "陈晓岚", "reporter", "$argon2id$fake", now=T0)
    assert isinstance(user, User)
    assert (user.username, user.display_name, user.role, user.status) == (
        "chenxl",
        "陈晓岚",
        "reporter",
        ACTIVE,
    )
    assert user.active and user.source_id is None and user.created_at == T0
    assert accounts.get(user.id) == user
    assert accounts.by_username("chenxl") == user
    assert accounts.get(user.id + 1000) is None and accounts.by_username("nobody") is None


def test_password_hash_only_through_credentials(accounts):
    user = accounts.create("liujing", "刘静", "editor", "$argon2id$secret", now=T0)
    assert "password_hash" not in {f.name for f in dataclasses.fields(User)}
    creds = accounts.credentials("liujing")
    assert creds is not None and creds.user == user and creds.password_hash == "$argon2id$secret"
    assert accounts.credentials("nobody") is None
    accounts.set_password_hash(user.id, "$argon2id$new")
    assert accounts.credentials("liujing").password_hash == "$argon2id$new"


def test_rows_are_frozen(accounts):
    user = accounts.create("sunhao", "孙浩", "editor", "h", now=T0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        user.role = "admin"  # type: ignore[misc]


def test_duplicate_username(accounts):
    accounts.create("wangfang", "王芳", "reporter", "h", now=T0)
    with pytest.raises(UsernameTaken) as err:
        accounts.create("wangfang", "另一个王芳", "editor", "h", now=T0)
    assert "已被使用" in err.value.message
    assert accounts.count() == 1


def test_unknown_source_is_refused(accounts):
    with pytest.raises(UnknownAccount):
        accounts.create("ghost", "幽灵号", "self_media", "h", now=T0, source_id=987654)


def test_list_filters_and_changes(accounts, store):
    source = add_source(store.engine)
    a = accounts.create("admin1", "管理员甲", "admin", "h", now=T0)
    r = accounts.create("rep1", "记者乙", "reporter", "h", now=T0)
    s = accounts.create("self1", "山城观察", "self_media", "h", now=T0, source_id=source)
    assert [u.username for u in accounts.users()] == ["admin1", "rep1", "self1"]
    assert accounts.users(role="admin") == [a]
    assert accounts.users(source_id=source) == [s]
    accounts.set_status(r.id, DISABLED)
    assert [u.username for u in accounts.users(status=ACTIVE)] == ["admin1", "self1"]
    assert accounts.count(status=DISABLED) == 1 and not accounts.get(r.id).active
    assert accounts.set_role(r.id, "editor").role == "editor"
    assert accounts.set_display_name(r.id, "编辑乙").display_name == "编辑乙"
    assert accounts.set_source(s.id, None).source_id is None
    with pytest.raises(ValueError):
        accounts.set_status(r.id, "deleted")
    with pytest.raises(UnknownAccount):
        accounts.set_role(424242, "editor")


def test_record_login(accounts):
    user = accounts.create("zhaolei", "赵磊", "reporter", "h", now=T0)
    later = T0 + timedelta(hours=3)
    updated = accounts.record_login(user.id, later, "203.0.113.9")
    assert (updated.last_login_at, updated.last_login_ip) == (later, "203.0.113.9")


def test_source_lookup_by_key(accounts, store):
    sid = add_source(store.engine, "shancheng-obs")
    assert accounts.source_id_for_key("shancheng-obs") == sid
    assert accounts.source_id_for_key("missing") is None


def test_self_media_page_and_suspension(accounts, store):
    sid = add_source(store.engine)
    assert accounts.self_media(sid) is None
    page = accounts.save_self_media(
        sid,
        name="山城观察",
        intro="记录山城街巷的日常变化。",
        operator="山城观察文化工作室",
        category="城市生活",
        contact="contact@example.org",
        now=T0,
    )
    assert isinstance(page, SelfMediaAccount)
    assert (page.name, page.operator, page.suspended) == ("山城观察", "山城观察文化工作室", False)
    later = T0 + timedelta(days=1)
    suspended = accounts.set_suspended(sid, True, reason="多次发布未经核实的消息", now=later)
    assert suspended.suspended and suspended.suspended_at == later and suspended.suspended_reason
    # Saving the page fields later keeps the suspension as it is.
    again = accounts.save_self_media(
        sid,
        name="山城观察",
        intro="新简介",
        operator="山城观察文化工作室",
        category="城市生活",
        contact="",
        now=later,
    )
    assert again.suspended and again.intro == "新简介"
    restored = accounts.set_suspended(sid, False, reason=None, now=later)
    assert not restored.suspended and restored.suspended_reason is None and restored.suspended_at is None
    assert accounts.self_media_accounts() == [restored]
    assert accounts.self_media_accounts([sid + 999]) == []


def test_self_media_unknown_source(accounts):
    with pytest.raises(UnknownAccount):
        accounts.save_self_media(55555, name="无", intro="", operator="无", category="无", contact="", now=T0)
    with pytest.raises(UnknownAccount):
        accounts.set_suspended(55555, True, reason="x", now=T0)
