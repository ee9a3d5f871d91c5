"""Times are stored as naive UTC and shown in Beijing time.

Storing naive UTC keeps SQLite and PostgreSQL identical (SQLite has no time zone type); every value that
crosses into the store goes through :func:`to_utc_naive`, and every value shown goes through
:func:`format_beijing`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")
DISPLAY_FORMAT = "%Y-%m-%d %H:%M:%S"


def utcnow() -> datetime:
    """Current time as naive UTC, the form the store keeps."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def to_utc_naive(value: datetime) -> datetime:
    """Normalise an aware or naive-UTC datetime to naive UTC."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def to_epoch(value: datetime | None) -> float:
    """Epoch seconds of a naive-UTC (or aware) datetime; None is 0.0 (the beginning of time, for sorting)."""
    if value is None:
        return 0.0
    return to_utc_naive(value).replace(tzinfo=UTC).timestamp()


def to_beijing(value: datetime) -> datetime:
    return to_utc_naive(value).replace(tzinfo=UTC).astimezone(BEIJING)


def format_beijing(value: datetime | None) -> str:
    """``YYYY-MM-DD HH:MM:SS`` in Asia/Shanghai, the format the reference page uses."""
    if value is None:
        return ""
    return to_beijing(value).strftime(DISPLAY_FORMAT)


def iso_beijing(value: datetime | None) -> str:
    """ISO 8601 with the +08:00 offset, for JSON-LD, Open Graph and the API."""
    if value is None:
        return ""
    return to_beijing(value).isoformat()
