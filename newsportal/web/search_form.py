"""The search form's parameters, read the same way by the search page and the search API.

Nothing a reader types may cause a 500: the query goes through :func:`~newsportal.search.query.parse_query`
(no syntax, overlong input cut with a notice), and a filter that cannot be understood (an unknown channel or
source, a malformed or reversed date range, an unknown sort) is dropped with a Chinese notice instead of
failing the search.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from newsportal.portal import Portal
from newsportal.search.query import MAX_QUERY_CHARS, EmptyQuery, ParsedQuery, parse_query
from newsportal.search.ranking import SORTS, SearchFilters
from newsportal.timeutil import BEIJING, to_utc_naive

#: Longer ``q`` values are refused outright (a URL this long is not a search box's).
MAX_RAW_QUERY = 2000
SORT_LABELS = {"relevance": "按相关度", "time": "按时间"}


@dataclass(frozen=True)
class SearchForm:
    """What the reader asked for, normalised; ``notices`` say what was cut or ignored, ``error`` why
    nothing can be searched."""

    q: str
    channel: str = ""
    source: str = ""
    date_from: str = ""
    date_to: str = ""
    sort: str = "relevance"
    query: ParsedQuery | None = None
    filters: SearchFilters = field(default_factory=SearchFilters)
    notices: tuple[str, ...] = ()
    error: str | None = None

    @property
    def key(self) -> tuple[object, ...]:
        """What picks the cached page: the normalised query and the filters in force."""
        q = self.query
        words = (q.terms, q.phrases, q.truncated) if q else (self.q[:MAX_QUERY_CHARS],)
        return (words, self.filters, self.sort, self.notices)

    def params(self, **over: str) -> dict[str, str]:
        """Query-string parameters reproducing this search (for pager and sort links)."""
        values = {"q": self.q[:MAX_QUERY_CHARS], "channel": self.channel, "source": self.source,
                  "from": self.date_from, "to": self.date_to, "sort": self.sort if self.sort != "relevance"
                  else ""}
        values.update(over)
        return {k: v for k, v in values.items() if v}


def _day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def read_form(portal: Portal, params: Mapping[str, str]) -> SearchForm:
    """Parse the search parameters against the portal's channels and sources."""
    raw = (params.get("q") or "")[:MAX_RAW_QUERY]
    notices: list[str] = []
    error = None
    query = None
    try:
        query = parse_query(raw)
        if query.truncated:
            notices.append(f"搜索词过长，只按前 {MAX_QUERY_CHARS} 个字符中的词搜索。")
    except EmptyQuery as exc:
        error = exc.message if raw.strip() else "请输入要搜索的字词。"

    channel_ids = source_id = None
    channel = (params.get("channel") or "").strip()
    if channel:
        ch = portal.channels.section_by_slug(channel)
        if ch is None:
            notices.append("没有这个频道，已在全部频道中搜索。")
            channel = ""
        else:
            channel_ids = tuple(portal.channels.subtree_ids(ch))
    source = (params.get("source") or "").strip()
    if source:
        src = portal.sources_by_key.get(source)
        if src is None:
            notices.append("没有这个来源，已在全部来源中搜索。")
            source = ""
        else:
            source_id = src.id

    date_from, date_to = (params.get("from") or "").strip(), (params.get("to") or "").strip()
    day_from, day_to = _day(date_from), _day(date_to)
    if (date_from and day_from is None) or (date_to and day_to is None):
        notices.append("日期格式应为 年-月-日（如 2026-12-01），已忽略日期条件。")
        day_from = day_to = None
    elif day_from and day_to and day_from > day_to:
        notices.append("开始日期晚于结束日期，已忽略日期条件。")
        day_from = day_to = None
    if day_from is None and day_to is None:
        date_from = date_to = ""
    # dates are Beijing calendar days; the index keeps UTC
    since = to_utc_naive(datetime.combine(day_from, time(), BEIJING)) if day_from else None
    until = to_utc_naive(datetime.combine(day_to + timedelta(days=1), time(), BEIJING)
                         - timedelta(seconds=1)) if day_to else None

    sort = (params.get("sort") or "relevance").strip()
    if sort not in SORTS:
        notices.append("排序方式无效，已按相关度排序。")
        sort = "relevance"
    return SearchForm(q=raw.strip(), channel=channel, source=source, date_from=date_from if day_from else "",
                      date_to=date_to if day_to else "", sort=sort, query=query,
                      filters=SearchFilters(channel_ids, source_id, since, until), notices=tuple(notices),
                      error=error)
