"""Reader accounts: sign-up, verification by an operator (never automatic), login sessions, deletion."""

from datetime import timedelta

import pytest

from newsportal.comments.errors import BadInput, RateLimited
from newsportal.comments.ratelimit import LimitSettings, PostLimiter
from newsportal.comments.readers import (
    OperatorApproval,
    ReaderService,
    VerifierAnswer,
    check_password,
    clean_nickname,
    normalise_login,
)
from newsportal.store.comments_common import Duplicate
from newsportal.store.reader_accounts import ReaderAccountStore, Verification
from tests.comments.conftest import CHEAP, later


def test_login_forms_are_normalised():
    assert normalise_login(" Li.Na@Example.CN ") == "li.na@example.cn"
    assert normalise_login("+86 138-0013-8000") == "13800138000"
    assert normalise_login("１３８００１３８０００") == "13800138000"  # full-width digits
    for bad, code in [
        ("", "login_empty"),
        ("12345", "bad_login"),
        ("a@b", "bad_login"),
        (None, "login_empty"),
    ]:
        with pytest.raises(BadInput) as info:
            normalise_login(bad)
        assert info.value.code == code and info.value.message_zh


def test_nickname_and_password_rules():
    assert clean_nickname("  海河\u200b 读者 ") == "海河 读者"
    for bad in ["甲", "长" * 21, "<b>昵称</b>", "已注销用户", "官方小编", 42]:
        with pytest.raises(BadInput):
            clean_nickname(bad)
    assert check_password("海河晨报2026", "a@b.cn") == "海河晨报2026"
    for bad in ["short", "aaaaaaaaaa", " 前后有空格的密码 ", "x" * 129, "a@b.cn"]:
        with pytest.raises(BadInput):
            check_password(bad, "a@b.cn")


def test_sign_up_stays_pending_until_an_operator_approves(env):
    account = env.readers.sign_up("Wang@Example.cn", "王读者", "海河晨报2026", later(0))
    assert account.verification is Verification.PENDING and not account.may_post
    assert account.password_hash.startswith("$argon2id$") and "海河晨报2026" not in account.password_hash
    assert [a.login for a in env.readers.pending()[0]] == ["wang@example.cn"]
    with pytest.raises(Duplicate) as dup:
        env.readers.sign_up("wang@example.cn", "另一个", "海河晨报2026", later(1))
    assert dup.value.message_zh == "该账号已注册，请直接登录。"
    approved = env.readers.approve("WANG@example.cn", "cli:ops", later(2), "身份证件已核对")
    assert (approved.verification, approved.verified_by, approved.verified_at) == (
        Verification.VERIFIED,
        "cli:ops",
        later(2),
    )
    assert env.readers.pending()[1] == 0


def test_a_pluggable_verifier_decides_at_sign_up(env):
    class ExternalCheck:
        name = "sms"

        def submit(self, account, evidence, now):
            ok = evidence.get("sms_code") == "246810"
            return VerifierAnswer(Verification.VERIFIED if ok else Verification.PENDING, note="短信验证")

    service = ReaderService(env.readers.accounts, verifier=ExternalCheck(), hasher=CHEAP)
    good = service.sign_up("13800138000", "短信读者", "海河晨报2026", later(0), {"sms_code": "246810"})
    bad = service.sign_up("13800138001", "另一读者", "海河晨报2026", later(0), {"sms_code": "000000"})
    assert good.verification is Verification.VERIFIED and good.verified_by == "verifier:sms"
    assert bad.verification is Verification.PENDING
    assert OperatorApproval().submit(good, {"anything": "yes"}, later(0)).state is Verification.PENDING


def test_login_session_logout_and_expiry(env):
    env.readers.sign_up("li@example.cn", "李读者", "海河晨报2026", later(0))
    for login, pw in [
        ("li@example.cn", "错误的密码123"),
        ("nobody@example.cn", "海河晨报2026"),
        ("???", "x"),
    ]:
        with pytest.raises(BadInput) as info:
            env.readers.log_in(login, pw, "1.2.3.4", later(1))
        assert info.value.message_zh == "账号或密码错误。"
    signed = env.readers.log_in("LI@example.cn", "海河晨报2026", "1.2.3.4", later(1))
    assert env.readers.current(signed.token, later(2)).id == signed.account.id
    assert signed.account.last_login_at == later(1)
    with env.store.engine.connect() as conn:
        stored = conn.exec_driver_sql("select id_hash from reader_sessions").scalars().all()
    assert signed.token not in stored and len(stored) == 1
    assert env.readers.current(signed.token, later(1) + timedelta(days=31)) is None  # expired
    env.readers.log_out(signed.token)
    assert env.readers.current(signed.token, later(3)) is None


def test_delete_needs_the_password(env):
    account = env.reader()
    with pytest.raises(BadInput) as info:
        env.readers.delete_account(account, "不是这个密码", later(1))
    assert info.value.message_zh == "密码错误，账号未注销。"
    env.readers.delete_account(account, "海河晨报2026", later(1))
    gone = env.readers.accounts.get(account.id)
    assert gone.deleted and gone.shown_name == "已注销用户" and gone.password_hash == ""
    assert not gone.login.endswith("example.cn")


def test_login_attempts_are_rate_limited_per_ip(env):
    limited = ReaderService(
        ReaderAccountStore(env.store.engine),
        hasher=CHEAP,
        limiter=PostLimiter(LimitSettings(login_per_ip="3/hour")),
    )
    for _ in range(3):
        with pytest.raises(BadInput):
            limited.log_in("x@example.cn", "wrong-password", "9.9.9.9", later(1))
    with pytest.raises(RateLimited) as info:
        limited.log_in("x@example.cn", "wrong-password", "9.9.9.9", later(1))
    assert "登录尝试过于频繁" in info.value.message_zh and info.value.retry_after > 0
