"""The channel tree (首页 > 新闻中心 > 国内 …) held in memory: it is small and read on every page."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from newsportal.domain.model import Channel, ChannelKind


class ChannelTree:
    """Held by every component that needs channels; :meth:`reset` refreshes it in place."""

    def __init__(self, channels: Iterable[Channel] = ()):
        self.reset(channels)

    def reset(self, channels: Iterable[Channel]) -> None:
        """Replace the tree's contents (after channels changed in the store)."""
        self._by_id = {c.id: c for c in channels}
        self._by_slug = {c.slug: c for c in self._by_id.values()}
        self._children: dict[int | None, list[Channel]] = {}
        for c in sorted(self._by_id.values(), key=lambda c: (c.position, c.id)):
            self._children.setdefault(c.parent_id, []).append(c)

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Channel]:
        return iter(sorted(self._by_id.values(), key=lambda c: (c.position, c.id)))

    def get(self, channel_id: int) -> Channel | None:
        return self._by_id.get(channel_id)

    def by_slug(self, slug: str) -> Channel | None:
        return self._by_slug.get(slug)

    def children(self, channel: Channel | None) -> list[Channel]:
        return list(self._children.get(channel.id if channel else None, []))

    def root(self) -> Channel | None:
        roots = self._children.get(None, [])
        return roots[0] if roots else None

    def ancestors(self, channel: Channel) -> list[Channel]:
        """Root first, ending with ``channel`` itself: the breadcrumb trail."""
        trail: list[Channel] = []
        node: Channel | None = channel
        guard = 0
        while node is not None and guard < 32:
            trail.append(node)
            node = self._by_id.get(node.parent_id) if node.parent_id is not None else None
            guard += 1
        return list(reversed(trail))

    def subtree_ids(self, channel: Channel) -> list[int]:
        """The channel and every channel below it: a top channel's lists include its sections."""
        out: list[int] = []
        stack = [channel]
        while stack:
            node = stack.pop()
            out.append(node.id)
            stack.extend(self._children.get(node.id, []))
        return out

    def top_of(self, channel: Channel) -> Channel:
        """The first-level channel a channel belongs to (国内 → 新闻中心)."""
        trail = self.ancestors(channel)
        return trail[1] if len(trail) > 1 else trail[0]

    def is_section(self, channel: Channel | None) -> bool:
        """Whether articles can be filed, pinned and listed under this channel: any known one but the root.

        The one definition of the rule; the newsroom, the CLI, pages and the API all ask here.
        """
        return channel is not None and channel.parent_id is not None and channel.id in self._by_id

    def section_by_slug(self, slug: str) -> Channel | None:
        """The section channel with this slug, or None (unknown, or the root)."""
        channel = self._by_slug.get(slug)
        return channel if self.is_section(channel) else None

    def scopes(self, channel_id: int) -> tuple[int, ...]:
        """The hot-list scopes of a channel: itself and every channel above it except the root."""
        channel = self._by_id.get(channel_id)
        if channel is None:
            return ()
        return tuple(c.id for c in self.ancestors(channel) if self.is_section(c))

    def top_id(self, channel_id: int) -> int | None:
        """Id of the first-level channel above ``channel_id`` (None for an unknown channel)."""
        channel = self._by_id.get(channel_id)
        return self.top_of(channel).id if channel else None

    def of_kind(self, kind: ChannelKind) -> list[Channel]:
        return [c for c in self if c.kind is kind]

    def navigation(self) -> list[Channel]:
        """First-level channels, in order, for the site header."""
        root = self.root()
        return self.children(root) if root else []
