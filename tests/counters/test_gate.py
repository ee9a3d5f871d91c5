import pytest

from newsportal.counters import EventGate, is_bot


@pytest.mark.parametrize(
    "ua",
    ["Googlebot/2.1 (+http://www.google.com/bot.html)", "Baiduspider", "curl/8.5.0", "python-requests/2.32",
     "Mozilla/5.0 (compatible; bingbot/2.0)", "", None, "wrk", "Mozilla/5.0 HeadlessChrome/120.0"],
)
def test_bots_and_scripts_are_recognised(ua):
    assert is_bot(ua)


@pytest.mark.parametrize(
    "ua",
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 "
     "MicroMessenger/8.0",
     "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"],
)
def test_browsers_are_readers(ua):
    assert not is_bot(ua)


def test_one_event_per_reader_article_and_kind_per_window():
    g = EventGate(window_seconds=1800)
    assert g.admit("r1", 1, "view", now=0)
    assert not g.admit("r1", 1, "view", now=1799)
    assert g.admit("r1", 1, "share", now=10)  # a share is a different event
    assert g.admit("r2", 1, "view", now=10)  # another reader
    assert g.admit("r1", 2, "view", now=10)  # another article
    assert g.admit("r1", 1, "view", now=1800 + 1)  # the window has passed


def test_memory_stays_bounded_under_a_flood():
    g = EventGate(window_seconds=1800, max_entries=1000)
    for i in range(5000):
        g.admit(f"r{i}", 1, "view", now=float(i) / 100)
    assert len(g._seen) <= 1000
