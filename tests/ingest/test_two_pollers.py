"""Two poller processes, each with its own engine and portal, poll the same sources at the same due times:
every source is polled by exactly one of them per due time, and no story is stored twice."""

from __future__ import annotations

import multiprocessing
import traceback
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from newsportal.ingest.admin import SourceAdmin
from newsportal.store.ingest_sources import IngestSources
from tests.conftest import make_store
from tests.ingest.partner_server import PartnerServer, Route
from tests.ingest.service_kit import ATOM, LIMITS, T0, Clock, Entry, atom

SOURCES = 8
INTERVAL = 600
ROUNDS = [T0, T0 + timedelta(seconds=INTERVAL)]


def _poller(url: str, data_dir: str, name: str, seed: int, rounds: list[datetime], barrier, results) -> None:
    """One poller process: its own engine, portal and fetcher; waits at the barrier before each round."""
    try:
        from newsportal.config import Settings
        from newsportal.ingest.fetch import Fetcher
        from newsportal.portal import Portal
        from newsportal.store import open_store
        from tests.ingest.service_kit import build_service

        settings = Settings(site_url="http://testserver", index_in_memory=True, data_dir=Path(data_dir))
        portal = Portal(settings, open_store(url)).start()
        try:
            with Fetcher(LIMITS) as fetcher:
                service = build_service(portal, fetcher, Clock(rounds[0]), seed=seed)
                for index, now in enumerate(rounds):
                    barrier.wait(timeout=120)
                    polls = service.poll_due(name, now)
                    done = [(p.ingest_source_id, [i.action for i in p.items]) for p in polls]
                    results.put((name, index, done))
        finally:
            portal.close()
    except BaseException:
        results.put((name, -1, traceback.format_exc()))
        raise


def _entries(n: int) -> list[Entry]:
    return [Entry(guid=f"jz-{n}-{k}", title=f"江州第{n}区社区服务站第{k}项便民措施上线",
                  paragraphs=(f"第{n}区服务站从本周起提供第{k}项便民服务，居民可在工作日上午前往办理。",
                              "服务站工作人员说，后续还会根据居民反馈调整办理时间。"),
                  published=T0 - timedelta(hours=k + 1), updated=T0 - timedelta(hours=k + 1))
            for k in range(2)]


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_each_source_is_polled_by_exactly_one_process_per_due_time(backend, tmp_path_factory, tmp_path):
    from newsportal.demo.load import install_catalog

    store, dispose = make_store(backend, tmp_path_factory)
    partner = PartnerServer().start()
    try:
        install_catalog(store)
        admin = SourceAdmin(IngestSources(store.engine), clock=Clock(T0))
        ids = []
        for n in range(SOURCES):
            # a little latency, so one process is still fetching while the other looks for work
            url = partner.add(f"/feed-{n}.xml", Route(atom(_entries(n)), headers=ATOM, delay=0.05))
            ids.append(admin.add_feed(f"partner-{n}", url, interval=INTERVAL, trusted=True).id)
        db_url = store.engine.url.render_as_string(hide_password=False)
        ctx = multiprocessing.get_context("spawn")
        barrier, results = ctx.Barrier(2), ctx.Queue()
        procs = [ctx.Process(target=_poller, args=(db_url, str(tmp_path / name), name, seed, ROUNDS, barrier,
                                                   results))
                 for seed, name in enumerate(("poller-a", "poller-b"))]
        for p in procs:
            p.start()
        reports = [results.get(timeout=180) for _ in range(2 * len(ROUNDS))]
        for p in procs:
            p.join(timeout=60)
        failures = [r[2] for r in reports if r[1] == -1]
        assert not failures, failures[0]
        assert [p.exitcode for p in procs] == [0, 0]

        for index in range(len(ROUNDS)):
            polled = [sid for name, i, polls in reports if i == index for sid, _ in polls]
            assert sorted(polled) == sorted(ids)  # all polled, none twice
            actions = Counter(a for _, i, polls in reports if i == index for _, acts in polls for a in acts)
            assert actions == ({"created": 2 * SOURCES} if index == 0 else {"unchanged": 2 * SOURCES})
        requested = Counter(path for path, _ in partner.requests)
        assert requested == {f"/feed-{n}.xml": len(ROUNDS) for n in range(SOURCES)}
        with store.engine.connect() as conn:
            count = conn.exec_driver_sql("select count(*) from articles").scalar()
            ledger = conn.exec_driver_sql("select count(*) from ingested_items").scalar()
        assert (count, ledger) == (2 * SOURCES, 2 * SOURCES)
        for source in IngestSources(store.engine).all():
            assert source.lease_owner is None
            assert source.next_poll_at == ROUNDS[-1] + timedelta(seconds=INTERVAL)
            assert source.items_taken == 2 and source.last_success_at == ROUNDS[-1]
    finally:
        partner.stop()
        dispose()
