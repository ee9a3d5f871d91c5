"""Recommendation lists: 相关推荐 (related), 热点推荐 (hot), channel top stories, 为你推荐 (personal),
with story clustering and a quality score that keeps clickbait down without hiding it."""

from newsportal.recommend.hot import HotList

__all__ = ["HotList"]
