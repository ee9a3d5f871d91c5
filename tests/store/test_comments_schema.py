"""Migration 0004_comments creates exactly what `tables_comments` maps, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from newsportal.store.tables import Base
from newsportal.store.tables_comments import COMMENT_TABLES


def test_migration_matches_the_mappings(store):
    names = {t.name for t in COMMENT_TABLES}
    assert names <= set(inspect(store.engine).get_table_names())
    with store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diffs if names & set(_tables_named(d))] == []


def _tables_named(diff) -> list[str]:
    """Table names a diff entry mentions (entries are tuples, or lists of tuples for column changes)."""
    found = []
    for item in diff if isinstance(diff, list) else [diff]:
        for part in item:
            name = getattr(part, "name", None) if hasattr(part, "columns") else None
            table = getattr(getattr(part, "table", None), "name", None)
            found += [n for n in (name, table) if n]
            if isinstance(part, str):
                found.append(part)
    return found


def test_downgrade_removes_the_comment_tables_and_upgrade_restores_them(store):
    from alembic import command

    from newsportal.store.migrate import alembic_config, upgrade

    with store.engine.begin() as conn:
        cfg = alembic_config(store.engine)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    assert not {t.name for t in COMMENT_TABLES} & set(inspect(store.engine).get_table_names())
    upgrade(store.engine)
    assert {t.name for t in COMMENT_TABLES} <= set(inspect(store.engine).get_table_names())
