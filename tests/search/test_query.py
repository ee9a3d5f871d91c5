"""Query parsing: phrases, syntax characters, limits, and search-mode matching on a real tantivy index."""

from __future__ import annotations

import pytest
import tantivy

from newsportal.search.query import (
    MAX_QUERY_CHARS,
    MAX_TERMS,
    EmptyQuery,
    ParsedQuery,
    index_tokens,
    parse_query,
    sub_words,
)

DOCS = {
    1: ("市民热线积压的待处理工单本周清零", "区政府通报，待处理的投诉工单已经全部分派到街道。"),
    2: ("新开通三条公交车线路", "早高峰乘坐公交车的市民可以在东门站换乘地铁。"),
    3: ("北京市公共交通集团调整票价", "调整从下月起实施，学生卡维持原价。"),
    4: ("港口夜间作业噪声投诉", "居民反映码头吊机的声音影响休息，港务部门答复将处理。"),
    5: ("C++ 编程比赛落幕", "参赛的中学生用 C++ 完成了公交线路规划题目。"),
}


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("id", stored=True, indexed=True)
    sb.add_text_field("title", tokenizer_name="whitespace", index_option="position")
    sb.add_text_field("body", tokenizer_name="whitespace", index_option="position")
    sb.add_text_field("tags", tokenizer_name="raw", index_option="basic")
    return sb.build()


@pytest.fixture(scope="module")
def index() -> tantivy.Index:
    idx = tantivy.Index(_schema())
    writer = idx.writer(heap_size=15_000_000, num_threads=1)
    for doc_id, (title, body) in DOCS.items():
        writer.add_document(tantivy.Document(
            id=doc_id, title=" ".join(index_tokens(title)), body=" ".join(index_tokens(body)),
            tags=["交通" if doc_id in (2, 3) else "民生"],
        ))
    writer.commit()
    writer.wait_merging_threads()
    idx.reload()
    return idx


def _search(index: tantivy.Index, raw: str) -> set[int]:
    query = parse_query(raw).to_tantivy(index.schema, exact_fields={"tags": 2.0})
    searcher = index.searcher()
    return {searcher.doc(addr)["id"][0] for _, addr in searcher.search(query, 10).hits}


def test_index_tokens_put_sub_words_before_their_word():
    assert index_tokens("待处理的公交车") == ["处理", "待处理", "的", "公交", "公交车"]
    assert index_tokens("ＡＢＣ１２３，“你好”！") == ["abc123", "你好"]
    assert sub_words("公交车站") == ["公交", "车站", "公交车"]
    assert sub_words("apple") == []


def test_search_mode_matches_shorter_words(index):
    assert _search(index, "处理") == {1, 4}  # 4 says 处理, 1 says 待处理
    assert _search(index, "待处理") == {1}
    assert _search(index, "公交") == {2, 5}  # 公交车 and 公交线路
    assert _search(index, "公交车") == {2}
    assert _search(index, "公共交通") == {3}


def test_every_word_is_required(index):
    assert _search(index, "公交 地铁") == {2}
    assert _search(index, "公交 票价") == set()


def test_phrases(index):
    assert parse_query('"北京市公共交通" 票价').phrases == ("北京市公共交通",)
    assert parse_query("“东门站 换乘”").phrases == ("东门站 换乘",)
    assert _search(index, '"北京市公共交通集团"') == {3}
    assert _search(index, "“公共交通北京市”") == set()  # the words, but not in this order
    assert _search(index, "“公共交通集团”") == {3}
    # known limit: a phrase's first word must be a whole word of the document (交通 is inside 公共交通)
    assert _search(index, "“交通集团”") == set()
    assert _search(index, '"乘坐公交"') == {2}  # 公交 is a sub-word of the document's 公交车
    assert _search(index, '"公交线路" "C++"') == {5}


def test_phrase_positions_skip_sub_words():
    assert ParsedQuery.phrase_words("北京市公共交通集团") == [(0, "北京市"), (3, "公共交通"), (4, "集团")]


def test_tags_match_whole_words(index):
    assert _search(index, "交通") == {2, 3}  # tag 交通 on 2; 3 has 公共交通 (交通 is a sub-word)
    assert _search(index, "民生") == {1, 4, 5}


@pytest.mark.parametrize("raw", [
    'title:公交 AND (body:地铁 OR "x")^3',
    "公交* -地铁 +票价 ~2",
    "公交) OR (1=1",
    '"unclosed 公交',
    "NOT 公交",
    "\\公交\\",
])
def test_syntax_characters_are_not_syntax(index, raw):
    parsed = parse_query(raw)
    words = parsed.terms + parsed.phrases
    assert all(not set(w) & set('():^~*+-"\\') or w == "c++" for w in words)
    assert "AND" not in words and "OR" not in words and "NOT" not in words
    _search(index, raw)  # builds and runs without a parser error


def test_syntax_query_keeps_the_words():
    assert parse_query('title:公交 AND (body:地铁 OR "x")^3') == ParsedQuery(
        terms=("title", "公交", "body", "地铁", "3"), phrases=("x",))
    assert parse_query("NOT").terms == ("not",)  # only an operator word: searched literally
    assert parse_query("公交 AND 地铁").terms == ("公交", "地铁")


def test_c_plus_plus_is_a_word(index):
    assert parse_query("C++").terms == ("c++",)
    assert _search(index, "C++") == {5}


@pytest.mark.parametrize("raw", ["", "   ", "！？，。…", '"" “”', "()^~*:+-", "\x00\x1f\u200b"])
def test_empty_queries(raw):
    with pytest.raises(EmptyQuery) as exc:
        parse_query(raw)
    assert "搜索" in exc.value.message
    assert isinstance(exc.value, ValueError)


def test_long_query_is_cut_and_flagged(index):
    raw = "公交线路调整 " * 400  # 2,800 characters
    parsed = parse_query(raw)
    assert parsed.truncated
    assert len(parsed.terms) <= MAX_TERMS
    many = " ".join(f"词{i}" for i in range(40))
    assert len(many) < MAX_QUERY_CHARS
    cut = parse_query(many)
    assert cut.truncated and len(cut.terms) == MAX_TERMS
    assert not parse_query("公交 地铁").truncated
    assert _search(index, "公交线路 " * 500) == {5}


def test_stopwords_dropped_unless_alone():
    assert parse_query("我们的公交").terms == ("公交",)
    assert parse_query("我们的").terms == ("我们", "的")


def test_duplicates_collapse():
    assert parse_query("公交 公交 “地铁” \"地铁\"") == ParsedQuery(terms=("公交",), phrases=("地铁",))
