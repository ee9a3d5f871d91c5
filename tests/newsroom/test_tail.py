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


class CountingEmbedder:
    """The real embedder, counting the texts it is given (to show a publish gives it none)."""

    def __init__(self):
        from newsportal.recommend.semantic import default_embedder

        self.real = default_embedder()
        self.dim = self.real.dim
        self.calls: list[int] = []

    def embed(self, texts):
        self.calls.append(len(texts))
        return self.real.embed(texts)


BAIT = sample_draft(external_id="bait", title="海河新区公交开通，看完你就知道了",
                    body_html="<p>海河新区首条智慧公交线路正式开通。</p><p>觉得有用请点赞、转发、关注我们！</p>")


def test_a_publish_stores_clusters_indexes_and_assesses_but_does_not_embed(store):
    from newsportal.newsroom.sources import base_quality
    from newsportal.text.sanitize import html_to_text
    from tests.conftest import make_portal

    embedder = CountingEmbedder()
    portal = make_portal(store, embedder=embedder)
    first, _ = save_article(portal, sample_draft(external_id="e-1"), actor="t", publish_now=True)
    copy, _ = save_article(portal, sample_draft(external_id="e-2", source_key="xinchao-tech"), actor="t",
                           publish_now=True)
    bait, _ = save_article(portal, BAIT, actor="t", publish_now=True)
    assert embedder.calls == []  # nothing on the publish path
    assert all(a.id in portal.published for a in (first, copy, bait))
    assert portal.catalog.story_of(copy.id) == first.id  # clustered by words, no vector needed
    assert first.id in portal.index.ids() and bait.id in portal.index.ids()
    assert portal.embedding.pending(first.id) and first.id not in portal.vectors
    # the clickbait assessment of title and body is on the publish path: the list weights apply at once
    entry = portal.catalog[bait.id]
    expected = base_quality(bait.title, html_to_text(bait.body_html))
    assert (entry.base_quality, entry.clickbait) == expected and entry.clickbait
    # until its vector comes, the related list is BM25 and story ids: the copy is the same story, never
    # listed, nor the article itself, nor anything twice
    related = [a for a, _ in portal.related.related(first.id, 8)]
    assert first.id not in related and copy.id not in related and len(related) == len(set(related))
    assert portal.copies.distinct([first.id, copy.id, bait.id, first.id]) == [first.id, bait.id]
    assert portal.embedding.drain() == 3 and embedder.calls == [3]  # all three in one call
    assert all(a.id in portal.vectors for a in (first, copy, bait))
    related = [a for a, _ in portal.related.related(first.id, 8)]
    assert first.id not in related and copy.id not in related and len(related) == len(set(related))


def test_withdrawn_before_its_vector_came_it_gets_none(portal):
    a, _ = save_article(portal, sample_draft(external_id="w-1"), actor="t", publish_now=True)
    withdraw(portal, a.id)
    assert not portal.embedding.pending(a.id)
    portal.embedding.drain()
    assert a.id not in portal.vectors


def test_a_batch_is_embedded_in_one_round_after_it_returns(store):
    from newsportal.newsroom.batch import BatchSave, save_articles
    from tests.conftest import make_portal

    embedder = CountingEmbedder()
    portal = make_portal(store, embedder=embedder)
    places = ("江北", "城东", "河西")
    saves = [BatchSave(sample_draft(external_id=f"b-{i}", title=f"{p}街道第{i}号社区食堂开张",
                                    body_html=f"<p>{p}街道第{i}号社区食堂今天开门，午餐十二元。</p>"),
                       publish_now=True) for i, p in enumerate(places)]
    outcomes = save_articles(portal, saves, actor="t")
    assert all(o.article.id in portal.published for o in outcomes) and embedder.calls == []
    assert portal.embedding.drain() == 3 and embedder.calls == [3]
