import math

from hypothesis import given
from hypothesis import strategies as st

from newsportal.counters import DecayedScores

HOUR = 3600.0


def test_a_score_halves_every_half_life():
    s = DecayedScores(6 * HOUR, t0=0)
    s.add(1, 10.0, at=0)
    assert math.isclose(s.value(1, now=6 * HOUR), 5.0)
    assert math.isclose(s.value(1, now=12 * HOUR), 2.5)


def test_fresh_engagement_beats_more_but_older_engagement():
    s = DecayedScores(6 * HOUR, t0=0)
    s.add(1, 100.0, at=0)  # yesterday's big story
    s.add(2, 20.0, at=24 * HOUR)  # today's
    assert [k for k, _ in s.top(2, now=24 * HOUR)] == [2, 1]


def test_rebase_keeps_values_and_order():
    s = DecayedScores(1.0, t0=0)
    s.add(1, 1.0, at=10)
    s.add(2, 3.0, at=10)
    s.add(3, 1.0, at=1000)  # far past the rebase exponent
    assert s.t0 > 0
    assert math.isclose(s.value(3, now=1000), 1.0)
    assert [k for k, _ in s.top(3, now=1000)] == [3, 2, 1]


@given(st.lists(st.tuples(st.integers(1, 5), st.floats(0.1, 10), st.floats(0, 1e6)), min_size=1, max_size=50))
def test_top_matches_brute_force(events):
    s = DecayedScores(HOUR * 3, t0=0)
    for key, w, at in events:
        s.add(key, w, at)
    now = 1e6
    brute = {}
    for key, w, at in events:
        brute[key] = brute.get(key, 0) + w * 2 ** (-(now - at) / (HOUR * 3))
    got = dict(s.top(10, now))
    for key, value in brute.items():
        assert math.isclose(got[key], value, rel_tol=1e-9, abs_tol=1e-300)


def test_filter_and_drop():
    s = DecayedScores(HOUR, t0=0)
    for k in range(10):
        s.add(k, 1.0, at=0)
    s.add(4, 1.0, at=0)
    s.add(6, 0.5, at=0)
    assert [k for k, _ in s.top(3, now=0, keep=lambda k: k % 2 == 0)] == [4, 6, 0]
    assert s.drop_below(now=100 * HOUR, threshold=0.01) == 10 and len(s) == 0
