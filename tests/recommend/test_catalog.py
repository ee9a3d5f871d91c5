"""The in-memory catalogue (recommend/catalog.py): live articles, their stories, one per story."""

from newsportal.recommend.catalog import Catalog, Entry, one_per_story


def entry(story, channel=1):
    return Entry(channel_id=channel, story_id=story, published=0.0, source_id=1, quality=0.9)


def test_put_get_drop_and_story_membership():
    c = Catalog()
    c.put(1, entry(1))
    c.put(2, entry(1))
    c.put(3, entry(3))
    assert 1 in c and len(c) == 3 and sorted(c) == [1, 2, 3] and c[2].story_id == 1
    assert c.story_members(1) == {1, 2} and c.story_of(3) == 3 and c.story_of(9) is None
    c.put(2, entry(3))  # an edit that moves the article to another story
    assert c.story_members(1) == {1} and c.story_members(3) == {2, 3}
    c.drop(1)
    c.drop(1)  # dropping twice is harmless
    assert c.get(1) is None and c.story_members(1) == set()


def test_set_story_moves_membership():
    c = Catalog()
    c.put(1, entry(1))
    c.put(2, entry(1))
    c.set_story(2, 2)
    c.set_story(9, 1)  # unknown: ignored
    assert c.story_members(1) == {1} and c.story_members(2) == {2} and c.get(2).story_id == 2


def test_one_per_story_keeps_the_first_of_each_story_in_order():
    c = Catalog()
    for aid, story in [(1, 10), (2, 10), (3, 3), (4, 10)]:
        c.put(aid, entry(story))
    assert one_per_story([2, 1, 3, 4, 99], c) == [2, 3, 99]
    assert one_per_story([1, 3], c, seen={10}) == [3]


def test_story_members_through_single_and_shared_stories():
    """A story of one article and a story of several answer alike, through joins, moves and drops."""
    from newsportal.recommend.catalog import Catalog, Entry

    cat = Catalog()
    for aid, story in ((1, 1), (2, 1), (3, 3), (4, 9)):
        cat.put(aid, Entry(channel_id=1, story_id=story, published=float(aid), source_id=1))
    assert cat.story_members(1) == {1, 2} and cat.story_members(3) == {3} and cat.story_members(9) == {4}
    assert cat.story_members(4) == set() and cat.story_members(77) == set()
    cat.set_story(3, 1)  # joins a shared story
    assert cat.story_members(1) == {1, 2, 3} and cat.story_members(3) == set()
    cat.drop(1)
    cat.drop(2)
    assert cat.story_members(1) == {3}  # back to one member
    cat.put(3, Entry(channel_id=1, story_id=1, published=3.0, source_id=1))  # put again: no duplicate
    assert cat.story_members(1) == {3}
    cat.set_story(4, 1)
    cat.set_story(4, 9)  # and out again
    assert cat.story_members(1) == {3} and cat.story_members(9) == {4}
    members = cat.story_members(1)
    members.add(99)  # a copy: the catalogue is not changed through it
    assert cat.story_members(1) == {3}
    cat.drop(3)
    cat.drop(4)
    assert cat.story_members(1) == set() and cat.story_members(9) == set() and len(cat) == 0
