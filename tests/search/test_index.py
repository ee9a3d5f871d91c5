"""The article index (search/index.py), in memory and on disk, and BM25's idf (search/bm25.py)."""

import math
from datetime import datetime

import pytest

from newsportal.search import IndexDoc, TextIndex, doc_terms
from newsportal.search.bm25 import idf
from newsportal.search.index import TITLE_BOOST

T = datetime(2026, 11, 25, 8, 0)


def doc(i, title, text, tags=()):
    return IndexDoc(i, title, text, tuple(tags), 1, 1, T)


@pytest.fixture
def index():
    ix = TextIndex()
    ix.add_many([
        doc(1, "海河新区开通智慧公交", "海河新区的智慧公交线路今天开通，乘客可用手机查询到站时间。",
            ["公交"]),
        doc(2, "地铁四号线延长", "地铁四号线向北延长五站，沿线居民出行更方便。", ["地铁"]),
        doc(3, "公交票价调整听证会", "市发改委召开公交票价调整听证会，市民代表发言。", ["公交", "票价"]),
    ])
    yield ix
    ix.close()


def test_search_needs_every_token_and_ranks_title_hits_first(index):
    hits, total = index.search("公交")
    assert total == 2 and {a for a, _ in hits} == {1, 3}
    assert index.search("公交 听证会")[0][0][0] == 3
    assert index.search("")[1] == 0 and index.search("火星探测")[1] == 0


def test_upsert_replaces_and_delete_removes(index):
    assert len(index) == 3 and index.ids() == {1, 2, 3}
    index.upsert(doc(2, "地铁五号线开通", "地铁五号线今天开通。"))
    assert index.search("四号线")[1] == 0 and index.search("五号线")[1] == 1
    assert index.delete(2) and index.ids() == {1, 3}
    assert index.clear() and len(index) == 0


def test_signatures_keep_multi_character_terms_and_title_weight(index):
    title, body, sig = doc_terms(doc(9, "智慧公交", "智慧公交今天开通"))
    assert title == ["智慧", "公交"] and "开通" in body
    assert all(len(t) > 1 for t in sig) and sig["智慧"] == TITLE_BOOST + 1 and sig["开通"] == 1
    stored = index.signature(1)
    assert stored is not None and stored[1] == ["公交"] and index.signature(424242) is None


def test_more_like_finds_the_similar_article_and_idf_favours_rare_terms(index):
    sig, _ = index.signature(3)
    similar = [a for a, _ in index.more_like(sig, 3)]
    assert similar[0] == 3 and 1 in similar and index.more_like({}, 3) == []
    freqs, n = index.doc_freqs(["听证会", "开通", "不存在的词"])
    assert n == 3 and freqs["听证会"] == 1 and freqs["不存在的词"] == 0
    weights = index.idf(["听证会", "不存在的词"])
    assert weights["听证会"] == pytest.approx(idf(1, 3)) and weights["不存在的词"] == 0.0


def test_idf_is_the_bm25_formula_and_never_negative():
    assert idf(1, 10) == pytest.approx(math.log(1 + 9.5 / 1.5))
    assert idf(10, 10) > 0 and idf(12, 10) > 0  # counts that disagree are clamped
    assert idf(1, 1000) > idf(100, 1000)


def test_an_on_disk_index_survives_reopening_and_a_second_opener_is_read_only(tmp_path):
    first = TextIndex(tmp_path / "ix")
    first.upsert(doc(1, "海河", "海河新区"))
    second = TextIndex(tmp_path / "ix")
    assert first.writable and not second.writable and second.upsert(doc(2, "x", "y")) is False
    second.refresh()
    assert second.ids() == {1}
    second.close()
    first.close()
    reopened = TextIndex(tmp_path / "ix")
    assert reopened.writable and reopened.ids() == {1}
    reopened.settle()
    reopened.close()
