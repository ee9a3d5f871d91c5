"""Migration 0003_newsroom: it reaches head, creates what the mappings declare, and downgrades cleanly."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from newsportal.store.migrate import alembic_config, current
from newsportal.store.tables import Base
from newsportal.store.tables_newsroom import NEWSROOM_TABLES

NAMES = {t.name for t in NEWSROOM_TABLES}


def _diffs_for_newsroom(engine) -> list:
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    out = []
    for diff in diffs:
        flat = diff if isinstance(diff, tuple) else diff[0]
        text = repr(flat)
        if any(f"'{name}'" in text or f"table={name}" in text or f"Table('{name}'" in text for name in NAMES):
            out.append(flat)
    return out


def _head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_migrated_to_head_and_tables_exist(store):
    assert current(store.engine) == _head()
    assert NAMES <= set(inspect(store.engine).get_table_names())


def test_migration_matches_the_table_mappings(store):
    assert _diffs_for_newsroom(store.engine) == []


def test_downgrade_and_upgrade_again(store):
    def run(fn, rev):
        with store.engine.begin() as conn:
            cfg = alembic_config(store.engine)
            cfg.attributes["connection"] = conn
            fn(cfg, rev)

    run(command.downgrade, "0002")
    assert not NAMES & set(inspect(store.engine).get_table_names())
    run(command.upgrade, "head")
    assert NAMES <= set(inspect(store.engine).get_table_names())
    assert current(store.engine) == _head()
