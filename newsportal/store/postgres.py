"""The production store: PostgreSQL through psycopg 3, with a pooled engine."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, create_engine
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import make_url

from newsportal.store.facade import Store


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` URLs and pin the psycopg 3 driver."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    if parsed.drivername in ("postgresql", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


class PostgresStore(Store):
    dialect = "postgresql"

    def __init__(self, url: str, pool_size: int = 10):
        engine = create_engine(
            normalise_url(url), pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True
        )
        super().__init__(engine)

    def insert(self, table: Table) -> Any:
        return pg_insert(table)
