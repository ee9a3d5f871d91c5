"""Page parts: a page's own rendered part, with typed slots where the shared fragments go.

Every reader page shows the same 热点推荐 list and (on some pages) the same channel modules. Rendering those
into each page would tie every cached page to a one-second lifetime; instead a page is rendered once as its
own part (article body and related list, a channel's list: long-lived, purged by the publish flow) with
*slots* left open, and the shared fragments are rendered once per second for all pages. Serving a page is a
join of pre-encoded bytes.

Templates name a slot as ``{{ slot.hot }}``: ``slot`` is :data:`SLOTS`, whose attributes are the
:class:`Slot` members; a misspelt slot fails the render instead of silently printing nothing. The text a slot
leaves in the rendered template is a per-process random token, so no article text can forge one.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from enum import Enum


class Slot(Enum):
    """Where a shared fragment goes in a page."""

    HOT = "hot"  # the 热点推荐 list in the sidebar
    MODULES = "modules"  # the channel top-story modules, 态度原创 and the vertical channels


class UnknownSlot(Exception):
    """A template asked for a slot that does not exist."""


_NONCE = secrets.token_hex(8)


class _SlotMark:
    """What ``{{ slot.hot }}`` renders: a unique token, output as-is (autoescape trusts ``__html__``)."""

    __slots__ = ("slot", "token")

    def __init__(self, slot: Slot):
        self.slot = slot
        self.token = f"<!--slot:{slot.value}:{_NONCE}-->"

    def __html__(self) -> str:
        return self.token

    def __str__(self) -> str:
        return self.token


class _Slots:
    """The ``slot`` template global: ``slot.hot``, ``slot.modules``; anything else raises."""

    def __init__(self) -> None:
        self._marks = {s.value: _SlotMark(s) for s in Slot}

    def __getattr__(self, name: str) -> _SlotMark:
        try:
            return self.__dict__["_marks"][name]
        except KeyError:
            # Not AttributeError: Jinja would turn that into a silent Undefined.
            raise UnknownSlot(f"no page slot named {name!r}; slots are {[s.value for s in Slot]}") from None

    def __iter__(self):
        return iter(self._marks.values())


SLOTS = _Slots()
_BY_TOKEN = {mark.token: mark.slot for mark in SLOTS}
_SPLIT = re.compile("(" + "|".join(re.escape(t) for t in _BY_TOKEN) + ")")


@dataclass(frozen=True, slots=True)
class SharedFragments:
    """The fragments every page of one mode (standard or care) shares, rendered once per cache period."""

    hot: bytes
    modules: bytes

    def fill(self, slot: Slot) -> bytes:
        return self.hot if slot is Slot.HOT else self.modules


@dataclass(frozen=True, slots=True)
class PageParts:
    """A page's own part: its status and its pieces, each pre-encoded bytes or an open :class:`Slot`."""

    status: int
    pieces: tuple[bytes | Slot, ...]

    @classmethod
    def from_render(cls, text: str, status: int = 200) -> PageParts:
        """Split a rendered template at its slot tokens."""
        pieces: list[bytes | Slot] = []
        for i, piece in enumerate(_SPLIT.split(text)):
            if i % 2:
                pieces.append(_BY_TOKEN[piece])
            elif piece:
                pieces.append(piece.encode("utf-8"))
        return cls(status, tuple(pieces))

    @property
    def slots(self) -> tuple[Slot, ...]:
        return tuple(p for p in self.pieces if isinstance(p, Slot))

    def join(self, shared: SharedFragments) -> bytes:
        """The whole page: own pieces with each slot filled from ``shared``."""
        return b"".join(shared.fill(p) if isinstance(p, Slot) else p for p in self.pieces)
