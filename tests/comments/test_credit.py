from datetime import datetime, timedelta

import pytest

from newsportal.comments.credit import (
    CreditThresholds,
    Grade,
    ReaderRecord,
    SkipPolicy,
    grade_reader,
    may_skip_review,
    show_before_review,
)
from newsportal.comments.moderation import Mode
from newsportal.comments.prechecks import Routing

NOW = datetime(2026, 12, 2, 12, 0, 0)


def record(days_old, approved=0, rejected=0, upheld=0, bans=0, banned_now=False):
    return ReaderRecord(NOW - timedelta(days=days_old), approved, rejected, upheld, bans, banned_now)


@pytest.mark.parametrize(
    ("rec", "grade"),
    [
        (record(1), Grade.NEW),
        (record(3, approved=50), Grade.NEW),
        (record(60, approved=2), Grade.NEW),
        (record(10, approved=5, rejected=1), Grade.NORMAL),
        (record(40, approved=25, rejected=2), Grade.GOOD),
        (record(40, approved=25, rejected=5), Grade.NORMAL),
        (record(40, approved=25, rejected=0, bans=1), Grade.NORMAL),
        (record(200, approved=150, rejected=2), Grade.EXCELLENT),
        (record(200, approved=150, rejected=2, upheld=1), Grade.GOOD),
        (record(200, approved=150, rejected=10), Grade.GOOD),
        (record(200, approved=150, banned_now=True, bans=1), Grade.RESTRICTED),
        (record(200, approved=150, upheld=3), Grade.RESTRICTED),
        (record(20, approved=3, rejected=3), Grade.RESTRICTED),
        (record(2, approved=1, rejected=3), Grade.NEW),
    ],
)
def test_grades_follow_the_record(rec, grade):
    assert grade_reader(rec, NOW) is grade


def test_labels_are_chinese():
    assert [g.label_zh for g in Grade] == ["受限", "新用户", "普通", "良好", "优秀"]


def test_thresholds_are_configurable():
    strict = CreditThresholds(good_min_approved=50, excellent_min_approved=500)
    assert grade_reader(record(40, approved=25), NOW) is Grade.GOOD
    assert grade_reader(record(40, approved=25), NOW, strict) is Grade.NORMAL
    lenient = CreditThresholds(new_account_age=timedelta(0), new_min_approved=0)
    assert grade_reader(record(0), NOW, lenient) is Grade.NORMAL


def test_bad_thresholds_and_records_refused():
    with pytest.raises(ValueError):
        CreditThresholds(good_max_reject_ratio=1.5)
    with pytest.raises(ValueError):
        CreditThresholds(good_min_approved=10, excellent_min_approved=5)
    with pytest.raises(ValueError):
        record(1, approved=-1)


def test_skip_review_by_mode():
    assert may_skip_review(Grade.EXCELLENT, Mode.PRE_REVIEW)
    assert not may_skip_review(Grade.GOOD, Mode.PRE_REVIEW)
    assert may_skip_review(Grade.NORMAL, Mode.POST_REVIEW)
    assert not may_skip_review(Grade.NEW, Mode.POST_REVIEW)
    assert not may_skip_review(Grade.RESTRICTED, Mode.POST_REVIEW)
    policy = SkipPolicy(pre_review={Grade.GOOD, Grade.EXCELLENT})
    assert may_skip_review(Grade.GOOD, Mode.PRE_REVIEW, policy)
    with pytest.raises(ValueError):
        SkipPolicy(post_review={Grade.RESTRICTED})


def test_flagged_comments_are_held_whatever_the_grade():
    assert show_before_review(Grade.EXCELLENT, Mode.PRE_REVIEW, Routing.OK)
    assert not show_before_review(Grade.EXCELLENT, Mode.PRE_REVIEW, Routing.HOLD_FOR_REVIEW)
    assert not show_before_review(Grade.NORMAL, Mode.POST_REVIEW, Routing.HOLD_FOR_REVIEW)
    assert show_before_review(Grade.NORMAL, Mode.POST_REVIEW, Routing.OK)
