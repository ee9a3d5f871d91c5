"""Pins held in memory (recommend/pins.py): changes fire PinsChanged; expiry follows the injected clock."""

from datetime import datetime, timedelta

from newsportal.newsroom import save_article
from newsportal.newsroom.signals import PinsChanged
from newsportal.recommend.pins import Pins
from tests.conftest import sample_draft


def test_pin_and_unpin_fire_pins_changed_and_pins_expire(portal):
    a, _ = save_article(portal, sample_draft(), actor="t", publish_now=True)
    news = portal.channels.by_slug("news").id
    now = [datetime(2026, 11, 25, 8, 0)]
    pins = Pins(portal.store, portal.signals, clock=lambda: now[0])
    fired: list[PinsChanged] = []
    portal.signals.pins_changed.connect(fired.append)
    pins.pin(news, a.id, actor="ed", hours=2)
    assert pins.get(news) == [a.id] and fired == [PinsChanged(news)] and pins == {news: [a.id]}
    now[0] += timedelta(hours=3)
    assert pins.reload() and pins.get(news) == [] and not pins.reload()
    pins.pin(news, a.id, actor="ed")
    assert pins.unpin(news, a.id) and not pins.unpin(news, a.id) and len(fired) == 4
