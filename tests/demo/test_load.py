from newsportal.demo.load import demo_items, load_demo
from newsportal.domain import ArticleStatus


def test_demo_loads_through_the_publish_flow_and_is_idempotent(portal):
    n = sum(1 for _ in demo_items())
    assert load_demo(portal, traffic=False) == n
    assert portal.store.count_articles(ArticleStatus.PUBLISHED) == n
    assert len(portal.published) == n and len(portal.index) == n
    from datetime import datetime

    # loading again with the same clock rewrites nothing
    first = portal.store.get_article_by_external_id("demo-news-001")
    assert load_demo(portal, traffic=False, now=_now_of(first, "demo-news-001")) == 0
    assert portal.store.count_articles() == n
    assert isinstance(first.published_at, datetime)


def _now_of(article, external_id):
    from datetime import timedelta

    item = next(i for i in demo_items() if i["external_id"] == external_id)
    return article.published_at + timedelta(hours=item["hours_ago"])
