"""Channels and sources: the small, slowly changing tables every page and every write refers to."""

from __future__ import annotations

from sqlalchemy import select

from newsportal.domain import Channel, ChannelKind, Source, SourceKind
from newsportal.store.base import NotFound, StoreBase
from newsportal.store.tables import ChannelRow, SourceRow


class TaxonomyStore(StoreBase):
    def upsert_channel(
        self,
        slug: str,
        name: str,
        kind: ChannelKind,
        parent_slug: str | None = None,
        module_title: str | None = None,
        position: int = 0,
    ) -> Channel:
        """Create or update a channel by slug (the demo loader and migrations re-run safely)."""
        with self.session() as s, s.begin():
            parent_id = None
            if parent_slug:
                parent_id = s.scalar(select(ChannelRow.id).where(ChannelRow.slug == parent_slug))
                if parent_id is None:
                    raise NotFound(f"unknown parent channel {parent_slug!r}")
            row = s.scalar(select(ChannelRow).where(ChannelRow.slug == slug))
            if row is None:
                row = ChannelRow(slug=slug)
                s.add(row)
            row.name, row.kind, row.parent_id = name, kind.value, parent_id
            row.module_title, row.position = module_title, position
            s.flush()
            return _channel(row)

    def channels(self) -> list[Channel]:
        with self.session() as s:
            rows = s.scalars(select(ChannelRow).order_by(ChannelRow.position, ChannelRow.id))
            return [_channel(r) for r in rows]

    def upsert_source(
        self, key: str, name: str, kind: SourceKind, trust: float = 0.7, about: str = ""
    ) -> Source:
        with self.session() as s, s.begin():
            row = s.scalar(select(SourceRow).where(SourceRow.key == key))
            if row is None:
                row = SourceRow(key=key)
                s.add(row)
            row.name, row.kind, row.trust, row.about = name, kind.value, float(trust), about
            s.flush()
            return _source(row)

    def sources(self) -> list[Source]:
        with self.session() as s:
            return [_source(r) for r in s.scalars(select(SourceRow).order_by(SourceRow.id))]

    def set_source_trust(self, key: str, trust: float) -> Source:
        """Write a source's trust. The range check and catalogue refresh live in newsroom.sources."""
        with self.session() as s, s.begin():
            row = s.scalar(select(SourceRow).where(SourceRow.key == key))
            if row is None:
                raise NotFound(f"source {key!r} not found")
            row.trust = float(trust)
            return _source(row)


def _channel(row: ChannelRow) -> Channel:
    return Channel(
        id=row.id,
        slug=row.slug,
        name=row.name,
        kind=ChannelKind(row.kind),
        parent_id=row.parent_id,
        module_title=row.module_title,
        position=row.position,
    )


def _source(row: SourceRow) -> Source:
    return Source(
        id=row.id, key=row.key, name=row.name, kind=SourceKind(row.kind), trust=row.trust, about=row.about
    )
