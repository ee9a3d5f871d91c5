import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsportal.text import BodyTooLarge, html_to_text, paragraphs_to_html, sanitize_html
from newsportal.text.sanitize import MAX_BODY_CHARS


def test_scripts_handlers_and_javascript_urls_are_removed():
    dirty = (
        '<p onclick="steal()">正文<script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">链接</a><img src="x.png" onerror="boom()" alt="图">'
        '<iframe src="https://evil.example"></iframe><style>body{}</style><h1>标题</h1>'
    )
    clean = sanitize_html(dirty)
    assert "script" not in clean and "onclick" not in clean and "onerror" not in clean
    assert "javascript:" not in clean and "iframe" not in clean and "<style" not in clean
    assert "<h1" not in clean  # the page owns its only h1
    assert "正文" in clean and 'alt="图"' in clean and "标题" in clean


def test_allowed_markup_survives():
    body = '<p>第一段<strong>重点</strong></p><h2>小标题</h2><blockquote>引语</blockquote><a href="https://a.cn/x">源</a>'
    clean = sanitize_html(body)
    for part in ("<p>", "<strong>重点</strong>", "<h2>小标题</h2>", "<blockquote>引语</blockquote>", 'href="https://a.cn/x"'):
        assert part in clean
    assert 'rel="noopener noreferrer nofollow"' in clean


def test_huge_body_is_refused_not_truncated():
    with pytest.raises(BodyTooLarge):
        sanitize_html("字" * (MAX_BODY_CHARS + 1))


def test_paragraphs_are_escaped():
    out = paragraphs_to_html(["<b>不是标签</b>", " ", "第二段"])
    assert out == "<p>&lt;b&gt;不是标签&lt;/b&gt;</p>\n<p>第二段</p>"


def test_html_to_text_keeps_blocks_as_lines():
    assert html_to_text("<p>一&amp;二</p><p>三<br>四</p>") == "一&二\n三\n四"


ATTACKS = st.sampled_from(
    [
        "<script>x()</script>", '<img src=x onerror="y()">', '<a href="javascript:z()">a</a>',
        '<a href=" JaVaScRiPt:z()">a</a>', "<svg onload=alert(1)>", '<div style="x" onmouseover="y">',
        "<iframe src=//e>", '<form action="/x"><input name=a></form>', "<!-- c -->", "<p>",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(ATTACKS, st.text(max_size=30)), max_size=12))
def test_no_active_content_survives_any_mix(parts):
    clean = sanitize_html("".join(parts)).lower()
    assert "<script" not in clean and "<iframe" not in clean and "<form" not in clean and "<svg" not in clean
    # "javascript:" may survive as escaped, inert text; never as a URL attribute.
    for tag in re.findall(r"<[^>]*>", clean):  # real tags only; "&lt;" text is inert
        assert not re.search(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", tag)
        assert not re.search(r"\son\w+\s*=", tag)
