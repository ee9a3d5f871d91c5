"""Connections, migrations and the dialect hook (store/base.py, sqlite.py, postgres.py, open_store)."""

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select

from newsportal.store import Store, open_store
from newsportal.store.migrate import alembic_config, current
from newsportal.store.postgres import normalise_url
from newsportal.store.tables import PersonRow


def _head() -> str:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"migrations must form one line, found heads {heads}"
    return heads[0]


def test_migrations_reach_head_and_create_every_table(store):
    assert current(store.engine) == _head()
    tables = set(inspect(store.engine).get_table_names())
    assert {"articles", "article_revisions", "channels", "sources", "people", "article_tags", "events",
            "article_stats", "api_tokens", "pins", "reader_history"} <= tables
    store.upgrade()  # idempotent
    assert current(store.engine) == _head()


def test_every_backend_is_the_one_facade(store, backend):
    assert isinstance(store, Store) and store.dialect == {"sqlite": "sqlite",
                                                          "postgres": "postgresql"}[backend]


def test_dialect_insert_supports_on_conflict(store):
    stmt = store.insert(PersonRow.__table__).values(name="陈晓岚", role="reporter")
    with store.session() as s, s.begin():
        s.execute(stmt.on_conflict_do_nothing(index_elements=["name", "role"]))
        s.execute(stmt.on_conflict_do_nothing(index_elements=["name", "role"]))  # no error the second time
    with store.session() as s:
        assert s.scalars(select(PersonRow.name)).all() == ["陈晓岚"]


def test_open_store_refuses_unknown_urls_and_close_releases_connections(tmp_path):
    with pytest.raises(ValueError, match="unsupported database URL"):
        open_store("mysql://nowhere/db")
    s = open_store(f"sqlite:///{tmp_path / 'sub' / 'x.sqlite3'}")
    s.upgrade()
    assert (tmp_path / "sub" / "x.sqlite3").is_file()
    s.close()
    assert s.engine.pool.checkedout() == 0


def test_postgres_urls_are_pinned_to_psycopg3():
    assert normalise_url("postgres://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert normalise_url("postgresql+psycopg2://h/db") == "postgresql+psycopg://h/db"
