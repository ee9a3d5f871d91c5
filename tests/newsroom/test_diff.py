"""Word-level Chinese diffs of bodies and fields, and their escaped HTML."""

from __future__ import annotations

import itertools
import re

from hypothesis import given
from hypothesis import strategies as st

from newsportal.newsroom.diff import (
    FieldChange,
    Op,
    ParagraphDiff,
    diff_bodies,
    diff_fields,
    diff_paragraphs,
    diff_text,
    paragraphs,
    render_fields_html,
    render_html,
    render_ops,
    tokens,
)


def test_tokens_are_words_and_keep_every_character() -> None:
    text = "市气象台今天下午发布寒潮预警， 气温将下降 8℃。"
    toks = tokens(text)
    assert "".join(toks) == text
    assert "气象台" in toks or "气象" in toks
    assert "寒潮" in toks and "预警" in toks
    assert tokens("") == []


def test_changed_word_is_one_word_not_characters_or_the_line() -> None:
    ops = diff_text("新线路将于明年在北京开通。", "新线路将于明年在上海开通。")
    assert ops == (
        Op("equal", "新线路将于明年在"),
        Op("delete", "北京"),
        Op("insert", "上海"),
        Op("equal", "开通。"),
    )


def test_insert_and_delete_only() -> None:
    assert diff_text("会议今天召开。", "会议今天上午召开。") == (
        Op("equal", "会议今天"),
        Op("insert", "上午"),
        Op("equal", "召开。"),
    )
    assert diff_text("球队昨晚赢得比赛。", "球队赢得比赛。") == (
        Op("equal", "球队"),
        Op("delete", "昨晚"),
        Op("equal", "赢得比赛。"),
    )
    assert diff_text("", "") == ()
    assert diff_text("", "新内容") == (Op("insert", "新内容"),)


@given(st.text(max_size=60), st.text(max_size=60))
def test_ops_rebuild_both_texts(old: str, new: str) -> None:
    ops = diff_text(old, new)
    assert "".join(o.text for o in ops if o.kind != "insert") == old
    assert "".join(o.text for o in ops if o.kind != "delete") == new
    assert all(o.text for o in ops)
    assert all(a.kind != b.kind for a, b in itertools.pairwise(ops))


def test_paragraphs_strip_markup_and_decode_entities() -> None:
    body = "<h2>小标题</h2><p>第一段 <strong>加粗</strong>。</p><p>A &amp; B</p><p>  </p>"
    assert paragraphs(body) == ["小标题", "第一段 加粗。", "A & B"]


def test_paragraph_alignment() -> None:
    old = ["第一段不变。", "第二段写错了日期是三号。", "第三段不变。"]
    new = ["第一段不变。", "新插入的一段。", "第二段写错了日期是五号。", "第三段不变。"]
    diff = diff_paragraphs(old, new)
    assert [p.kind for p in diff] == ["equal", "changed", "inserted", "equal"] or [p.kind for p in diff] == [
        "equal",
        "inserted",
        "changed",
        "equal",
    ]
    changed = next(p for p in diff if p.kind == "changed")
    assert changed.old_text in old and changed.new_text in new
    removed = diff_paragraphs(["甲段。", "乙段。"], ["甲段。"])
    assert [p.kind for p in removed] == ["equal", "deleted"]
    assert removed[1].old_text == "乙段。" and removed[1].new_text == ""


def test_diff_bodies_word_level_within_paragraph() -> None:
    old = "<p>第一段。</p><p>受访者表示，项目预计投资三亿元。</p>"
    new = "<p>第一段。</p><p>受访者表示，项目预计投资五亿元。</p>"
    diff = diff_bodies(old, new)
    assert diff[0] == ParagraphDiff("equal", (Op("equal", "第一段。"),))
    assert diff[1].kind == "changed"
    assert Op("equal", "受访者表示，项目预计投资") in diff[1].ops
    deleted = "".join(o.text for o in diff[1].ops if o.kind == "delete")
    inserted = "".join(o.text for o in diff[1].ops if o.kind == "insert")
    assert deleted in ("三", "三亿", "三亿元") and inserted == deleted.replace("三", "五")


def test_render_escapes_hostile_text() -> None:
    old = "<p>安全的旧文本</p>"
    new = "<p>&lt;script&gt;alert(1)&lt;/script&gt; <img src=x onerror=alert(2)> 新文本</p>"
    out = render_html(diff_bodies(old, new))
    assert "<script" not in out and "<img" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert set(re.findall(r"</?([a-z]+)", out)) <= {"p", "ins", "del"}


def test_render_shows_invisible_characters() -> None:
    out = render_ops(diff_text("价格上涨", "价格\u202e上涨"))
    assert "U+202E" in out and "\u202e" not in out
    assert '<ins><span class="diff-ctrl" title="不可见字符">U+202E</span></ins>' in out


def test_render_html_classes_and_context_folding() -> None:
    old = [f"第{i}段内容。" for i in range(10)]
    new = list(old)
    new[5] = "第5段改过的内容。"
    diff = diff_paragraphs(old, new)
    full = render_html(diff)
    assert full.count("<p ") == 10 and '<p class="diff-changed">' in full
    folded = render_html(diff, context=1)
    assert folded.splitlines() == [
        '<p class="diff-skip">（4 段未改动）</p>',
        '<p class="diff-equal">第4段内容。</p>',
        '<p class="diff-changed">第5段<ins>改过的</ins>内容。</p>',
        '<p class="diff-equal">第6段内容。</p>',
        '<p class="diff-skip">（3 段未改动）</p>',
    ]
    assert render_html(diff_paragraphs(old, old), context=0) == '<p class="diff-skip">（10 段未改动）</p>'


def test_field_diff() -> None:
    old = {
        "title": "暴雨导致部分航班延误",
        "summary": "机场发布通知。",
        "channel": "news",
        "tags": ["天气", "交通"],
    }
    new = {
        "title": "暴雨导致多数航班延误",
        "summary": "机场发布通知。",
        "channel": "local",
        "tags": "交通，机场",
    }
    changes = diff_fields(old, new)
    assert [c.name for c in changes] == ["title", "channel", "tags"]
    title, channel, tags = changes
    assert title.label == "标题" and Op("delete", "部分") in title.ops and Op("insert", "多数") in title.ops
    assert channel.ops == (Op("delete", "news"), Op("insert", "local"))
    assert tags == FieldChange("tags", "标签", "天气、交通", "交通、机场", added=("机场",), removed=("天气",))
    assert diff_fields(old, dict(old)) == []
    assert diff_fields({"summary": None}, {"summary": "  "}) == []


def test_render_fields_html() -> None:
    html_out = render_fields_html(
        diff_fields({"title": "旧<b>标题</b>", "tags": ["甲"]}, {"title": "新<b>标题</b>", "tags": ["乙"]})
    )
    assert html_out.startswith('<dl class="diff-fields"><dt>标题</dt><dd>')
    assert "<b>" not in html_out and "&lt;b&gt;" in html_out
    assert "<dt>标签</dt><dd><ins>乙</ins> <del>甲</del></dd>" in html_out
    assert render_fields_html([]) == ""
    reordered = render_fields_html(diff_fields({"tags": ["甲", "乙"]}, {"tags": ["乙", "甲"]}))
    assert "甲、乙 → 乙、甲" in reordered


def test_compound_tokens_are_refined_only_for_one_contiguous_run() -> None:
    # jieba keeps 价格上涨 as one token; an inserted word inside it is still shown alone
    assert diff_text("价格上涨", "价格大幅上涨") == (
        Op("equal", "价格"),
        Op("insert", "大幅"),
        Op("equal", "上涨"),
    )
    assert diff_text("今天上午开会", "今天开会") == (
        Op("equal", "今天"),
        Op("delete", "上午"),
        Op("equal", "开会"),
    )
    # a changed character inside a word replaces the word; no single-glyph shards
    ops = diff_text("他住在北京市。", "他住在北海市。")
    assert Op("delete", "北京市") in ops or Op("delete", "北京") in ops
    assert all(len(o.text) > 1 for o in ops if o.kind != "equal")


SAFE_TAG = (
    r'<p class="diff-(equal|changed|inserted|deleted|skip)">|<ins>|<del>|<dt>|<dd>|<dl class="diff-fields">'
    r'|<span class="diff-ctrl" title="不可见字符">'
)
HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">点我</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">数据</a>',
    '<svg onload="alert(1)"><circle/></svg>',
    "<math><mi xlink:href='javascript:alert(1)'>x</mi></math>",
    "&lt;script&gt;alert('实体')&lt;/script&gt;",
    "<p>未闭合<b><i>标签",
    "正常\u200b文字\u202e反向",
    "'; DROP TABLE articles; --",
]


def test_hostile_revisions_render_as_inert_text() -> None:
    for payload in HOSTILE:
        body = render_html(diff_bodies("<p>原文。</p>", f"<p>原文。</p><p>{payload}</p>"))
        changes = diff_fields({"title": "旧", "tags": []}, {"title": payload, "tags": [payload]})
        fields = render_fields_html(changes)
        for out in (body, fields):
            # every opening tag is one this module writes itself; attacker text never forms a tag
            for tag in re.findall(r"<[a-zA-Z][^>]*>", out):
                assert re.fullmatch(SAFE_TAG, tag), (payload, tag)
            assert "\u202e" not in out and "\u200b" not in out
