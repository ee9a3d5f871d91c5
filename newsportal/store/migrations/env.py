"""Alembic environment: runs on the connection handed over by :mod:`newsportal.store.migrate`."""

from alembic import context
from sqlalchemy import create_engine

# Every table module registers its tables on Base, so autogenerate sees the whole schema.
import newsportal.store.tables_comments  # noqa: F401
import newsportal.store.tables_ingest  # noqa: F401
import newsportal.store.tables_newsroom  # noqa: F401
import newsportal.store.tables_reader  # noqa: F401
from newsportal.store.tables import Base

config = context.config
target_metadata = Base.metadata


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Autogenerate leaves the job engine's tables alone: procrastinate creates and migrates them
    (newsportal.jobs.backends.procrastinate.ensure_schema), not Alembic."""
    return not (type_ == "table" and name is not None and name.startswith("procrastinate_"))


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                          include_name=include_name)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("sqlalchemy.url is not set: run migrations through newsportal.store.migrate")
    engine = create_engine(url)
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True,
                          include_name=include_name)
        with context.begin_transaction():
            context.run_migrations()


run()
