"""What the comment and reader-account stores share: session set-up and typed errors with Chinese messages.

Each store class takes an ``Engine`` or a ready ``sessionmaker``, so the facade can hand every aggregate the
same session factory while tests can build one store on its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from newsportal.store.base import Conflict, NotFound

__all__ = ["Sessions", "session_factory", "transaction", "RowMissing", "Duplicate", "MAX_PER_PAGE"]

Sessions = Engine | sessionmaker[Session]
MAX_PER_PAGE = 100


def session_factory(source: Sessions) -> sessionmaker[Session]:
    if isinstance(source, Engine):
        return sessionmaker(source, expire_on_commit=False)
    return source


@contextmanager
def transaction(maker: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back (nothing half-written) when it raises."""
    with maker() as session, session.begin():
        yield session


class RowMissing(NotFound):
    """A comment, reader, report or ban that does not exist; ``message_zh`` is shown as is."""

    def __init__(self, code: str, message_zh: str) -> None:
        super().__init__(f"{code}: {message_zh}")
        self.code = code
        self.message_zh = message_zh


class Duplicate(Conflict):
    """A second like, a second report of the same target, a login already taken."""

    def __init__(self, code: str, message_zh: str) -> None:
        super().__init__(f"{code}: {message_zh}")
        self.code = code
        self.message_zh = message_zh
