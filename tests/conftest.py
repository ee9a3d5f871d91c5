"""Shared fixtures. Every store-backed test runs twice: on SQLite and on the PostgreSQL server.

PostgreSQL tests get a schema of their own (created, migrated, dropped), so they never see each other's
rows or the operator's data. Without a reachable server they skip with the reason, except in CI
(``CI=true``) or with ``NEWSPORTAL_REQUIRE_SERVICES=1``, where a missing server fails the run.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from typing import NamedTuple

import pytest
from sqlalchemy import create_engine, text

from newsportal.config import Settings
from newsportal.portal import Portal
from newsportal.store import Store, open_store

REDIS_URL = os.environ.get("NEWSPORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PG_URL = os.environ.get("NEWSPORTAL_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_SERVICES = (os.environ.get("CI", "").lower() == "true"
                    or os.environ.get("NEWSPORTAL_REQUIRE_SERVICES") == "1")
BROWSER_UA = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/126.0 Safari/537.36")
TEST_SECRET = "test-secret-of-the-newsportal-test-suite-0123456789"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

_pg_state: dict[str, str | None] = {}


def postgres_problem() -> str | None:
    """None when the PostgreSQL server answers, else why not (checked once per session)."""
    if "problem" not in _pg_state:
        try:
            engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
            with engine.connect() as conn:
                conn.execute(text("select 1"))
            engine.dispose()
            _pg_state["problem"] = None
        except Exception as exc:  # any failure to connect means "no server here"
            _pg_state["problem"] = f"PostgreSQL at {PG_URL} is not reachable: {exc.__class__.__name__}: {exc}"
    return _pg_state["problem"]


def need_postgres() -> None:
    problem = postgres_problem()
    if problem:
        if REQUIRE_SERVICES:
            pytest.fail(problem + " (required in CI)")
        pytest.skip(problem)


def redis_problem() -> str | None:
    """None when the Redis server answers PING, else why not (checked once per session)."""
    if "redis" not in _pg_state:
        try:
            import redis

            client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
            client.ping()
            client.close()
            _pg_state["redis"] = None
        except Exception as exc:
            _pg_state["redis"] = f"Redis at {REDIS_URL} is not reachable: {exc.__class__.__name__}: {exc}"
    return _pg_state["redis"]


def need_redis() -> None:
    problem = redis_problem()
    if problem:
        if REQUIRE_SERVICES:
            pytest.fail(problem + " (required in CI)")
        pytest.skip(problem)


def make_store(backend: str, tmp_path_factory) -> tuple[Store, callable]:
    """A fresh, migrated store and a function that disposes of it."""
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("db") / "test.sqlite3"
        store = open_store(f"sqlite:///{path}")
        store.upgrade()
        return store, store.close
    need_postgres()
    schema = f"np_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    store = open_store(f"{PG_URL}?options=-csearch_path%3D{schema}")
    store.upgrade()

    def dispose() -> None:
        store.close()
        drop_schema(admin, schema)
        admin.dispose()

    return store, dispose


class PrivateSchema(NamedTuple):
    """A test's own PostgreSQL schema: the database URL that puts it first on the search_path, its name,
    and an engine on the shared database for checks from outside."""

    url: str
    name: str
    admin: object


@contextlib.contextmanager
def private_pg_schema() -> Iterator[PrivateSchema]:
    """A new, empty schema for a test that starts processes of its own (servers, CLI runs); dropped after."""
    need_postgres()
    schema = f"np_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield PrivateSchema(f"{PG_URL}?options=-csearch_path%3D{schema}", schema, admin)
    finally:
        drop_schema(admin, schema)
        admin.dispose()


def drop_schema(admin, schema: str, attempts: int = 5) -> None:
    """Drop a test's PostgreSQL schema, again if PostgreSQL picked the drop as a deadlock's victim.

    A background thread of the test's app (a poller, the sync loop) may still be inside a transaction on
    one of the schema's tables when the test ends; DROP SCHEMA can then deadlock with it, and PostgreSQL
    aborts one of the two. Either way the other finishes, so a second try goes through.
    """
    import time

    from sqlalchemy.exc import OperationalError

    for attempt in range(attempts):
        try:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            return
        except OperationalError as exc:
            if "deadlock" not in str(exc).lower() or attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))


def make_portal(store: Store, embedder=None, **settings) -> Portal:
    from newsportal.demo.load import install_catalog

    install_catalog(store)
    settings.setdefault("index_in_memory", True)
    settings.setdefault("secret_key", TEST_SECRET)  # signs reader ids; never a file under ./data
    settings.setdefault("embed_in_background", False)  # tests drain portal.embedding themselves
    return Portal(Settings(site_url="http://testserver", **settings), store, embedder=embedder).start()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def store(backend, tmp_path_factory) -> Iterator[Store]:
    s, dispose = make_store(backend, tmp_path_factory)
    yield s
    dispose()


@pytest.fixture
def portal(store) -> Iterator[Portal]:
    """An empty portal: channel tree and sources installed, no articles."""
    p = make_portal(store)
    yield p
    p.counters.flush()


@pytest.fixture(scope="module", params=BACKENDS)
def demo_portal(request, tmp_path_factory) -> Iterator[Portal]:
    """A portal with the whole hand-written demo loaded; shared by a module's read-only tests."""
    from newsportal.demo.load import load_demo

    store, dispose = make_store(request.param, tmp_path_factory)
    p = make_portal(store)
    load_demo(p)
    p.embedding.drain()  # the demo's vectors, as the server's embedding thread would compute them
    yield p
    p.counters.flush()
    dispose()


@pytest.fixture(scope="module")
def demo_client(demo_portal):
    from starlette.testclient import TestClient

    from newsportal.web.app import create_app

    app = create_app(portal=demo_portal)
    with TestClient(app, headers={"user-agent": BROWSER_UA}) as client:
        yield client


@pytest.fixture
def client(portal):
    from starlette.testclient import TestClient

    from newsportal.web.app import create_app

    app = create_app(portal=portal)
    with TestClient(app, headers={"user-agent": BROWSER_UA}) as c:
        yield c


def sample_draft(**over):
    from newsportal.domain import ArticleDraft

    base = dict(
        title="海河新区开通首条智慧公交线路",
        body_html="<p>本报讯（记者 陈晓岚）昨天上午，海河新区首条智慧公交线路正式开通，全程设站十二个。</p>"
        "<p>线路采用新能源车辆，乘客可通过手机查询到站时间。</p>",
        channel_slug="domestic",
        source_key="haihe-daily",
        summary="海河新区首条智慧公交线路开通。",
        byline="本报讯（记者 陈晓岚）",
        tags=("公交", "新能源"),
        reporters=("陈晓岚",),
        editors=("刘静", "孙浩"),
    )
    base.update(over)
    return ArticleDraft(**base)


COUNTER_BACKENDS = ["embedded", pytest.param("redis", marks=pytest.mark.redis)]


@pytest.fixture(params=COUNTER_BACKENDS)
def counters_factory(request):
    """Builds counters of one backend; Redis ones live under a key prefix of their own, removed afterwards."""
    made = []
    prefix = f"nptest:{uuid.uuid4().hex[:10]}:"
    if request.param == "redis":
        need_redis()

    def factory(store, fresh=False, **kw):
        if request.param == "embedded":
            from newsportal.counters import EmbeddedCounters

            return EmbeddedCounters(store, half_life_hours=6, **kw)
        from newsportal.counters.redis import RedisCounters

        # fresh=True: a new process after a restart; Redis keeps its scores, so only the process state is new
        c = RedisCounters(REDIS_URL, store, half_life_hours=6, prefix=prefix, **kw)
        made.append(c)
        return c

    yield factory
    for c in made:
        c.drop_all()
        c.close()


@pytest.fixture
def counters(counters_factory, tmp_path_factory):
    store, dispose = make_store("sqlite", tmp_path_factory)
    yield counters_factory(store)
    dispose()
