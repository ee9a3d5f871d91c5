"""The public pages the browser tests visit: the one list to extend (e.g. the search page) with one line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # "{article}" stands for the demo article's slug
    care: bool = True  # has a 关怀版 variant under /care
    status: int = 200

    def path_for(self, article_slug: str, care: bool = False) -> str:
        path = self.path.format(article=article_slug)
        return "/care" + path if care else path


# Every page type the browser tests visit, in both modes where it has a 关怀版. Adding a page here puts it
# through axe in every state, the care-mode measurements, the no-JavaScript and the reflow tests.
PAGES = [
    Page("home", "/"),
    Page("channel", "/channel/news"),
    Page("article", "/a/{article}.html"),
    Page("source", "/source/shuma-laozhou"),
    Page("search", "/search?q=高铁"),
    Page("foryou", "/foryou"),
    Page("sources", "/sources"),
    Page("not-found", "/no/such/page", status=404),
    Page("help", "/accessibility"),
    Page("tag", "/tag/交通"),
    Page("report", "/report"),
    Page("about", "/about"),
]


def named(name: str) -> Page:
    return next(p for p in PAGES if p.name == name)


HOME, CHANNEL, ARTICLE = named("home"), named("channel"), named("article")


def variants():
    """Every page in each of its modes, as pytest parameters (pg, care)."""
    import pytest

    for pg in PAGES:
        for care in (False, True) if pg.care else (False,):
            yield pytest.param(pg, care, id=f"{pg.name}-{'care' if care else 'std'}")
