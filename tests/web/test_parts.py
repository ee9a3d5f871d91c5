"""Page parts: templates name slots explicitly, a page splits at them and joins with the shared fragments."""

import pytest
from jinja2 import Environment

from newsportal.web.parts import SLOTS, PageParts, SharedFragments, Slot, UnknownSlot
from newsportal.web.rendering import make_environment

SHARED = SharedFragments(hot="<ol>热点</ol>".encode(), modules="<div>要闻</div>".encode())


def render(source: str, **values) -> str:
    env: Environment = make_environment()
    return env.from_string(source).render(**values)


def test_a_page_splits_at_its_slots_and_joins_with_the_fragments():
    text = render(
        "<main>{{ title }}</main><aside>{{ slot.hot }}</aside>{{ slot.modules }}<footer>", title="标题"
    )
    parts = PageParts.from_render(text)
    assert parts.status == 200 and parts.slots == (Slot.HOT, Slot.MODULES)
    assert (
        parts.join(SHARED).decode() == "<main>标题</main><aside><ol>热点</ol></aside><div>要闻</div><footer>"
    )


def test_a_page_without_slots_is_one_piece():
    parts = PageParts.from_render("<p>只有正文</p>", 404)
    assert parts.status == 404 and parts.slots == () and parts.join(SHARED) == "<p>只有正文</p>".encode()


def test_a_misspelt_slot_fails_the_render_instead_of_vanishing():
    with pytest.raises(UnknownSlot):
        render("{{ slot.hott }}")


def test_article_text_cannot_forge_a_slot():
    """A body imitating a slot (or the old markers) stays text: the token is random per process."""
    body = "<!--slot:hot:0000000000000000--><!--np:hot-->"
    parts = PageParts.from_render(render("{{ body|safe }}{{ slot.hot }}", body=body))
    assert parts.slots == (Slot.HOT,)
    assert parts.join(SHARED).decode() == body + "<ol>热点</ol>"


def test_every_slot_has_a_fragment():
    for mark in SLOTS:
        assert SHARED.fill(mark.slot) in (SHARED.hot, SHARED.modules)
    assert SHARED.fill(Slot.HOT) == SHARED.hot and SHARED.fill(Slot.MODULES) == SHARED.modules


def test_page_templates_use_the_slots_they_need():
    env = make_environment()
    for name, slots in (
        ("home.html", {Slot.HOT, Slot.MODULES}),
        ("article.html", {Slot.HOT, Slot.MODULES}),
        ("listing.html", {Slot.HOT}),
    ):
        source = env.loader.get_source(env, name)[0]
        assert {s for s in Slot if "{{ slot." + s.value + " }}" in source} == slots, name
        assert "<!--np:" not in source, name
