"""Building blocks of the ingest-service tests: an injected clock, Atom feeds written on the fly, and a
service wired to the real publish flow of a real portal (no fakes: articles land in the store)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape

from newsportal.ingest.fetch import Fetcher, FetchLimits
from newsportal.ingest.service import IngestService
from newsportal.ingest.writer import PortalArticleWriter
from newsportal.portal import Portal
from newsportal.store.ingest_sources import IngestSources

LIMITS = FetchLimits(connect_timeout=1.0, read_timeout=1.0, total_timeout=2.0, max_bytes=256 * 1024)
T0 = datetime(2026, 11, 28, 6, 0, 0)  # naive UTC, like the store


class Clock:
    """A clock that moves only when the test says so."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@dataclass
class Entry:
    guid: str
    title: str
    paragraphs: tuple[str, ...]
    url: str | None = None
    published: datetime | None = None
    updated: datetime | None = None


def _stamp(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def atom(entries: list[Entry], title: str = "江州晨报滚动新闻") -> bytes:
    """An Atom feed of ``entries`` (times are naive UTC)."""
    parts = [f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
             f"<title>{escape(title)}</title><id>tag:partner.test,2026:feed</id>"
             f"<updated>{_stamp(T0)}</updated>"]
    for e in entries:
        body = "".join(f"<p>{escape(p)}</p>" for p in e.paragraphs)
        parts.append("<entry>")
        parts.append(f"<title>{escape(e.title)}</title><id>{escape(e.guid)}</id>")
        if e.url:
            parts.append(f'<link href="{escape(e.url)}"/>')
        if e.published:
            parts.append(f"<published>{_stamp(e.published)}</published>")
        if e.updated:
            parts.append(f"<updated>{_stamp(e.updated)}</updated>")
        parts.append(f'<content type="html">{escape(body)}</content></entry>')
    parts.append("</feed>")
    return "".join(parts).encode("utf-8")


ATOM = {"Content-Type": "application/atom+xml; charset=utf-8"}


def build_service(portal: Portal, fetcher: Fetcher, clock: Clock, seed: int = 7, *,
                  batch: bool = True) -> IngestService:
    """The service as the server wires it (``batch``: a poll's items go through the batch publish path;
    False: one by one, the path single pushes take)."""
    writer = PortalArticleWriter(portal)
    return IngestService(IngestSources(portal.store.engine), fetcher, writer.save,
                         withdraw_article=writer.withdraw, clock=clock, rng=random.Random(seed),
                         save_batch=writer.save_many if batch else None)


def library_entry(**over: object) -> Entry:
    base: dict[str, object] = dict(
        guid="jz-lib-0001", title="江州市图书馆周末延长开放至晚九点",
        paragraphs=("从下周六起，江州市图书馆周末闭馆时间由晚六点推迟到晚九点。",
                    "馆方表示，延长时段内自习区和少儿阅览区照常开放，借还书服务不受影响。"),
        url="http://partner.test/jz/2026/11/28/library.html",
        published=T0 - timedelta(hours=2), updated=T0 - timedelta(hours=2))
    base.update(over)
    return Entry(**base)  # type: ignore[arg-type]


def bus_entry(**over: object) -> Entry:
    base: dict[str, object] = dict(
        guid="jz-bus-0002", title="江北街道新开一条社区微循环公交",
        paragraphs=("新线路全程四公里，串起江北街道的三个小区、一所中学和农贸市场。",
                    "首班车早六点半发出，高峰时段每十二分钟一班。"),
        url="http://partner.test/jz/2026/11/28/bus.html",
        published=T0 - timedelta(hours=1), updated=T0 - timedelta(hours=1))
    base.update(over)
    return Entry(**base)  # type: ignore[arg-type]
