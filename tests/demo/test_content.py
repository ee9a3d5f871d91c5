"""The demo corpus is what a newcomer sees first; it must cover the whole portal."""

import json
from collections import Counter, defaultdict
from pathlib import Path

from newsportal.demo import check_content
from newsportal.demo.load import demo_items
from newsportal.demo.synthetic import generate

HERE = Path(check_content.__file__).parent
SOURCES = {s["key"]: s for s in json.loads((HERE / "sources.json").read_text("utf-8"))}
CHANNELS = json.loads((HERE / "channels.json").read_text("utf-8"))


def test_content_files_validate():
    assert check_content.main([]) == 0


def test_at_least_120_articles_across_every_channel_and_12_sources():
    items = list(demo_items())
    assert len(items) >= 120
    per_channel = Counter(i["channel"] for i in items)
    leaf = {c["slug"] for c in CHANNELS} - {"home", "news"}
    assert leaf <= set(per_channel), leaf - set(per_channel)
    used = {i["source"] for i in items}
    assert len(used) >= 12
    assert any(SOURCES[s]["kind"] == "self_media" for s in used)
    assert sum(i["original"] for i in items) >= 5
    assert all(i["original"] == (i["source"] == "shanhai-original") for i in items)


def test_lengths_and_times_vary():
    items = list(demo_items())
    lengths = sorted(sum(len(p) for p in i["paragraphs"]) for i in items)
    assert lengths[0] < 300 and lengths[-1] > 1800
    hours = [i["hours_ago"] for i in items]
    assert min(hours) < 2 and max(hours) > 200


def test_some_stories_are_carried_by_several_sources():
    stories = defaultdict(set)
    for i in demo_items():
        if "story" in i:
            stories[i["story"]].add(i["source"])
    multi = [k for k, srcs in stories.items() if len(srcs) >= 3]
    assert len(multi) >= 5, stories


def test_synthetic_generator_is_deterministic_and_labelled():
    a = [x.draft for x in generate(300, seed=5)]
    b = [x.draft for x in generate(300, seed=5)]
    assert a == b
    assert [x.draft.title for x in generate(50, seed=6)] != [d.title for d in a[:50]]
    labelled = list(generate(2000, seed=5))
    copies = [x for x in labelled if x.story != f"story-5-{x.draft.external_id.rsplit('-', 1)[1]}"]
    assert 40 < len(copies) < 200  # about one in twenty is a syndicated copy of an earlier story
    assert len({x.draft.external_id for x in labelled}) == 2000
