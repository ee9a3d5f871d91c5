from datetime import UTC, datetime

from newsportal.timeutil import format_beijing, iso_beijing, to_utc_naive


def test_utc_is_shown_in_beijing_time():
    assert format_beijing(datetime(2026, 11, 25, 16, 30, 5)) == "2026-11-26 00:30:05"
    assert iso_beijing(datetime(2026, 1, 1, 0, 0, 0)) == "2026-01-01T08:00:00+08:00"
    assert format_beijing(None) == ""


def test_aware_values_are_normalised_to_naive_utc():
    from zoneinfo import ZoneInfo

    aware = datetime(2026, 11, 26, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert to_utc_naive(aware) == datetime(2026, 11, 26, 0, 0)
    assert to_utc_naive(datetime(2026, 1, 1, tzinfo=UTC)).tzinfo is None
