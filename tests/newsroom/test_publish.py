"""The publish flow: every way in gets validation, sanitizing, revisions and index updates."""

import pytest

from newsportal.domain import ArticleStatus
from newsportal.newsroom import ValidationError, publish, save_article, withdraw
from newsportal.store import NotFound
from tests.conftest import sample_draft


def test_body_is_sanitized_before_it_is_stored(portal):
    draft = sample_draft(
        body_html='<p onclick="x()">正文内容<script>alert(1)</script></p><a href="javascript:y()">链</a>')
    article, _ = save_article(portal, draft, actor="t", publish_now=True)
    stored = portal.store.get_article(article.id).body_html
    assert "script" not in stored and "onclick" not in stored and "javascript:" not in stored
    assert "正文内容" in stored
    assert "script" not in portal.store.revisions(article.id)[0].body_html


def test_same_external_id_updates_instead_of_duplicating(portal):
    a, created = save_article(portal, sample_draft(external_id="feed-1"), actor="t", publish_now=True)
    b, changed = save_article(portal, sample_draft(external_id="feed-1"), actor="t", publish_now=True)
    assert created and not changed and a.id == b.id
    assert len(portal.store.revisions(a.id)) == 1  # unchanged content writes nothing
    c, changed = save_article(portal, sample_draft(external_id="feed-1", title="更正：智慧公交线路开通"),
                              actor="t", publish_now=True)
    assert changed and c.id == a.id and c.revision == 2
    assert portal.store.count_articles() == 1


def test_publish_and_withdraw_update_the_in_memory_views(portal):
    a, _ = save_article(portal, sample_draft(), actor="t")
    assert a.status is ArticleStatus.DRAFT and a.id not in portal.published and a.id not in portal.index.ids()
    seen = []
    portal.signals.article_saved.connect(lambda event: seen.append(event.article))
    p = publish(portal, a.id)
    assert p.status is ArticleStatus.PUBLISHED and p.published_at is not None
    assert portal.published[a.id].channel_id == p.channel_id and a.id in portal.index.ids()
    w = withdraw(portal, a.id)
    assert w.status is ArticleStatus.WITHDRAWN
    assert a.id not in portal.published and a.id not in portal.index.ids()
    assert [x.status for x in seen] == [ArticleStatus.PUBLISHED, ArticleStatus.WITHDRAWN]


@pytest.mark.parametrize(
    "over, field",
    [
        ({"title": "  "}, "title"),
        ({"title": "长" * 121}, "title"),
        ({"channel_slug": "nope"}, "channel"),
        ({"channel_slug": "home"}, "channel"),  # the root is not a channel one publishes into
        ({"source_key": "nobody"}, "source"),
        ({"body_html": "<script>only()</script>"}, "body_html"),
        ({"body_html": "字" * 400_001}, "body_html"),
        ({"tags": tuple(f"t{i}" for i in range(13))}, "tags"),
        ({"tags": (123,)}, "tags"),
    ],
)
def test_bad_drafts_are_refused_with_the_field(portal, over, field):
    with pytest.raises(ValidationError) as info:
        save_article(portal, sample_draft(**over), actor="t")
    assert info.value.field == field
    assert portal.store.count_articles() == 0


def test_unknown_article_id(portal):
    with pytest.raises(NotFound):
        save_article(portal, sample_draft(), actor="t", article_id=99999)
    with pytest.raises(NotFound):
        publish(portal, 99999)


def test_summary_defaults_to_the_first_paragraph(portal):
    a, _ = save_article(portal, sample_draft(summary=""), actor="t")
    assert a.summary.startswith("本报讯（记者 陈晓岚）昨天上午")
