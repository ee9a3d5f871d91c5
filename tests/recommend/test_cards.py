"""ids → cards (recommend/cards.py): order kept, live only, and kept cards trusted only under their entry."""

from datetime import datetime

from newsportal.domain import ArticleCard
from newsportal.recommend.cards import CardLookup
from newsportal.recommend.catalog import Catalog, Entry

T = datetime(2026, 12, 1, 8, 0)


class FakeStore:
    """Cards by id, with a record of every id asked for."""

    def __init__(self) -> None:
        self.titles: dict[int, str] = {}
        self.stories: dict[int, int | None] = {}
        self.asked: list[list[int]] = []

    def fetch(self, ids):
        wanted = list(ids)
        self.asked.append(wanted)
        return {a: ArticleCard(a, f"s{a}", self.titles[a], 1, 1, "海河日报", T, story_id=self.stories.get(a))
                for a in wanted if a in self.titles}


def setup(n: int = 4, capacity: int = 100):
    catalog, store = Catalog(), FakeStore()
    for a in range(1, n + 1):
        catalog.put(a, Entry(1, a, float(a), 1))
        store.titles[a] = f"第{a}篇"
    return catalog, store, CardLookup(store.fetch, catalog.__contains__, catalog.get, capacity=capacity)


def test_cards_keep_the_ranking_order_and_skip_what_is_not_live():
    catalog, store, cards = setup()
    catalog.drop(2)
    assert [c.id for c in cards.by_ids([3, 2, 1, 3, 99])] == [3, 1]
    assert [c.id for c in cards.by_ids([4, 3, 1], limit=2)] == [4, 3]
    assert cards.one(2) is None and cards.one(4).title == "第4篇"


def test_kept_cards_cost_no_second_read():
    _, store, cards = setup()
    cards.by_ids([1, 2, 3])
    store.asked.clear()
    assert [c.id for c in cards.by_ids([3, 1, 4])] == [3, 1, 4]
    assert store.asked == [[4]]  # only the card not read before
    assert len(cards) == 4


def test_a_new_catalogue_entry_makes_the_card_read_again():
    """An edit replaces the article's entry (publish tail, sync): the kept card is not trusted any more."""
    catalog, store, cards = setup()
    assert cards.one(1).title == "第1篇"
    store.titles[1] = "改过的标题"
    assert cards.one(1).title == "第1篇"  # nothing told the catalogue: still the kept card
    catalog.put(1, Entry(1, 1, 1.0, 1))
    assert cards.one(1).title == "改过的标题"


def test_a_story_change_makes_the_card_read_again():
    """``set_story`` changes the entry in place; the card's story must follow."""
    catalog, store, cards = setup()
    assert cards.one(2).story_id is None
    catalog.set_story(2, 1)
    store.stories[2] = 1
    assert cards.one(2).story_id == 1
    store.asked.clear()
    assert cards.one(2).story_id == 1 and store.asked == []


def test_a_card_read_while_its_entry_changes_is_read_again_next_time():
    """The card is kept under the entry seen before the read; a write landing meanwhile replaces it."""
    catalog, store, cards = setup()
    fetch = store.fetch

    def racing_fetch(ids):
        got = fetch(ids)
        store.titles[1] = "写入后的标题"
        catalog.put(1, Entry(1, 1, 1.0, 1))  # the write lands after the row was read
        return got

    cards._fetch = racing_fetch
    assert cards.one(1).title == "第1篇"
    cards._fetch = fetch
    assert cards.one(1).title == "写入后的标题"


def test_the_least_recently_used_cards_go_first_and_forget_all_empties():
    _, store, cards = setup(n=5, capacity=3)
    cards.by_ids([1, 2, 3])
    cards.by_ids([1])  # 1 is used again: 2 is now the oldest
    cards.by_ids([4])
    store.asked.clear()
    cards.by_ids([1, 3, 4])
    assert store.asked == []
    cards.by_ids([2])
    assert store.asked == [[2]]
    cards.forget_all()
    assert len(cards) == 0
    cards.by_ids([1])
    assert store.asked[-1] == [1]


def test_without_the_catalogue_entries_every_call_asks_the_store():
    catalog, store = Catalog(), FakeStore()
    catalog.put(1, Entry(1, 1, 1.0, 1))
    store.titles[1] = "第1篇"
    cards = CardLookup(store.fetch, catalog.__contains__)
    cards.one(1)
    cards.one(1)
    assert store.asked == [[1], [1]] and len(cards) == 0
