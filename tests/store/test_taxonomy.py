"""Channels and sources (store/taxonomy.py)."""

import pytest

from newsportal.domain import ChannelKind, SourceKind
from newsportal.store import NotFound


def test_channels_upsert_by_slug_under_their_parent(store):
    root = store.upsert_channel("home", "首页", ChannelKind.TOP)
    news = store.upsert_channel("news", "新闻中心", ChannelKind.TOP, "home", "头条要闻", position=1)
    again = store.upsert_channel("news", "新闻", ChannelKind.TOP, "home", None, position=2)
    assert again.id == news.id and again.name == "新闻" and again.parent_id == root.id
    assert [c.slug for c in store.channels()] == ["home", "news"]
    with pytest.raises(NotFound):
        store.upsert_channel("x", "未知", ChannelKind.TOP, "missing-parent")


def test_sources_upsert_by_key_and_trust_is_written(store):
    s = store.upsert_source("haihe", "海河日报", SourceKind.MEDIA, 0.9, "本地日报")
    same = store.upsert_source("haihe", "海河日报社", SourceKind.MEDIA, 0.8)
    assert same.id == s.id and same.trust == 0.8 and same.about == ""
    assert store.set_source_trust("haihe", 0.3).trust == 0.3
    assert [(x.key, x.trust) for x in store.sources()] == [("haihe", 0.3)]
    with pytest.raises(NotFound):
        store.set_source_trust("nobody", 0.5)
