"""robots.txt: where the sitemaps are, and which pages are not worth a crawler's time.

Search result pages, the personal 为你推荐 pages and the JSON API are endless or per-reader, so crawling them
wastes the crawl budget the articles need; everything else is open. Sitemap lines must be absolute URLs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from newsportal.syndication.sitemaps import absolute_url

DEFAULT_DISALLOW: tuple[str, ...] = (
    "/search",
    "/care/search",
    "/foryou",
    "/care/foryou",
    "/api/",
)


def robots_txt(sitemaps: Iterable[str], disallow: Sequence[str] = DEFAULT_DISALLOW) -> str:
    """The robots.txt body: one group for every crawler, then one ``Sitemap:`` line per sitemap URL."""
    lines = ["User-agent: *"]
    for path in disallow:
        path = path.strip()
        if not path.startswith("/") or any(ch in path for ch in "\r\n#"):
            raise ValueError(f"robots.txt paths start with / and hold no line breaks or #: {path!r}")
        lines.append(f"Disallow: {path}")
    if not disallow:
        lines.append("Disallow:")  # an empty rule: everything may be crawled (a group needs one rule)
    lines.append("")
    lines += [f"Sitemap: {absolute_url(url)}" for url in sitemaps]
    return "\n".join(lines) + "\n"
