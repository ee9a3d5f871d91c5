from newsportal.domain import Channel, ChannelKind
from newsportal.domain.channels import ChannelTree


def tree():
    return ChannelTree(
        [
            Channel(1, "home", "首页", ChannelKind.ROOT),
            Channel(2, "news", "新闻中心", ChannelKind.TOP, 1, "头条要闻", 1),
            Channel(3, "domestic", "国内", ChannelKind.SUB, 2, None, 2),
            Channel(4, "mobile", "手机", ChannelKind.VERTICAL, 1, "手机要闻", 3),
        ]
    )


def test_breadcrumb_trail_and_subtree():
    t = tree()
    assert [c.name for c in t.ancestors(t.by_slug("domestic"))] == ["首页", "新闻中心", "国内"]
    assert sorted(t.subtree_ids(t.by_slug("news"))) == [2, 3]
    assert t.top_of(t.by_slug("domestic")).slug == "news"
    assert [c.slug for c in t.navigation()] == ["news", "mobile"]
    assert [c.slug for c in t.of_kind(ChannelKind.VERTICAL)] == ["mobile"]


def test_sections_scopes_and_reset_in_one_place():
    t = tree()
    assert not t.is_section(t.by_slug("home")) and not t.is_section(None)
    assert t.is_section(t.by_slug("domestic"))
    assert t.section_by_slug("home") is None and t.section_by_slug("mobile").id == 4
    assert t.section_by_slug("nope") is None
    assert t.scopes(3) == (2, 3) and t.scopes(1) == () and t.scopes(99) == ()
    assert t.top_id(3) == 2 and t.top_id(99) is None
    t.reset([Channel(1, "home", "首页", ChannelKind.ROOT)])  # holders of the tree see the new channels
    assert len(t) == 1 and t.get(3) is None
