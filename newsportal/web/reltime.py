"""List times as the reference portal shows them: "3小时前", with the absolute Beijing time beside it.

Relative text is computed when a part is rendered, and parts live at most ``fragment_cache_seconds`` (60 s by
default; the shared fragments 1 s), so the text is at minute granularity: a cached "5分钟前" is never more
than a minute off. A page kept open, or served from a longer-lived cache in front, is corrected by
``site.js``, which rewrites every ``<time data-rel>`` from its ``datetime`` attribute; without JavaScript
the server's text stays, and the absolute time is in the ``title`` tooltip and the ``datetime`` attribute.
"""

from __future__ import annotations

from datetime import datetime

from newsportal.timeutil import format_beijing, to_beijing, utcnow

#: older than this, a list shows the date and time instead of "N小时前"
RELATIVE_HOURS = 24


def relative_time(value: datetime | None, now: datetime | None = None) -> str:
    """``刚刚`` / ``N分钟前`` / ``N小时前`` within a day, else ``MM-DD HH:MM`` (Beijing), or ``YYYY-MM-DD`` in
    another year. ``value`` and ``now`` are naive UTC, as the store keeps them."""
    if value is None:
        return ""
    now = now or utcnow()
    seconds = (now - value).total_seconds()
    if seconds < 0:  # a clock ahead of ours: say nothing wrong
        return to_beijing(value).strftime("%m-%d %H:%M")
    if seconds < 60:
        return "刚刚"
    if seconds < 3600:
        return f"{int(seconds // 60)}分钟前"
    if seconds < RELATIVE_HOURS * 3600:
        return f"{int(seconds // 3600)}小时前"
    local, today = to_beijing(value), to_beijing(now)
    return local.strftime("%m-%d %H:%M") if local.year == today.year else local.strftime("%Y-%m-%d")


def absolute_time(value: datetime | None) -> str:
    """The full Beijing date and time (for the article and for tooltips)."""
    return format_beijing(value)
