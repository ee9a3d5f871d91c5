"""Password hashing, verification, rehash detection, policy and generated passwords."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from newsportal.newsroom.passwords import (
    MAX_LENGTH,
    MIN_LENGTH,
    WeakPassword,
    check_policy,
    generate_password,
    hash_password,
    needs_rehash,
    verify_password,
)


def test_hash_and_verify_round_trip() -> None:
    stored = hash_password("晨报编辑部-2026春", username="wangfang")
    assert stored.startswith("$argon2id$")
    assert "晨报编辑部" not in stored
    assert verify_password(stored, "晨报编辑部-2026春")
    assert not verify_password(stored, "晨报编辑部-2026秋")
    assert not verify_password(stored, "")
    assert not needs_rehash(stored)


def test_same_password_gets_different_salts() -> None:
    assert hash_password("river-lantern-42") != hash_password("river-lantern-42")


@pytest.mark.parametrize("broken", ["", "plain-text", "$argon2id$v=19$broken", "$2b$12$notargon"])
def test_malformed_stored_hash_is_a_mismatch_not_a_crash(broken: str) -> None:
    assert verify_password(broken, "whatever-password") is False
    assert needs_rehash(broken) is True


def test_overlong_password_is_refused_without_hashing() -> None:
    stored = hash_password("x" * 20)
    assert verify_password(stored, "x" * (MAX_LENGTH + 1)) is False


def test_needs_rehash_for_old_parameters() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("an-old-password")
    assert verify_password(weak, "an-old-password")  # old hashes still verify
    assert needs_rehash(weak)


@pytest.mark.parametrize(
    ("password", "username", "message"),
    [
        ("short1", "", f"密码至少需要 {MIN_LENGTH} 个字符"),
        ("1234567890123", "", "密码不能全部是数字"),
        (" " * 12, "", "密码不能全部是空白字符"),
        ("LiuYang-2026", "liuyang-2026", "密码不能与用户名相同"),
        ("y" * (MAX_LENGTH + 1), "", f"密码不能超过 {MAX_LENGTH} 个字符"),
    ],
)
def test_policy_rejections(password: str, username: str, message: str) -> None:
    with pytest.raises(WeakPassword) as err:
        check_policy(password, username)
    assert err.value.message == message
    with pytest.raises(WeakPassword):
        hash_password(password, username)


@pytest.mark.parametrize(
    ("password", "username"),
    [("abcdefghij", ""), ("编辑部的春天来了真好", "chen"), ("liuyang-2026!", "liuyang"), ("1234567890a", "")],
)
def test_policy_accepts(password: str, username: str) -> None:
    check_policy(password, username)


def test_generated_passwords_are_readable_long_and_pass_policy() -> None:
    seen = set()
    for _ in range(200):
        pw = generate_password()
        seen.add(pw)
        assert len(pw) >= 14
        groups = pw.split("-")
        assert len(groups) == 4 and all(len(g) == 5 for g in groups)
        assert not set(pw) & set("0O1lI")
        assert any(c.isdigit() for c in pw) and any(c.isalpha() for c in pw)
        check_policy(pw, "admin")
    assert len(seen) == 200


def test_generate_password_minimum_groups() -> None:
    assert len(generate_password(3)) == 17
    with pytest.raises(ValueError):
        generate_password(2)
