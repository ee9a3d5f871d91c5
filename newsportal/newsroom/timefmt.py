"""Times in newsroom forms and pages: entered and shown in Beijing time, always labelled, stored as UTC.

Editors think in Beijing time; the store keeps naive UTC (see :mod:`newsportal.timeutil`, which this builds
on). The classic mistake is a form that shows UTC without saying so, or reads a typed time as UTC: a
"14:00" schedule then fires at 22:00. So every displayed time carries the （北京时间） label, and every
``<input type="datetime-local">`` value is read and written in Asia/Shanghai.
"""

from __future__ import annotations

from datetime import datetime

from newsportal.timeutil import BEIJING, to_beijing, to_utc_naive

ZONE_LABEL = "北京时间"
UI_FORMAT = "%Y-%m-%d %H:%M"
_INPUT_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")


class InvalidDateTime(ValueError):
    """A form value that is not a date and time; ``message`` goes next to the field."""

    def __init__(self, value: str):
        message = f"无法识别的时间：{value[:40]!r}，请按 2026-12-02 14:05 的格式填写（北京时间）"
        super().__init__(message)
        self.value = value
        self.message = message


def parse_local(value: str) -> datetime:
    """A ``datetime-local`` form value, read as Beijing time, to naive UTC for the store.

    Accepts the browser's ``YYYY-MM-DDTHH:MM`` (with optional seconds) and the same with a space, which
    people type when the browser shows a plain text box.
    """
    text = value.strip()
    for fmt in _INPUT_FORMATS:
        try:
            local = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return to_utc_naive(local.replace(tzinfo=BEIJING))
    raise InvalidDateTime(value)


def to_input_value(value: datetime | None) -> str:
    """A stored naive-UTC time as the ``value`` of a ``datetime-local`` input, in Beijing time."""
    if value is None:
        return ""
    return to_beijing(value).strftime("%Y-%m-%dT%H:%M")


def format_ui(value: datetime | None, *, label: bool = True) -> str:
    """``2026-12-02 14:05（北京时间）``: minutes are enough in the newsroom, and the zone is always said."""
    if value is None:
        return ""
    text = to_beijing(value).strftime(UI_FORMAT)
    return f"{text}（{ZONE_LABEL}）" if label else text
