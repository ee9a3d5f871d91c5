from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from newsportal.comments.ranking import (
    BadPage,
    ReplyRejected,
    build_threads,
    hot_order,
    hot_score,
    latest_order,
    paginate,
    reply_target,
)

NOW = datetime(2026, 12, 2, 12, 0, 0)
H6 = timedelta(hours=6)


@dataclass(frozen=True)
class C:
    id: int
    likes: int
    posted_at: datetime
    root_id: int | None = None
    quoted_id: int | None = None


def hours_ago(h):
    return NOW - timedelta(hours=h)


def test_hot_score_halves_every_half_life():
    assert hot_score(100, NOW, NOW, H6) == 100
    assert hot_score(100, hours_ago(6), NOW, H6) == pytest.approx(50)
    assert hot_score(100, hours_ago(12), NOW, H6) == pytest.approx(25)
    assert hot_score(100, NOW + timedelta(hours=1), NOW, H6) == 100
    assert hot_score(-3, NOW, NOW, H6) == 0
    with pytest.raises(ValueError):
        hot_score(1, NOW, NOW, timedelta(0))


def test_hot_order_decays_old_likes():
    old_popular = C(1, 100, hours_ago(24))  # 100 / 16 = 6.25
    fresh = C(2, 10, hours_ago(1))  # about 8.9
    middle = C(3, 20, hours_ago(12))  # 5
    assert [c.id for c in hot_order([old_popular, fresh, middle], NOW)] == [2, 1, 3]
    # A longer half-life favours accumulated likes.
    week = timedelta(days=7)
    assert [c.id for c in hot_order([old_popular, fresh, middle], NOW, half_life=week)] == [1, 3, 2]


def test_hot_order_ties_break_by_time_then_id_and_skips_unliked():
    a = C(1, 5, hours_ago(2))
    b = C(2, 5, hours_ago(2))
    newer = C(3, 5, hours_ago(1))
    none = C(4, 0, hours_ago(0))
    same_score = hot_order([a, b, none], NOW)
    assert [c.id for c in same_score] == [2, 1]
    assert hot_order([a, newer], NOW)[0].id == 3
    assert [c.id for c in hot_order([a, b, none], NOW, min_likes=0, limit=2)] == [2, 1]
    # Equal scores (no likes at all) fall back to time: the newer comment first.
    zero_old, zero_new = C(5, 0, hours_ago(5)), C(6, 0, hours_ago(1))
    assert [c.id for c in hot_order([zero_old, zero_new], NOW, min_likes=0)] == [6, 5]


def test_hot_order_is_deterministic_for_equal_inputs():
    items = [C(i, 3, hours_ago(1)) for i in range(10)]
    assert [c.id for c in hot_order(items, NOW)] == list(range(9, -1, -1))
    assert [c.id for c in hot_order(reversed(items), NOW)] == list(range(9, -1, -1))


def test_latest_order_newest_first_with_stable_ties():
    items = [C(1, 0, hours_ago(3)), C(2, 9, hours_ago(1)), C(3, 0, hours_ago(1)), C(4, 0, hours_ago(2))]
    assert [c.id for c in latest_order(items)] == [3, 2, 4, 1]
    assert [c.id for c in latest_order(items, limit=1)] == [3]


def test_reply_to_top_level_has_no_quote():
    assert reply_target(9, 10, 9, None, False).root_id == 10
    assert reply_target(9, 10, 9, None, False).quoted_id is None


def test_reply_to_reply_attaches_to_top_and_quotes_parent():
    target = reply_target(9, parent_id=11, parent_article_id=9, parent_root_id=10, parent_removed=False)
    assert (target.root_id, target.quoted_id) == (10, 11)


def test_reply_refusals():
    with pytest.raises(ReplyRejected) as info:
        reply_target(9, 10, 8, None, False)
    assert info.value.code == "other_article" and "其他文章" in info.value.message_zh
    with pytest.raises(ReplyRejected) as info:
        reply_target(9, 10, 9, None, True)
    assert info.value.code == "parent_removed"


def test_build_threads_groups_replies_in_posting_order_with_quotes():
    top1 = C(1, 9, hours_ago(5))
    top2 = C(2, 1, hours_ago(4))
    r1 = C(3, 0, hours_ago(3), root_id=1)
    r2 = C(4, 0, hours_ago(2), root_id=1, quoted_id=3)
    r3 = C(5, 0, hours_ago(1), root_id=1, quoted_id=99)  # quoted comment no longer shown
    r4 = C(6, 0, hours_ago(1), root_id=2)
    threads = build_threads([top2, top1], [top1, top2, r4, r3, r2, r1])
    assert [t.top.id for t in threads] == [2, 1]
    assert [r.comment.id for r in threads[0].replies] == [6]
    replies = threads[1].replies
    assert [r.comment.id for r in replies] == [3, 4, 5]
    assert replies[0].quoted is None and not replies[0].quoted_missing
    assert replies[1].quoted is r1 and not replies[1].quoted_missing
    assert replies[2].quoted is None and replies[2].quoted_missing


def test_build_threads_ignores_replies_of_other_threads():
    top = C(1, 0, hours_ago(2))
    stray = C(2, 0, hours_ago(1), root_id=77)
    assert build_threads([top], [stray])[0].replies == ()


def test_paginate():
    items = list(range(45))
    p = paginate(items, 1, 20)
    assert p.items == tuple(range(20)) and p.pages == 3 and p.total == 45
    assert paginate(items, 3, 20).items == tuple(range(40, 45))
    assert paginate(items, 4, 20).items == ()
    assert paginate([], 1).pages == 1
    with pytest.raises(BadPage):
        paginate(items, 0)
    with pytest.raises(ValueError):
        paginate(items, 1, 0)
