"""Feeds and discovery: RSS/Atom, sitemaps (with Google News), robots.txt; pure functions over values."""

from newsportal.syndication.feeds import (
    ATOM_MEDIA_TYPE,
    RSS_MEDIA_TYPE,
    FeedChannel,
    FeedEntry,
    FeedError,
    atom_feed,
    rss_feed,
)
from newsportal.syndication.robots import robots_txt
from newsportal.syndication.sitemaps import (
    XML_MEDIA_TYPE,
    NewsItem,
    SitemapError,
    SitemapRef,
    SitemapUrl,
    news_sitemap,
    page_count,
    sitemap_index,
    sitemap_page,
    urlset,
)

__all__ = [
    "ATOM_MEDIA_TYPE",
    "RSS_MEDIA_TYPE",
    "XML_MEDIA_TYPE",
    "FeedChannel",
    "FeedEntry",
    "FeedError",
    "NewsItem",
    "SitemapError",
    "SitemapRef",
    "SitemapUrl",
    "atom_feed",
    "news_sitemap",
    "page_count",
    "robots_txt",
    "rss_feed",
    "sitemap_index",
    "sitemap_page",
    "urlset",
]
