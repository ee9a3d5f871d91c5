"""The wire shape of a submitted article (newsroom/schema.py): strict types, limits from domain/limits.py."""

import pytest
from pydantic import ValidationError

from newsportal.domain import limits
from newsportal.newsroom.schema import ArticleIn

GOOD = {"title": "海河新区开通智慧公交", "body_html": "<p>正文。</p>", "channel": "domestic",
        "source": "haihe-daily"}


def test_a_minimal_article_becomes_a_draft():
    d = ArticleIn.model_validate(GOOD).draft()
    assert d.title == GOOD["title"] and d.channel_slug == "domestic"
    assert d.tags == () and d.external_id is None


def test_paragraphs_stand_in_for_html_and_times_become_naive_utc():
    data = {k: v for k, v in GOOD.items() if k != "body_html"}
    a = ArticleIn.model_validate({**data, "paragraphs": ["第一段 <b>", "", "第二段"],
                                  "published_at": "2026-11-25T16:00:00+08:00"})
    d = a.draft()
    assert d.body_html == "<p>第一段 &lt;b&gt;</p>\n<p>第二段</p>"
    assert d.published_at is not None and d.published_at.isoformat() == "2026-11-25T08:00:00"


@pytest.mark.parametrize("over", [
    {"title": "长" * (limits.MAX_TITLE + 1)},
    {"tags": ["t"] * (limits.MAX_TAGS + 1)},
    {"reporters": ["r"] * (limits.MAX_PEOPLE + 1)},
    {"external_id": "x" * (limits.MAX_EXTERNAL_ID + 1)},
    {"summary": "s" * (limits.MAX_SUMMARY + 1)},
    {"original": "yes"},  # strict: no coercion
    {"unknown": 1},  # extra fields are refused
    {"title": ""},
])
def test_bad_input_is_refused(over):
    with pytest.raises(ValidationError):
        ArticleIn.model_validate({**GOOD, **over})


def test_limits_at_the_edge_are_accepted():
    a = ArticleIn.model_validate({**GOOD, "title": "长" * limits.MAX_TITLE, "tags": ["t"] * limits.MAX_TAGS})
    assert len(a.title) == limits.MAX_TITLE
