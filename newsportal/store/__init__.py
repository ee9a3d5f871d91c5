"""Storage behind one interface (:class:`Store`), embedded (SQLite) or production (PostgreSQL)."""

from newsportal.store.base import Conflict, IndexDoc, NotFound, Store


def open_store(url: str) -> Store:
    """The store for a database URL: ``sqlite:///path`` or ``postgresql://…``."""
    if url.startswith("sqlite"):
        from newsportal.store.sqlite import SqliteStore

        return SqliteStore(url)
    if url.startswith(("postgresql", "postgres")):
        from newsportal.store.postgres import PostgresStore

        return PostgresStore(url)
    raise ValueError(f"unsupported database URL {url!r}: use sqlite:///… or postgresql://…")


__all__ = ["Conflict", "IndexDoc", "NotFound", "Store", "open_store"]
