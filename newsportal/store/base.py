"""What every aggregate module of the store shares: the engine, sessions, the dialect hook and the errors.

Each aggregate (articles, catalogue reads, engagement, readers, tokens, taxonomy, pins) is a mixin on top of
:class:`StoreBase`; :class:`~newsportal.store.facade.Store` puts them together behind one object. The two
database implementations (:mod:`~newsportal.store.sqlite`, :mod:`~newsportal.store.postgres`) differ only
in connection set-up and in :meth:`StoreBase.insert`, the one statement the dialects spell their own way.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Table
from sqlalchemy.orm import Session, sessionmaker

MAX_PER_PAGE = 100
#: The deepest page a published list serves. Counting and paging past it would scan a big channel's whole
#: subtree (linear in the corpus); older articles stay reachable by search, their source and their URL.
MAX_LIST_PAGES = 100


class NotFound(LookupError):
    """An id, slug or key that the store does not hold."""


class Conflict(ValueError):
    """A write that would break a uniqueness rule (e.g. an external id owned by another article)."""


def make_slug(published_or_now: datetime, seed: str | None = None) -> str:
    """A stable slug: publication date plus a short hash, independent of the (editable) title.

    The hash is 12 hex digits (48 bits). With 8 (32 bits) two of a day's articles collided by the birthday
    bound once a day held about 10,000 (a 1,000,000-article bulk load hit the unique constraint at 500,000);
    at 48 bits a day of 100,000 articles collides with odds of about 1 in 60,000. Slugs already stored keep
    their form: only new articles get the longer one.
    """
    basis = seed if seed else uuid.uuid4().hex
    digest = hashlib.sha1(basis.encode("utf-8")).hexdigest()[:12]
    return f"{published_or_now:%Y%m%d}{digest}"


def read_engine_of(engine: Engine) -> Engine:
    """The engine for single reads that need no transaction around them (the article page's).

    On PostgreSQL that is the same pool in autocommit, so a read is one round trip instead of three (BEGIN,
    the statement, ROLLBACK when the connection goes back to the pool); psycopg switches autocommit on the
    client, without a round trip of its own. SQLite opens no transaction for a SELECT anyway.
    """
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level="AUTOCOMMIT")
    return engine


class StoreBase:
    """Engine, sessions and the dialect hook; the aggregate mixins build on these three only."""

    dialect = "generic"

    def __init__(self, engine: Engine):
        self.engine = engine
        #: for single reads outside any transaction (see :func:`read_engine_of`)
        self.read_engine = read_engine_of(engine)
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    # -- dialect hook --------------------------------------------------------------------------------
    def insert(self, table: Table) -> Any:
        """An INSERT that supports ``on_conflict_do_nothing`` / ``on_conflict_do_update`` (upserts).

        SQLite and PostgreSQL share the ON CONFLICT syntax but SQLAlchemy builds it from each dialect's own
        ``insert``; the implementations override this. Public because bulk loaders outside the class use it.
        """
        raise NotImplementedError  # pragma: no cover - overridden by SqliteStore and PostgresStore

    # -- schema and connections ----------------------------------------------------------------------
    def upgrade(self) -> None:
        """Apply all migrations (idempotent)."""
        from newsportal.store.migrate import upgrade

        upgrade(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def session(self) -> Session:
        return self._sessions()
