import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from newsportal.comments.text import (
    CommentRejected,
    TextRules,
    excerpt,
    normalise_comment,
    render_comment_html,
    strip_invisible,
)

# Hostile inputs a reader could type into any comment field. Each must come back as inert text.
HOSTILE = [
    "<script>alert(1)</script>",
    "<ScRiPt src=//evil.example/x.js></ScRiPt>",
    '<img src=x onerror="alert(1)">',
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">点我</a>',
    "javascript:alert(document.cookie)",
    "JaVaScRiPt&#58;alert(1)",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "data:text/html,<script>alert(1)</script>",
    '<svg/onload=alert(1)><circle r="40"/></svg>',
    '<svg><animate onbegin=alert(1) attributeName=x dur=1s>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#x3C;script&#x3E;alert(1)&#x3C;/script&#x3E;",
    "&#60;img src=x onerror=alert(1)&#62;",
    '"><script>alert(1)</script>',
    "'><iframe src=javascript:alert(1)>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<!--<script>alert(1)//-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "{{ 7*7 }} {% raw %}${7*7}",
    "正常文字\u202e>tpircs/<1(trela>tpircs<",
    "管\u200b理\u200c员\u200d发\u2060布\ufeff",
    "\u2066<b>\u2069isolate",
    "'; DROP TABLE comments; --",
    "1' OR '1'='1",
    "admin'/*",
    "\\x3cscript\\x3e",
    "<meta http-equiv=refresh content=0;url=https://evil.example>",
    "<form action=https://evil.example><input name=p></form>",
    "<object data=javascript:alert(1)>",
    "<base href=https://evil.example/>",
    "<xmp><script>alert(1)</script></xmp>",
    "\x00<script>\x00alert(1)</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
]

SAFE_ATTR = re.compile(r"<(?!br>)")


def test_plain_text_is_trimmed_and_kept():
    assert normalise_comment("  好文章，支持！  ") == "好文章，支持！"


def test_html_is_kept_as_literal_text_not_removed():
    assert normalise_comment("<b>粗体</b> 和 https://example.com") == "<b>粗体</b> 和 https://example.com"


def test_nfc_composes_decomposed_characters():
    assert normalise_comment("Cafe\u0301") == "Caf\u00e9"


def test_line_breaks_unified_and_trailing_spaces_dropped():
    assert normalise_comment("第一行  \r\n第二行\r第三行\u2028第四行") == "第一行\n第二行\n第三行\n第四行"


def test_tab_becomes_space():
    assert normalise_comment("甲\t乙") == "甲 乙"


def test_more_than_two_blank_lines_collapse_to_two():
    assert normalise_comment("上\n\n\n\n\n\n下") == "上\n\n\n下"
    assert normalise_comment("上\n\n\n下") == "上\n\n\n下"
    assert normalise_comment("上\n  \n \n\t\n\n下") == "上\n\n\n下"


def test_blank_line_cap_is_configurable():
    assert normalise_comment("上\n\n\n\n下", TextRules(max_blank_lines=0)) == "上\n下"
    assert normalise_comment("上\n\n\n\n下", TextRules(max_blank_lines=1)) == "上\n\n下"


def test_control_characters_dropped_newline_kept():
    assert normalise_comment("a\x00b\x07c\x1b[31md\x7f\ne") == "abc[31md\ne"


def test_spoofing_characters_dropped_but_emoji_joiner_kept():
    assert normalise_comment("abc\u202edef\u200b") == "abcdef"
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert normalise_comment(family) == family
    assert normalise_comment("\u2764\ufe0f") == "\u2764\ufe0f"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "empty"),
        ("   ", "whitespace_only"),
        ("\n\n\t \u3000\r\n", "whitespace_only"),
        ("\x00\x01\x1f", "control_only"),
        ("\u200b\u202e\ufeff", "control_only"),
        (" \u3164 \u2800 ", "control_only"),
        (None, "not_text"),
        (42, "not_text"),
        (b"bytes", "not_text"),
    ],
)
def test_refusals_have_codes_and_chinese_messages(raw, code):
    with pytest.raises(CommentRejected) as info:
        normalise_comment(raw)
    assert info.value.code == code
    assert re.search(r"[\u4e00-\u9fff]", info.value.message_zh)


def test_length_limit_default_500_counted_after_normalising():
    assert len(normalise_comment("字" * 500)) == 500
    assert normalise_comment("  " + "字" * 500 + "\n\n") == "字" * 500
    with pytest.raises(CommentRejected) as info:
        normalise_comment("字" * 501)
    assert info.value.code == "too_long"
    assert "500" in info.value.message_zh and "501" in info.value.message_zh


def test_decomposed_input_counts_composed_length():
    assert normalise_comment("e\u0301" * 500) == "\u00e9" * 500


def test_length_limit_configurable():
    rules = TextRules(max_chars=10)
    assert normalise_comment("一二三四五六七八九十", rules)
    with pytest.raises(CommentRejected):
        normalise_comment("一二三四五六七八九十一", rules)


def test_rules_validate_themselves():
    with pytest.raises(ValueError):
        TextRules(max_chars=0)
    with pytest.raises(ValueError):
        TextRules(max_blank_lines=-1)


def test_render_escapes_and_breaks_lines():
    out = render_comment_html("a < b & c\n\"引号\" 'x'")
    assert isinstance(out, Markup)
    assert str(out) == "a &lt; b &amp; c<br>&quot;引号&quot; &#x27;x&#x27;"


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_corpus_is_stored_as_text_and_rendered_inert(hostile):
    stored = normalise_comment(hostile)
    html_out = str(render_comment_html(stored))
    # The only tag that can appear is the line break the renderer adds itself.
    assert not SAFE_ATTR.search(html_out)
    assert ">" not in html_out.replace("<br>", "")
    assert '"' not in html_out and "'" not in html_out
    # No character that could reorder or hide surrounding page text survives.
    assert not re.search("[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff\x00-\x09\x0b-\x1f]", html_out)
    # Unescaping the output gives back exactly the stored text (nothing dropped silently).
    import html as html_lib

    assert html_lib.unescape(html_out.replace("<br>", "\n")) == stored


def test_entities_are_escaped_again_not_decoded():
    out = str(render_comment_html("&lt;script&gt;"))
    assert out == "&amp;lt;script&amp;gt;"


def test_links_are_not_turned_into_anchors():
    out = str(render_comment_html("看 https://example.com/a?b=1&c=2"))
    assert "<a" not in out
    assert out == "看 https://example.com/a?b=1&amp;c=2"


def test_render_strips_spoofing_from_old_stored_text():
    assert str(render_comment_html("ab\u202ecd")) == "abcd"


def test_sql_fragments_survive_unchanged_as_text():
    assert normalise_comment("'; DROP TABLE comments; --") == "'; DROP TABLE comments; --"


def test_strip_invisible_keeps_visible_text():
    assert strip_invisible("中\u200b文\r\n") == "中文\n"


def test_excerpt_flattens_and_cuts():
    assert excerpt("第一行\n第二行", 60) == "第一行 第二行"
    assert excerpt("一二三四五六", 4) == "一二三…"
    with pytest.raises(ValueError):
        excerpt("x", 1)


@given(st.text(max_size=600))
@settings(max_examples=300, deadline=None)
def test_any_text_is_either_refused_cleanly_or_normalised_idempotently(raw):
    try:
        stored = normalise_comment(raw)
    except CommentRejected as exc:
        assert exc.code in {"empty", "whitespace_only", "control_only", "too_long"}
        return
    assert stored and stored == stored.strip() and len(stored) <= 500
    assert normalise_comment(stored) == stored
    html_out = str(render_comment_html(stored))
    assert "<" not in html_out.replace("<br>", "") and ">" not in html_out.replace("<br>", "")
