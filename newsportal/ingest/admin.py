"""Configuring ingest sources: what the CLI's ``newsportal source …`` and the newsroom's source screen call.

A source is always attached to a partner's media source (the ``sources`` row its stories are credited to),
referred to by its key; the media source is created as partner media when it does not exist yet. Input is
checked here, with Chinese messages, so a typo in a URL, a channel or a link pattern is reported when the
source is added rather than as a failing poll hours later.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable
from datetime import datetime
from urllib.parse import urlsplit

from newsportal.ingest.outcomes import SourceConfigError, token_hash
from newsportal.store.ingest_sources import IngestKind, IngestSource, IngestSources, SourceHealth
from newsportal.timeutil import utcnow

DEFAULT_CHANNEL = "domestic"
MIN_INTERVAL = 60  # partners are polled politely: at most once a minute
MAX_INTERVAL = 7 * 24 * 3600
TOKEN_PREFIX = "npi_"

SourceRef = int | str  # an ingest source id, or a partner key (all its ingest sources)


def _check_url(url: str | None, what: str) -> str:
    parts = urlsplit((url or "").strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourceConfigError("bad_url", f"{what}无效：{url!r}，需要以 http:// 或 https:// 开头的完整地址")
    return (url or "").strip()


class SourceAdmin:
    """Add, list, disable and inspect ingest sources; also the base of
    :class:`~newsportal.ingest.service.IngestService`, so one object serves the CLI and the scheduler."""

    repo: IngestSources
    clock: Callable[[], datetime]

    def __init__(self, repo: IngestSources, clock: Callable[[], datetime] = utcnow) -> None:
        self.repo = repo
        self.clock = clock

    def _prepare(self, key: str, channel: str, interval: int, name: str | None) -> int:
        key = (key or "").strip()
        if not key or len(key) > 64:
            raise SourceConfigError("unknown_source", "来源代号不能为空，且不超过 64 个字符")
        if not MIN_INTERVAL <= interval <= MAX_INTERVAL:
            raise SourceConfigError("bad_interval", f"抓取间隔须在 {MIN_INTERVAL} 秒到 7 天之间")
        if not self.repo.channel_usable(channel):
            raise SourceConfigError("bad_channel", f"频道 {channel!r} 不存在或不能直接发布")
        return self.repo.ensure_media_source(key, name).id

    def _add(self, key: str, kind: IngestKind, *, channel: str, interval: int, name: str | None,
             **fields: object) -> IngestSource:
        source_id = self._prepare(key, channel, interval, name)
        return self.repo.add(source_id, kind, channel_slug=channel, interval_seconds=interval,
                             now=self.clock(), **fields)  # type: ignore[arg-type]

    def add_feed(self, key: str, url: str, *, interval: int = 600, trusted: bool = False,
                 channel: str = DEFAULT_CHANNEL, full_text: bool = False,
                 name: str | None = None) -> IngestSource:
        """An RSS/Atom feed polled every ``interval`` seconds; ``full_text`` fetches each new item's page when
        the feed carries only summaries."""
        return self._add(key, "feed", channel=channel, interval=interval, name=name,
                         url=_check_url(url, "订阅源地址"), trusted=trusted, full_text=full_text)

    def add_pages(self, key: str, *, list_url: str | None = None, urls: Iterable[str] = (),
                  link_pattern: str | None = None, interval: int = 600, trusted: bool = False,
                  channel: str = DEFAULT_CHANNEL, name: str | None = None) -> IngestSource:
        """Partner article pages: given directly, and/or found on a list page (links matching
        ``link_pattern``, a regular expression, when given)."""
        pages = tuple(dict.fromkeys(_check_url(u, "文章页地址") for u in urls))
        if not list_url and not pages:
            raise SourceConfigError("no_pages", "请提供列表页地址（--list-url）或至少一个文章页地址（--url）")
        if link_pattern:
            try:
                re.compile(link_pattern)
            except re.error as exc:
                raise SourceConfigError("bad_pattern", f"链接规则不是合法的正则表达式：{exc}") from exc
        return self._add(key, "pages", channel=channel, interval=interval, name=name,
                         list_url=_check_url(list_url, "列表页地址") if list_url else None, urls=pages,
                         link_pattern=link_pattern or None, trusted=trusted)

    def add_push(self, key: str, *, trusted: bool = False, channel: str = DEFAULT_CHANNEL,
                 name: str | None = None) -> tuple[IngestSource, str]:
        """A ninjs push source; returns it and its token, which is shown this once and stored only hashed."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        source = self._add(key, "ninjs", channel=channel, interval=MAX_INTERVAL, name=name, trusted=trusted,
                           token_hash=token_hash(token))
        return source, token

    def rotate_token(self, ingest_source_id: int) -> str:
        """A new token for a push source (the old one stops working at once)."""
        source = self._one(ingest_source_id)
        if source.kind != "ninjs":
            raise SourceConfigError("unknown_source", "只有推送来源才有令牌")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.repo.set_token(source.id, token_hash(token))
        return token

    def revoke_token(self, ingest_source_id: int) -> None:
        self.repo.revoke_token(self._one(ingest_source_id).id)

    def list_sources(self) -> list[IngestSource]:
        return self.repo.all()

    def resolve(self, ref: SourceRef) -> list[IngestSource]:
        """The ingest sources a reference names: one by id, or all of a partner's by key."""
        if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
            return [self._one(int(ref))]
        found = self.repo.for_media_source(ref)
        if not found:
            raise SourceConfigError("unknown_source", f"没有代号为 {ref!r} 的抓取来源")
        return found

    def _one(self, ingest_source_id: int) -> IngestSource:
        source = self.repo.get(ingest_source_id)
        if source is None:
            raise SourceConfigError("unknown_source", f"没有编号为 {ingest_source_id} 的抓取来源")
        return source

    def disable(self, ref: SourceRef) -> list[IngestSource]:
        """Stop polling (and, for a push source, refuse its pushes); history and health are kept."""
        sources = self.resolve(ref)
        for source in sources:
            self.repo.set_enabled(source.id, False)
        return [self._one(s.id) for s in sources]

    def enable(self, ref: SourceRef) -> list[IngestSource]:
        """Poll again from now on, with the failure count (and so the backoff) reset."""
        sources = self.resolve(ref)
        for source in sources:
            self.repo.set_enabled(source.id, True, now=self.clock())
        return [self._one(s.id) for s in sources]

    def health(self, ref: SourceRef) -> list[SourceHealth]:
        return [s.health for s in self.resolve(ref)]
