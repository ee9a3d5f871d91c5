"""Page parts: a page's own rendered part, with typed slots where the shared fragments go.

Every reader page shows the same 热点推荐 list and (on some pages) the same channel modules. Rendering those
into each page would tie every cached page to a one-second lifetime; instead a page is rendered once as its
own part (article body and related list, a channel's list: long-lived, purged by the publish flow) with
*slots* left open, and the shared fragments are rendered once per second for all pages. Serving a page is a
join of pre-encoded bytes.

No story twice on one page: a list item that shows a story is wrapped as ``{{ item(key, group, cap) }}…{{
end_item }}`` (``key`` the story id). :meth:`PageParts.join` walks the page in document order with the set
of stories already shown and drops an item whose story an earlier module showed, keeping at most ``cap``
items per ``group`` (lists render a few spare items so they stay full). The filtering happens at join time,
so it is exact for every combination of a long-lived page part and the once-a-second shared fragments, and
it costs a set lookup per item. An editor's pin wins: a pinned item (``{{ item(key, group, cap, pinned=true)
}}``) claims its story for its module, and every other list on the page skips that story.

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


@dataclass(frozen=True, slots=True)
class Item:
    """A list item showing story ``key``; dropped at join time when the story is already on the page."""

    key: int
    group: str
    cap: int
    data: bytes
    claim: bool = False


Piece = bytes | Slot | Item


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
_ITEM = re.compile(rf"<!--item:(\d+):([a-z0-9-]+):(\d+):([01]):{_NONCE}-->(.*?)<!--/item:{_NONCE}-->", re.S)
_GROUP = re.compile(r"[a-z0-9-]+")


class _Raw(str):
    """Template output that autoescape leaves alone."""

    def __html__(self) -> str:
        return str(self)


def item(key: int, group: str, cap: int, pinned: bool = False) -> _Raw:
    """Template global: open an item showing story ``key`` in list ``group`` (at most ``cap`` kept);
    ``pinned`` claims the story for this list (an editor's pin)."""
    if not _GROUP.fullmatch(group):
        raise ValueError(f"item group must be [a-z0-9-]+, got {group!r}")
    return _Raw(f"<!--item:{int(key)}:{group}:{int(cap)}:{int(bool(pinned))}:{_NONCE}-->")


END_ITEM = _Raw(f"<!--/item:{_NONCE}-->")


def _pieces(text: str) -> list[bytes | Item]:
    """Split rendered text into plain bytes and :class:`Item` pieces."""
    out: list[bytes | Item] = []
    pos = 0
    for m in _ITEM.finditer(text):
        if m.start() > pos:
            out.append(text[pos:m.start()].encode("utf-8"))
        out.append(Item(int(m.group(1)), m.group(2), int(m.group(3)), m.group(5).encode("utf-8"),
                        m.group(4) == "1"))
        pos = m.end()
    if pos < len(text):
        out.append(text[pos:].encode("utf-8"))
    return out


Fragment = bytes | tuple[bytes | Item, ...]


def fragment(text: str) -> Fragment:
    """A shared fragment from rendered text: plain bytes, or pieces when it holds items."""
    pieces = _pieces(text)
    if all(isinstance(p, bytes) for p in pieces):
        return text.encode("utf-8")
    return tuple(pieces)


@dataclass(frozen=True, slots=True)
class SharedFragments:
    """The fragments every page of one mode (standard or care) shares, rendered once per cache period."""

    hot: Fragment
    modules: Fragment

    def fill(self, slot: Slot) -> Fragment:
        return self.hot if slot is Slot.HOT else self.modules


@dataclass(frozen=True, slots=True)
class PageParts:
    """A page's own part: its status and its pieces, each pre-encoded bytes or an open :class:`Slot`."""

    status: int
    pieces: tuple[Piece, ...]

    @classmethod
    def from_render(cls, text: str, status: int = 200) -> PageParts:
        """Split a rendered template at its slot tokens and its items."""
        pieces: list[Piece] = []
        for i, piece in enumerate(_SPLIT.split(text)):
            if i % 2:
                pieces.append(_BY_TOKEN[piece])
            elif piece:
                pieces.extend(_pieces(piece))
        return cls(status, tuple(pieces))

    @property
    def slots(self) -> tuple[Slot, ...]:
        return tuple(p for p in self.pieces if isinstance(p, Slot))

    def join(self, shared: SharedFragments) -> bytes:
        """The whole page: own pieces with each slot filled from ``shared``, each story shown once."""
        flat: list[bytes | Item] = []
        for p in self.pieces:
            if isinstance(p, Slot):
                filled = shared.fill(p)
                if isinstance(filled, bytes):
                    flat.append(filled)
                else:
                    flat.extend(filled)
            else:
                flat.append(p)
        claimed = {p.key: p.group for p in flat if isinstance(p, Item) and p.claim}
        out: list[bytes] = []
        seen: set[int] = set()
        kept: dict[str, int] = {}
        for piece in flat:
            if isinstance(piece, bytes):
                out.append(piece)
                continue
            owner = claimed.get(piece.key)
            if piece.key in seen or kept.get(piece.group, 0) >= piece.cap or owner not in (None, piece.group):
                continue
            seen.add(piece.key)
            kept[piece.group] = kept.get(piece.group, 0) + 1
            out.append(piece.data)
        return b"".join(out)
