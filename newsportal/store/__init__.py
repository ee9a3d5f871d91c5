"""Storage behind one facade (:class:`Store`), embedded (SQLite) or production (PostgreSQL)."""

from newsportal.store.articles import ArticleWrite
from newsportal.store.base import Conflict, NotFound
from newsportal.store.bulk import bulk_create
from newsportal.store.facade import Store
from newsportal.store.rows import CatalogRow, ChangedRow, Read, Stats, StoredEvent


def open_store(url: str) -> Store:
    """The store for a database URL: ``sqlite:///path`` or ``postgresql://…``."""
    if url.startswith("sqlite"):
        from newsportal.store.sqlite import SqliteStore

        return SqliteStore(url)
    if url.startswith(("postgresql", "postgres")):
        from newsportal.store.postgres import PostgresStore

        return PostgresStore(url)
    raise ValueError(f"unsupported database URL {url!r}: use sqlite:///… or postgresql://…")


__all__ = [
    "ArticleWrite", "CatalogRow", "ChangedRow", "Conflict", "NotFound", "Read", "Stats", "Store",
    "StoredEvent", "bulk_create", "open_store",
]
