"""The API's one "ids → cards" path keeps the ranking order and drops articles that are no longer live."""

import pytest

from newsportal.newsroom import save_article, withdraw
from newsportal.store import NotFound
from newsportal.web.api.convert import (
    any_article_or_404,
    article_out,
    cards_out,
    channel_or_404,
    published_or_404,
    section_or_404,
    source_or_404,
)
from tests.conftest import sample_draft


def three(portal):
    return [
        save_article(
            portal,
            sample_draft(external_id=f"c{i}", title=f"第{i}条新闻：城市公交线路调整"),
            actor="t",
            publish_now=True,
        )[0]
        for i in range(3)
    ]


def test_cards_keep_the_given_order_and_skip_withdrawn_and_unknown(portal):
    a, b, c = three(portal)
    assert [x.id for x in cards_out(portal, [c.id, a.id, b.id])] == [c.id, a.id, b.id]
    withdraw(portal, a.id)
    assert [x.id for x in cards_out(portal, [c.id, a.id, 10**6, b.id])] == [c.id, b.id]
    assert [x.id for x in cards_out(portal, [c.id, b.id], limit=1)] == [c.id]
    assert cards_out(portal, []) == []


def test_card_and_article_shapes(portal):
    a = three(portal)[0]
    (card,) = cards_out(portal, [a.id])
    assert card.url == f"http://testserver/a/{a.slug}.html" and card.published_at.endswith("+08:00")
    assert card.channel == "domestic" and card.source == "haihe-daily"
    full = article_out(portal, a)
    assert (
        full.id == a.id
        and full.status == "published"
        and full.views == 0
        and full.editors == ["刘静", "孙浩"]
    )


def test_lookups_answer_not_found(portal):
    draft, _ = save_article(portal, sample_draft(external_id="d"), actor="t")
    assert any_article_or_404(portal, draft.id).id == draft.id
    with pytest.raises(NotFound):
        published_or_404(portal, draft.id)
    with pytest.raises(NotFound):
        any_article_or_404(portal, 10**6)
    assert channel_or_404(portal, "sports").slug == "sports"
    root = next(c for c in portal.channels if c.parent_id is None)
    assert channel_or_404(portal, root.slug) == root
    with pytest.raises(NotFound):
        section_or_404(portal, root.slug)  # the root has no pins or page of its own
    with pytest.raises(NotFound):
        channel_or_404(portal, "nope")
    assert source_or_404(portal, "haihe-daily").key == "haihe-daily"
    with pytest.raises(NotFound):
        source_or_404(portal, "nobody")
