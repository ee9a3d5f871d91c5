"""The search page (``/search?q=…&channel=…&source=…&from=…&to=…&sort=…&page=…``).

Results come from :class:`~newsportal.search.reader.ReaderSearch` (BM25 blended with recency, one per story,
marked titles and snippets); the form's parameters are read by :func:`~newsportal.web.search_form.read_form`,
shared with the API, so a bad query or filter becomes a Chinese notice on the page, never an error. When
nothing matches, the page says so and offers the hot list instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from newsportal.domain import ArticleCard, Channel, Source
from newsportal.portal import Portal
from newsportal.search.reader import SearchResults
from newsportal.web import views
from newsportal.web.context import PageKey, web_context
from newsportal.web.pages.common import is_care, not_found, not_found_parts, page_number, render, serve
from newsportal.web.parts import PageParts
from newsportal.web.search_form import SORT_LABELS, SearchForm, read_form

PER_PAGE = views.SEARCH_PAGE_SIZE
SUGGESTIONS = 10


@dataclass(frozen=True)
class SearchView:
    form: SearchForm
    results: SearchResults | None
    suggestions: list[ArticleCard]
    channels: list[Channel]
    sources: list[Source]
    base_path: str
    sort_links: list[tuple[str, str, bool]]
    prefix: str


def search_view(portal: Portal, form: SearchForm, page: int, prefix: str) -> SearchView:
    """The page's model: results (None without a searchable query) and, when empty, the hot list."""
    results = None
    if form.query is not None:
        results = portal.searcher.find(form.query, page, PER_PAGE, form.filters, form.sort)
    suggestions = portal.hot.cards(SUGGESTIONS) if results is None or not results.hits else []
    base = f"{prefix}/search"
    params = form.params()
    sort_links = [(label, f"{base}?{urlencode(form.params(sort=key if key != 'relevance' else ''))}",
                   key == form.sort) for key, label in SORT_LABELS.items()]
    return SearchView(
        form=form, results=results, suggestions=suggestions,
        channels=portal.top_channels() + portal.vertical_channels(),
        sources=sorted(portal.sources.values(), key=lambda s: s.name),
        base_path=f"{base}?{urlencode(params)}" if params else base,
        sort_links=sort_links,
        prefix=prefix,
    )


async def search(request: Request) -> Response:
    portal = web_context(request).portal
    care = is_care(request)
    page = page_number(request)
    if page is None:
        return not_found(request)
    form = read_form(portal, request.query_params)

    def build() -> PageParts:
        view = search_view(portal, form, page, views.mode_prefix(care))
        if page > 1 and (view.results is None or page > view.results.pages):
            return not_found_parts(request)  # past the last page
        text = render(request, "search.html", kind="search",
                      canonical=f"{portal.settings.site_url}/search", v=view)
        return PageParts.from_render(text)

    return await serve(request, PageKey(care, "search", (form.key, page)), build)
