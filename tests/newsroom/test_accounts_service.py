"""AccountService: account policy, admin guards, audited logins with per-account and per-IP limits."""

from __future__ import annotations

import uuid

import pytest

from newsportal.newsroom.accounts import AccountError, LoginFailed
from newsportal.newsroom.login_limits import LoginLimiter, LoginLimits, LoginThrottled
from newsportal.newsroom.passwords import verify_password
from newsportal.newsroom.roles import Forbidden, Role, UnknownRole
from newsportal.newsroom.sessions import SessionInvalid
from tests.conftest import REDIS_URL, need_redis
from tests.newsroom.newsroom_services import build
from tests.newsroom_rows import add_source

GOOD = "Haihe-river-2026"


@pytest.fixture
def nr(store):
    return build(store.engine)


def test_create_with_generated_password_shown_once(nr):
    admin = nr.admin()
    created = nr.accounts.create_user(admin, "  ChenXL ", "记者", display_name="陈晓岚", ip="192.0.2.1")
    assert created.user.username == "chenxl" and created.user.role == "reporter"
    assert created.password and len(created.password) >= 20
    creds = nr.accounts.accounts.credentials("chenxl")
    assert creds.password_hash.startswith("$argon2id$") and created.password not in creds.password_hash
    assert verify_password(creds.password_hash, created.password)
    (entry,) = nr.entries(action="user.create", target_id=str(created.user.id))
    assert entry.actor_name == "总管理员" and entry.ip == "192.0.2.1" and entry.detail["role"] == "reporter"
    given = nr.accounts.create_user(admin, "liujing", Role.EDITOR, password=GOOD)
    assert given.password is None


@pytest.mark.parametrize(
    ("username", "role", "password", "field"),
    [
        ("ab", "reporter", GOOD, "username"),
        ("张三", "reporter", GOOD, "username"),
        ("1abc", "reporter", GOOD, "username"),
        ("valid_name", "reporter", "short", "password"),
        ("valid_name", "reporter", "1234567890123", "password"),
        ("valid_name", "reporter", "valid_name", "password"),
        ("valid_name", "self_media", GOOD, "source"),
    ],
)
def test_create_refuses_bad_input(nr, username, role, password, field):
    with pytest.raises(AccountError) as err:
        nr.accounts.create_user(None, username, role, password=password)
    assert err.value.field == field and err.value.message
    assert nr.accounts.accounts.count() == 0


def test_create_refuses_unknown_role_bad_names_and_duplicates(nr):
    with pytest.raises(UnknownRole):
        nr.accounts.create_user(None, "someone", "intern")
    with pytest.raises(AccountError, match="控制字符"):
        nr.accounts.create_user(None, "someone", "reporter", display_name="王\u200b芳")
    nr.accounts.create_user(None, "someone", "reporter")
    with pytest.raises(Exception, match="已被使用"):
        nr.accounts.create_user(None, "SOMEONE", "editor")


def test_only_admins_manage_users(nr, store):
    nr.admin()
    editor = nr.accounts.actor_for(nr.accounts.create_user(None, "editor1", "editor").user)
    with pytest.raises(Forbidden):
        nr.accounts.create_user(editor, "x_user", "reporter")
    with pytest.raises(Forbidden):
        nr.accounts.list_users(editor)
    with pytest.raises(Forbidden):
        nr.accounts.set_role(editor, "root", "reporter")
    source = add_source(store.engine)
    owner = nr.accounts.create_user(None, "owner1", "self_media", source_id=source).user
    assert owner.source_id == source
    with pytest.raises(AccountError):
        nr.accounts.create_user(None, "rep_with_source", "reporter", source_id=source)


def test_disable_revokes_sessions_and_is_audited(nr):
    admin = nr.admin()
    nr.accounts.create_user(admin, "wangfang", "reporter", password=GOOD)
    ok = nr.accounts.authenticate("wangfang", GOOD, ip="198.51.100.4")
    disabled = nr.accounts.disable_user(admin, "wangfang", ip="192.0.2.1")
    assert not disabled.active
    with pytest.raises(SessionInvalid):
        nr.sessions.check(ok.session.session_id)
    (entry,) = nr.entries(action="user.disable")
    assert entry.detail["sessions_revoked"] == 1 and entry.actor_user_id == admin.user_id
    with pytest.raises(LoginFailed, match="停用"):
        nr.accounts.authenticate("wangfang", GOOD)
    assert nr.accounts.enable_user(admin, "wangfang").active
    assert nr.accounts.authenticate("wangfang", GOOD).user.username == "wangfang"
    assert [e.action for e in nr.entries(action="user.enable")] == ["user.enable"]


def test_admins_cannot_lock_the_newsroom_out(nr):
    admin = nr.admin()
    with pytest.raises(AccountError, match="自己"):
        nr.accounts.disable_user(admin, "root")
    with pytest.raises(AccountError, match="唯一"):
        nr.accounts.disable_user(None, "root")
    with pytest.raises(AccountError, match="唯一"):
        nr.accounts.set_role(None, "root", "editor")
    nr.accounts.create_user(admin, "admin2", "admin")
    assert nr.accounts.set_role(None, "root", "editor").role == "editor"


def test_set_role_audits_before_and_after_and_ends_sessions(nr):
    admin = nr.admin()
    nr.accounts.create_user(admin, "zhaolei", "reporter", password=GOOD)
    session = nr.accounts.authenticate("zhaolei", GOOD).session
    user = nr.accounts.set_role(admin, "zhaolei", "主编")
    assert user.role == "chief_editor"
    (entry,) = nr.entries(action="user.role_change")
    assert (entry.detail["before"], entry.detail["after"]) == ("reporter", "chief_editor")
    with pytest.raises(SessionInvalid):
        nr.sessions.check(session.session_id)
    assert nr.accounts.set_role(admin, "zhaolei", "chief_editor") == user  # no change, no entry
    assert len(nr.entries(action="user.role_change")) == 1
    with pytest.raises(AccountError, match="找不到用户"):
        nr.accounts.set_role(admin, "nobody", "editor")


def test_reset_password_and_display_name(nr):
    admin = nr.admin()
    nr.accounts.create_user(admin, "sunhao", "editor", password=GOOD)
    reset = nr.accounts.reset_password(admin, "sunhao")
    with pytest.raises(LoginFailed):
        nr.accounts.authenticate("sunhao", GOOD)
    assert nr.accounts.authenticate("sunhao", reset.password).user.username == "sunhao"
    assert nr.accounts.set_display_name(admin, "sunhao", "孙浩").display_name == "孙浩"
    (entry,) = nr.entries(action="user.update")
    assert entry.detail["after"] == "孙浩"
    assert nr.entries(action="user.password_reset")


def test_login_success_and_failures_are_audited(nr):
    nr.accounts.create_user(None, "chenxl", "reporter", password=GOOD, display_name="陈晓岚")
    ok = nr.accounts.authenticate("ChenXL", GOOD, ip="198.51.100.7", user_agent="测试")
    assert ok.actor.role is Role.REPORTER and ok.actor.active
    assert nr.sessions.check(ok.session.session_id).user_id == ok.user.id
    assert ok.user.last_login_ip == "198.51.100.7" and ok.user.last_login_at == nr.clock.now
    with pytest.raises(LoginFailed) as wrong:
        nr.accounts.authenticate("chenxl", "not-the-password", ip="198.51.100.7")
    with pytest.raises(LoginFailed) as unknown:
        nr.accounts.authenticate("ghost", GOOD, ip="198.51.100.7")
    assert wrong.value.message == unknown.value.message == "用户名或密码错误"
    reasons = sorted(e.detail["reason"] for e in nr.entries(action="login.failure"))
    assert reasons == ["bad_password", "unknown_user"]
    (success,) = nr.entries(action="login.success")
    assert success.actor_user_id == ok.user.id and success.ip == "198.51.100.7"


def test_failed_logins_throttle_the_account(nr):
    nr.accounts.create_user(None, "target", "editor", password=GOOD)
    for _ in range(3):
        with pytest.raises(LoginFailed):
            nr.accounts.authenticate("target", "guess-guess-1", ip=f"203.0.113.{_}")
    with pytest.raises(LoginThrottled) as err:
        nr.accounts.authenticate("target", GOOD, ip="203.0.113.50")  # even the right password waits
    assert "分钟后再试" in err.value.message and err.value.retry_after > 0
    assert [e.detail["reason"] for e in nr.entries(action="login.failure")].count("throttled") == 1


def test_failed_logins_throttle_the_ip(nr):
    for name in ("a_user", "b_user", "c_user", "d_user", "e_user"):
        with pytest.raises(LoginFailed):
            nr.accounts.authenticate(name, "whatever-guess", ip="203.0.113.77")
    nr.accounts.create_user(None, "innocent", "editor", password=GOOD)
    with pytest.raises(LoginThrottled):
        nr.accounts.authenticate("innocent", GOOD, ip="203.0.113.77")
    assert nr.accounts.authenticate("innocent", GOOD, ip="203.0.113.78").user.username == "innocent"


def test_success_clears_the_account_counter(nr):
    nr.accounts.create_user(None, "typo", "editor", password=GOOD)
    for _ in range(2):
        with pytest.raises(LoginFailed):
            nr.accounts.authenticate("typo", "wrong-password-1")
    nr.accounts.authenticate("typo", GOOD)
    assert nr.accounts.limiter.remaining("typo") == 3


@pytest.mark.redis
def test_redis_limiter_is_shared_between_processes_workers():
    need_redis()
    prefix = f"nptest:{uuid.uuid4().hex[:10]}"
    limits = LoginLimits(account_failures=2, ip_failures=10)
    one = LoginLimiter(REDIS_URL, limits=limits, key_prefix=prefix)
    two = LoginLimiter(REDIS_URL, limits=limits, key_prefix=prefix)
    try:
        one.failed("shared", "192.0.2.5")
        two.failed("shared", "192.0.2.5")
        with pytest.raises(LoginThrottled):
            one.check("shared", "192.0.2.5")
        two.succeeded("shared")
        one.check("shared", "192.0.2.6")
    finally:
        one.storage.reset()


def test_logout_and_admin_revocation(nr):
    admin = nr.admin()
    nr.accounts.create_user(admin, "liujing", "editor", password=GOOD)
    first = nr.accounts.authenticate("liujing", GOOD)
    second = nr.accounts.authenticate("liujing", GOOD)
    nr.accounts.logout(first.actor, first.session.session_id)
    with pytest.raises(SessionInvalid):
        nr.sessions.check(first.session.session_id)
    assert nr.accounts.revoke_sessions(admin, "liujing") == 1
    with pytest.raises(SessionInvalid):
        nr.sessions.check(second.session.session_id)
    assert nr.entries(action="logout") and nr.entries(action="session.revoke")
