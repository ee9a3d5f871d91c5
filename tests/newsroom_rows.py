"""Rows the newsroom tables point at (channels, sources, articles), inserted directly for store tests."""

from __future__ import annotations

import itertools
from datetime import datetime

from sqlalchemy import Engine, insert, select

from newsportal.store.tables import ArticleRow, ChannelRow, SourceRow

T0 = datetime(2026, 12, 2, 6, 0)  # 14:00 Beijing time
_counter = itertools.count(1)


def add_source(
    engine: Engine, key: str | None = None, *, name: str = "山城观察", kind: str = "self_media"
) -> int:
    key = key or f"src-{next(_counter)}"
    with engine.begin() as conn:
        return conn.execute(
            insert(SourceRow)
            .values(key=key, name=name, kind=kind, trust=0.5, about="")
            .returning(SourceRow.id)
        ).scalar_one()


def _channel(engine: Engine) -> int:
    with engine.begin() as conn:
        found = conn.execute(select(ChannelRow.id).where(ChannelRow.slug == "nr-test")).scalar()
        if found is not None:
            return found
        return conn.execute(
            insert(ChannelRow)
            .values(slug="nr-test", name="测试频道", kind="news", position=0)
            .returning(ChannelRow.id)
        ).scalar_one()


def add_articles(engine: Engine, n: int = 1) -> list[int]:
    """``n`` draft articles with a channel and a source of their own; returns their ids."""
    channel = _channel(engine)
    source = add_source(engine, kind="media", name="海河日报")
    ids = []
    with engine.begin() as conn:
        for _ in range(n):
            i = next(_counter)
            ids.append(
                conn.execute(
                    insert(ArticleRow)
                    .values(
                        slug=f"nr{i:08d}",
                        title=f"测试稿件第{i}号",
                        summary="",
                        body_html="<p>正文。</p>",
                        byline="",
                        channel_id=channel,
                        source_id=source,
                        original=False,
                        status="draft",
                        revision=1,
                        created_at=T0,
                        updated_at=T0,
                    )
                    .returning(ArticleRow.id)
                ).scalar_one()
            )
    return ids
