"""Source trust (newsroom/sources.py): one checked path that reaches the catalogue and other processes."""

import pytest

from newsportal.newsroom import save_article
from newsportal.newsroom.sources import TrustOutOfRange, set_source_trust
from newsportal.store import NotFound
from tests.conftest import make_portal, sample_draft


def test_trust_is_range_checked_and_rescores_live_articles(portal):
    a, _ = save_article(portal, sample_draft(), actor="t", publish_now=True)
    before = portal.catalog[a.id].quality
    for bad in (-0.1, 1.5, float("nan")):
        with pytest.raises(TrustOutOfRange, match="信任度"):
            portal.set_source_trust("haihe-daily", bad)
    with pytest.raises(NotFound):
        set_source_trust(portal.store, portal.source_book, portal.catalog, "nobody", 0.5)
    s = portal.set_source_trust("haihe-daily", 0.2)
    assert s.trust == 0.2 and portal.sources_by_key["haihe-daily"].trust == 0.2
    assert portal.catalog[a.id].quality < before
    assert portal.quality(portal.store.get_article(a.id)).score < before


def test_a_running_process_sees_trust_set_elsewhere_on_its_next_sync(store):
    server = make_portal(store)
    a, _ = save_article(server, sample_draft(), actor="t", publish_now=True)
    before = server.catalog[a.id].quality
    other = make_portal(store)  # e.g. `newsportal source-trust` while the server runs
    other.set_source_trust("haihe-daily", 0.1)
    assert server.refresh() >= 1
    assert server.sources_by_key["haihe-daily"].trust == 0.1 and server.catalog[a.id].quality < before
