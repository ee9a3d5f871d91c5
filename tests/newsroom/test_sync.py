"""Cross-process sync (newsroom/sync.py) fires typed events for what it took in."""

from newsportal.newsroom import save_article
from newsportal.newsroom.signals import ArticlesSyncedFromElsewhere, PinsChanged
from tests.conftest import make_portal, sample_draft


def test_sync_names_the_articles_it_took_in_and_reports_pin_changes(store):
    server = make_portal(store)
    cli = make_portal(store)
    synced: list[ArticlesSyncedFromElsewhere] = []
    pins: list[PinsChanged] = []
    server.signals.synced.connect(synced.append)
    server.signals.pins_changed.connect(pins.append)
    a, _ = save_article(cli, sample_draft(external_id="x"), actor="cli", publish_now=True)
    assert server.refresh() == 1 and synced == [ArticlesSyncedFromElsewhere((a.id,))] and pins == []
    cli.pin(server.channels.by_slug("news").id, a.id, actor="cli")
    assert server.refresh() == 1 and pins == [PinsChanged()] and len(synced) == 1
    assert server.pins.get(server.channels.by_slug("news").id) == [a.id]
    assert server.refresh() == 0  # nothing new: no event


def test_own_writes_are_not_taken_in_again(portal):
    events = []
    portal.signals.synced.connect(events.append)
    save_article(portal, sample_draft(), actor="t", publish_now=True)
    assert portal.refresh() == 0 and events == []
