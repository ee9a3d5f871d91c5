"""Snippets and titles: the best window, marks, escaping, and cuts that never split a character."""

from __future__ import annotations

import html
import re

import pytest
from markupsafe import Markup

from newsportal.search.highlight import SNIPPET_CHARS, find_matches, highlight, snippet
from newsportal.search.query import parse_query

FILLER = "这一段是与查询无关的背景介绍。"
TAG = re.compile(r"</?mark>")


def _visible(markup: Markup) -> str:
    """What a browser shows: marks removed, entities decoded."""
    return html.unescape(TAG.sub("", str(markup)))


def _marked(markup: Markup) -> list[str]:
    return [html.unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", str(markup))]


def test_window_with_most_distinct_words():
    dense = "区里的公交线路调整后，地铁换乘更方便，公交站台也重新布置。"
    text = FILLER * 8 + "公交" + FILLER * 8 + dense + FILLER * 8
    out = snippet(text, ["公交", "地铁"])
    assert isinstance(out, Markup)
    assert _marked(out) == ["公交", "地铁", "公交"]
    assert str(out).startswith("…") and str(out).endswith("…")
    assert len(_visible(out)) <= SNIPPET_CHARS + 20


def test_search_mode_word_marked_inside_longer_word():
    terms = parse_query("处理 工单").highlight_terms
    out = snippet("区政府通报，待处理的投诉工单已经全部分派到街道。", terms)
    assert "待<mark>处理</mark>的投诉<mark>工单</mark>" in str(out)


def test_no_match_gives_the_lead_and_short_text_has_no_ellipsis():
    text = FILLER * 20
    out = snippet(text, ["地铁"])
    assert _visible(out).startswith(FILLER) and str(out).endswith("…")
    assert str(snippet("短讯一则。", ["地铁"])) == "短讯一则。"
    assert str(snippet("", ["地铁"])) == ""


def test_phrase_matches_across_spaces_and_punctuation():
    out = snippet("乘客可在东门站，换乘地铁二号线。", parse_query("“东门站 换乘”").highlight_terms)
    assert _marked(out) == ["东门站，换乘"]


def test_case_and_width_insensitive_but_original_spelling_shown():
    assert str(highlight("ＡＢＣ公司与Abc合作", ["abc"])) == "<mark>ＡＢＣ</mark>公司与<mark>Abc</mark>合作"
    # Latin terms match whole words only
    assert _marked(highlight("said AI is here", ["ai"])) == ["AI"]


@pytest.mark.parametrize("hostile", [
    "<script>alert('公交')</script>",
    "<mark>公交</mark>",
    "&amp;lt;公交&gt; &#60;b&#62;",
    '"公交" onmouseover="x"',
])
def test_hostile_text_is_escaped(hostile):
    for out in (snippet(hostile * 3, ["公交"]), highlight(hostile, ["公交"])):
        stripped = TAG.sub("", str(out))
        assert "<" not in stripped and ">" not in stripped and '"' not in stripped
        assert _visible(out).replace("…", "") in (hostile * 3) or _visible(out) == hostile
        assert _marked(out) and set(_marked(out)) == {"公交"}


def test_mark_as_search_term_is_still_escaped():
    out = highlight("<mark>x</mark>", ["mark"])
    assert str(out) == "&lt;<mark>mark</mark>&gt;x&lt;/<mark>mark</mark>&gt;"


def test_entity_strings_in_text_are_never_cut():
    text = "前文" * 30 + "&amp;lt;" * 40 + "公交" + "&amp;" * 40
    for width in range(30, 60):
        out = snippet(text, ["公交"], width=width)
        shown = _visible(out).strip("…")
        assert shown in text
        # every "&" shown starts a whole "&amp;" of the source text
        assert re.sub(r"&amp;(lt;)?", "", shown).count("&") == 0


EMOJI = [
    "👨‍👩‍👧",  # ZWJ family
    "👍🏽",  # skin tone
    "🇨🇳",  # flag: two regional indicators
    "❤️",  # variation selector
    "é",  # combining accent
    "😀",  # astral plane
]


@pytest.mark.parametrize("cluster", EMOJI)
def test_cuts_never_split_a_character(cluster):
    text = cluster * 60 + "公交" + cluster * 60
    for width in range(10, 40):
        body = _visible(snippet(text, ["公交"], width=width)).strip("…")
        left, _, right = body.partition("公交")
        assert left == cluster * (len(left) // len(cluster)), width
        assert right == cluster * (len(right) // len(cluster)), width


def test_latin_words_not_cut_when_a_space_is_near():
    text = "The transport office announced a new policy for the evening buses and the night trams today"
    body = _visible(snippet(text, ["policy"], width=30)).strip("…")
    words = text.split()
    assert all(w in words for w in body.split())


def test_control_characters_and_whitespace_runs_removed():
    assert str(highlight("公交\x00\x1b线路\n\n\t调整", ["线路"])) == "公交<mark>线路</mark> 调整"


def test_find_matches_do_not_overlap_and_prefer_longer():
    text = "公交车和公交"
    assert find_matches(text, ["公交", "公交车"]) == [(0, 3), (4, 6)]
    assert find_matches(text, []) == []
    assert find_matches(text, ["  "]) == []
