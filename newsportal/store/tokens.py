"""API tokens: partner systems and editors' tools authenticate with a bearer secret kept only as a hash.

Each token carries the newsroom role code it acts with (``role``); the store keeps the code the caller
validated (the CLI checks it against :class:`~newsportal.newsroom.roles.Role`) and NULL means the
deployment's default role, which is how tokens made before roles existed keep working unchanged.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select, update

from newsportal.domain import ApiToken
from newsportal.store.base import StoreBase
from newsportal.store.tables import ApiTokenRow
from newsportal.timeutil import utcnow


def _hash_secret(secret: str) -> str:
    # API tokens are 32 random bytes, so a plain SHA-256 is as strong as a slow hash here and keeps token
    # checks on every API call cheap. Human passwords (newsroom accounts) use argon2 instead.
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _token(row: ApiTokenRow) -> ApiToken:
    return ApiToken(row.id, row.name, row.prefix, row.created_at, bool(row.revoked), row.role)


class TokenStore(StoreBase):
    def create_token(self, name: str, *, role: str | None = None) -> tuple[ApiToken, str]:
        """Create a token acting as ``role`` (a role code; None: the configured default).

        The secret is returned once and only its hash is kept.
        """
        prefix = secrets.token_hex(4)
        secret = f"np_{prefix}_{secrets.token_urlsafe(32)}"
        now = utcnow()
        with self.session() as s, s.begin():
            row = ApiTokenRow(name=name, prefix=prefix, secret_hash=_hash_secret(secret), created_at=now,
                              role=role)
            s.add(row)
            s.flush()
            return _token(row), secret

    def verify_token(self, secret: str) -> ApiToken | None:
        """The live token a secret belongs to (and note its use), or None."""
        parts = secret.split("_", 2)
        if len(parts) != 3 or parts[0] != "np":
            return None
        with self.session() as s, s.begin():
            row = s.scalar(select(ApiTokenRow).where(ApiTokenRow.prefix == parts[1]))
            if row is None or row.revoked:
                return None
            if not secrets.compare_digest(row.secret_hash, _hash_secret(secret)):
                return None
            s.execute(update(ApiTokenRow).where(ApiTokenRow.id == row.id).values(last_used_at=utcnow()))
            return _token(row)

    def revoke_token(self, prefix: str) -> bool:
        with self.session() as s, s.begin():
            res = s.execute(update(ApiTokenRow).where(ApiTokenRow.prefix == prefix).values(revoked=True))
            return bool(res.rowcount)  # type: ignore[attr-defined]

    def tokens(self) -> list[ApiToken]:
        with self.session() as s:
            return [_token(r) for r in s.scalars(select(ApiTokenRow).order_by(ApiTokenRow.id))]
