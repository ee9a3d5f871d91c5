"""The portal's in-memory views survive restarts and follow writes made by other processes."""

from newsportal.config import Settings
from newsportal.newsroom import save_article, withdraw
from newsportal.portal import Portal
from tests.conftest import make_portal, sample_draft


def test_index_persists_across_restarts(store, tmp_path):
    from newsportal.demo.load import install_catalog

    install_catalog(store)
    settings = Settings(data_dir=tmp_path, site_url="http://testserver")
    first = Portal(settings, store).start()
    a, _ = save_article(first, sample_draft(), actor="t", publish_now=True)
    assert (tmp_path / "index").is_dir()
    second = Portal(settings, store).start()  # a restart: nothing to re-index
    assert second.index.ids() == {a.id} and second.search("智慧公交")[1] == 1


def test_refresh_picks_up_another_process_writes(store):
    server = make_portal(store)
    cli = make_portal(store)  # e.g. `newsportal import` while the server runs
    purged = []
    server.signals.synced.connect(purged.append)
    a, _ = save_article(cli, sample_draft(external_id="x"), actor="cli", publish_now=True)
    assert a.id not in server.catalog
    assert server.refresh() == 1 and a.id in server.catalog and [e.article_ids for e in purged] == [(a.id,)]
    assert server.search("智慧公交")[1] == 1  # the server indexed what the other process wrote
    assert server.refresh() == 0  # nothing new
    withdraw(cli, a.id)
    assert server.refresh() == 1 and a.id not in server.catalog


def test_a_second_process_opens_the_index_read_only(store, tmp_path):
    from newsportal.demo.load import install_catalog

    install_catalog(store)
    settings = Settings(data_dir=tmp_path, site_url="http://testserver")
    server = Portal(settings, store).start()
    cli = Portal(settings, store).start()
    assert server.index.writable and not cli.index.writable
    a, _ = save_article(cli, sample_draft(external_id="y"), actor="cli", publish_now=True)
    assert cli.index.upsert(cli.store.index_doc(a)) is False
    server.refresh()
    cli.index.refresh()
    assert server.search("智慧公交")[1] == 1 and cli.search("智慧公交")[1] == 1
    cli.close()
    server.close()
