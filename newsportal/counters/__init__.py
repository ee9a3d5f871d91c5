"""Engagement events (views, shares) turned into counts and exponentially decayed hot scores."""

from newsportal.counters.base import WEIGHTS, Counters, Event, Outcome
from newsportal.counters.breadth import BreadthGuard, BreadthRule
from newsportal.counters.embedded import EmbeddedCounters
from newsportal.counters.gate import EventGate, is_bot

__all__ = ["WEIGHTS", "BreadthGuard", "BreadthRule", "Counters", "EmbeddedCounters", "Event", "EventGate",
           "Outcome", "breadth_rule", "is_bot", "open_counters"]


def breadth_rule(settings) -> BreadthRule:
    """The anti-gaming rule configured in ``settings`` (see :mod:`newsportal.counters.breadth`)."""
    return BreadthRule(settings.hot_min_origins, settings.hot_origin_cap, settings.hot_origin_window_seconds)


def open_counters(settings, store) -> Counters:
    """Redis counters when ``settings.redis_url`` is set (production), else the embedded ones."""
    if settings.redis_url:
        from newsportal.counters.redis import RedisCounters
        from newsportal.counters.resilient import ResilientCounters

        return ResilientCounters(RedisCounters(
            settings.redis_url,
            store,
            half_life_hours=settings.hot_half_life_hours,
            dedupe_seconds=settings.event_dedupe_seconds,
            breadth=breadth_rule(settings),
            prefix=str(settings.extra.get("redis_prefix", settings.redis_prefix)),
        ))
    return EmbeddedCounters(store, settings.hot_half_life_hours, settings.event_dedupe_seconds,
                            breadth=breadth_rule(settings))
