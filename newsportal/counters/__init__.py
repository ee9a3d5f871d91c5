"""Engagement events (views, shares) turned into counts and exponentially decayed hot scores."""

from newsportal.counters.decay import DecayedScores
from newsportal.counters.embedded import EmbeddedCounters
from newsportal.counters.gate import EventGate, is_bot

__all__ = ["DecayedScores", "EmbeddedCounters", "EventGate", "is_bot"]
