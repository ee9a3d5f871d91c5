"""A tiny synchronous signal: typed events fanned out to subscribers in higher layers.

It sits at the ground layer so any workflow (the publish flow in ``newsroom/``, 跟贴 in ``comments/``) can
announce what it changed without importing the caches that listen (the web layer's page cache, the front
cache refresher), and without one workflow importing another just for this class.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

E = TypeVar("E")


class Signal(Generic[E]):
    """Synchronous fan-out of one event type to its receivers, in the order they connected.

    A receiver that raises is logged and skipped: a failing cache purge must never undo or block a write
    that the store has already committed.
    """

    def __init__(self, name: str):
        self.name = name
        self._receivers: list[Callable[[E], None]] = []

    def connect(self, receiver: Callable[[E], None]) -> Callable[[E], None]:
        """Subscribe ``receiver``; returns it, so this works as a decorator."""
        if receiver not in self._receivers:
            self._receivers.append(receiver)
        return receiver

    def disconnect(self, receiver: Callable[[E], None]) -> None:
        if receiver in self._receivers:
            self._receivers.remove(receiver)

    def send(self, event: E) -> None:
        for receiver in list(self._receivers):
            try:
                receiver(event)
            except Exception:  # noqa: BLE001 - see class docstring
                log.exception("receiver %r of signal %s failed", receiver, self.name)

    def __len__(self) -> int:
        return len(self._receivers)
