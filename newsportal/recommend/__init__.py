"""Recommendation lists for the pages: related articles (相关推荐) and what is hot (热点推荐)."""

from newsportal.recommend.hot import HotList
from newsportal.recommend.related import RelatedIndex

__all__ = ["HotList", "RelatedIndex"]
