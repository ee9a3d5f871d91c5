"""Engagement events (views, shares) turned into counts and exponentially decayed hot scores."""

from newsportal.counters.base import WEIGHTS, Counters, Event
from newsportal.counters.embedded import EmbeddedCounters
from newsportal.counters.gate import EventGate, is_bot

__all__ = ["WEIGHTS", "Counters", "EmbeddedCounters", "Event", "EventGate", "is_bot", "open_counters"]


def open_counters(settings, store) -> Counters:
    """Redis counters when ``settings.redis_url`` is set (production), else the embedded ones."""
    if settings.redis_url:
        from newsportal.counters.redis import RedisCounters

        return RedisCounters(
            settings.redis_url,
            store,
            half_life_hours=settings.hot_half_life_hours,
            dedupe_seconds=settings.event_dedupe_seconds,
        )
    return EmbeddedCounters(store, settings.hot_half_life_hours, settings.event_dedupe_seconds)
