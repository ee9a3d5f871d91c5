"""The publish tail (newsroom/tail.py) fires one typed event per write, with the article before the write."""

from newsportal.domain import ArticleStatus
from newsportal.newsroom import publish, save_article, withdraw
from newsportal.newsroom.signals import ArticleSaved
from tests.conftest import sample_draft


def test_every_write_fires_article_saved_with_the_previous_version(portal):
    saved: list[ArticleSaved] = []
    portal.signals.article_saved.connect(saved.append)
    a, _ = save_article(portal, sample_draft(external_id="t-1"), actor="t")
    save_article(portal, sample_draft(external_id="t-1", title="改过的标题：智慧公交开通"), actor="t")
    save_article(portal, sample_draft(external_id="t-1", title="改过的标题：智慧公交开通"),
                 actor="t")  # unchanged
    publish(portal, a.id)
    withdraw(portal, a.id)
    assert [type(e) for e in saved] == [ArticleSaved] * 4
    assert saved[0].previous is None and saved[1].previous.title == sample_draft().title
    assert saved[1].article.revision == 2 and saved[2].previous.status is ArticleStatus.DRAFT
    assert saved[3].previous.status is ArticleStatus.PUBLISHED
    assert saved[3].article.status is ArticleStatus.WITHDRAWN


def test_a_failing_listener_does_not_undo_the_save(portal):
    def broken(_event):
        raise RuntimeError("cache purge failed")

    portal.signals.article_saved.connect(broken)
    a, _ = save_article(portal, sample_draft(), actor="t", publish_now=True)
    assert a.id in portal.published and a.id in portal.index.ids()


def test_withdrawing_a_story_lead_hands_the_story_to_the_next_article(portal):
    first, _ = save_article(portal, sample_draft(external_id="s-1"), actor="t", publish_now=True)
    second, _ = save_article(portal, sample_draft(external_id="s-2", source_key="xinchao-tech"), actor="t",
                             publish_now=True)
    assert portal.catalog.story_of(second.id) == first.id  # the same report from two sources: one story
    withdraw(portal, first.id)
    assert portal.catalog.story_of(second.id) == second.id
    assert portal.store.get_article(second.id).story_id == second.id
