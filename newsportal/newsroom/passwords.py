"""Newsroom passwords: argon2id hashes, a small policy, and generated passwords for demo accounts.

argon2-cffi's :class:`~argon2.PasswordHasher` picks argon2id with RFC 9106 parameters and embeds them in the
hash, so :func:`needs_rehash` can tell after a login whether the stored hash predates a parameter change and
should be replaced while the plain password is at hand.

The policy is deliberately short (length, not only digits, not the username): long rule lists push people
towards predictable patterns, and the admin creates accounts with :func:`generate_password` anyway.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10
MAX_LENGTH = 256  # argon2 accepts more, but a megabyte "password" is a cheap way to burn CPU

_HASHER = PasswordHasher()

# Letters and digits that cannot be mistaken for each other when read off a terminal (no 0/O, 1/l/I).
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_GROUP = 5


class WeakPassword(ValueError):
    """The password breaks the policy; ``message`` is shown next to the form field."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_policy(password: str, username: str = "") -> None:
    """Raise :class:`WeakPassword` with a Chinese message when ``password`` is not acceptable."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"密码至少需要 {MIN_LENGTH} 个字符")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"密码不能超过 {MAX_LENGTH} 个字符")
    if password.isdigit():
        raise WeakPassword("密码不能全部是数字")
    if not password.strip():
        raise WeakPassword("密码不能全部是空白字符")
    if username and password.strip().casefold() == username.strip().casefold():
        raise WeakPassword("密码不能与用户名相同")


def hash_password(password: str, username: str = "") -> str:
    """Check the policy, then return the argon2id hash to store (never the password itself)."""
    check_policy(password, username)
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """True when ``password`` matches. A malformed stored hash counts as a mismatch, not a crash.

    Overlong input is rejected before hashing so a login form cannot be used to spend server CPU.
    """
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with other parameters than today's; rehash after a successful login."""
    try:
        return _HASHER.check_needs_rehash(stored_hash)
    except (InvalidHashError, ValueError):
        return True


def generate_password(groups: int = 4) -> str:
    """A random password such as ``Kd7xq-Pm3aZ-...``: easy to read aloud and type, about 23 bits per group.

    ``groups`` groups of five characters joined with ``-`` (4 groups: 23 characters, ~94 bits). It always
    passes :func:`check_policy`.
    """
    if groups < 3:
        raise ValueError("groups must be at least 3 (≥ 14 characters)")
    while True:
        parts = ["".join(secrets.choice(_ALPHABET) for _ in range(_GROUP)) for _ in range(groups)]
        candidate = "-".join(parts)
        # Require a letter and a digit so it looks like a password to every policy an operator may add.
        if any(c.isdigit() for c in candidate) and any(c.isalpha() for c in candidate):
            return candidate
