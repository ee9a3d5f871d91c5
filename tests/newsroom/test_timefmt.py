"""Beijing-time form values in, labelled Beijing time out, naive UTC in between."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsportal.newsroom.timefmt import InvalidDateTime, format_ui, parse_local, to_input_value


@pytest.mark.parametrize(
    ("value", "utc"),
    [
        ("2026-12-02T14:05", datetime(2026, 12, 2, 6, 5)),
        ("2026-12-02T14:05:30", datetime(2026, 12, 2, 6, 5, 30)),
        (" 2026-12-02 14:05 ", datetime(2026, 12, 2, 6, 5)),
        ("2026-12-03T03:00", datetime(2026, 12, 2, 19, 0)),  # crosses the date line back to the previous day
        ("2027-01-01T00:00", datetime(2026, 12, 31, 16, 0)),
    ],
)
def test_parse_local_reads_beijing_time(value: str, utc: datetime) -> None:
    parsed = parse_local(value)
    assert parsed == utc and parsed.tzinfo is None


@pytest.mark.parametrize(
    "value", ["", "明天下午", "2026-13-01T10:00", "2026-12-02T25:00", "2026/12/02 14:05", "x" * 100]
)
def test_parse_local_rejects_garbage_with_chinese_message(value: str) -> None:
    with pytest.raises(InvalidDateTime) as err:
        parse_local(value)
    assert "无法识别的时间" in err.value.message and "北京时间" in err.value.message
    assert len(err.value.message) < 120


def test_format_ui_is_labelled_beijing_time() -> None:
    assert format_ui(datetime(2026, 12, 2, 6, 5)) == "2026-12-02 14:05（北京时间）"
    assert format_ui(datetime(2026, 12, 2, 6, 5), label=False) == "2026-12-02 14:05"
    assert format_ui(datetime(2026, 12, 2, 16, 30)) == "2026-12-03 00:30（北京时间）"
    aware = datetime(2026, 12, 2, 6, 5, tzinfo=UTC).astimezone(timezone(timedelta(hours=-5)))
    assert format_ui(aware) == "2026-12-02 14:05（北京时间）"
    assert format_ui(None) == ""


def test_input_value_round_trip() -> None:
    stored = datetime(2026, 12, 2, 6, 5)
    assert to_input_value(stored) == "2026-12-02T14:05"
    assert parse_local(to_input_value(stored)) == stored
    assert to_input_value(None) == ""
