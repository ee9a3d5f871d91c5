"""Reader passwords with argon2id (argon2-cffi), behind two functions so the parameters live in one place.

The newsroom has its own helper on main; the two will be merged into one module by the integrator. Tests
pass a cheap :class:`argon2.PasswordHasher` so they stay fast on shared machines; production uses the
library's defaults (RFC 9106 low-memory profile).
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

__all__ = ["PasswordHasher", "default_hasher", "hash_password", "verify_password", "needs_rehash"]

_DEFAULT = PasswordHasher()


def default_hasher() -> PasswordHasher:
    return _DEFAULT


def hash_password(password: str, hasher: PasswordHasher | None = None) -> str:
    return (hasher or _DEFAULT).hash(password)


def verify_password(stored_hash: str, password: str, hasher: PasswordHasher | None = None) -> bool:
    """True when the password matches; a wrong password, an empty or corrupt hash are all simply False."""
    if not stored_hash:
        return False
    try:
        return (hasher or _DEFAULT).verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str, hasher: PasswordHasher | None = None) -> bool:
    try:
        return (hasher or _DEFAULT).check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True
