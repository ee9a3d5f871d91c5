#!/usr/bin/env python3
"""Quality of the recommendation layer on labelled corpora: related lists, story clustering, duplicates,
coverage and how fast a burst of readers reaches the hot list.

    .venv/bin/python bench/recommend_eval.py [--synthetic 3000] [--seed 2026] [--no-demo] [--no-redis]
        [--no-truth-variant]

Two labelled corpora, each in a throwaway SQLite portal (in-memory search index):

* **demo** — the ~138 hand-written demo articles, loaded through the real publish flow (``load_demo`` →
  ``save_article``). Topic label = the article's channel slug (the items carry no finer label; inventing
  one would grade the engine against the benchmark author's taste). Story label = the item's ``story`` key
  (hand-made syndicated sets), else its own external id.
* **synthetic** — ``generate(N, seed)``, bulk-loaded as ``newsportal demo --articles`` does and clustered by
  ``Portal.start()``. Topic label = ``"<channel>/<topic>"`` (finer than the channel), story label = the
  generator's story id (about one article in twenty is a reworded copy of an earlier one).

* **synthetic, ground-truth stories** (diagnostic; ``--no-truth-variant`` skips it) — the same corpus with
  every story id preset to the ground truth before ``Portal.start()``, so the clustering is bypassed: it shows
  what the ranking and the one-per-story rules do when the stories are right, and tests the lists'
  deduplication on many real multi-source stories.

Article ids are mapped back to labels through ``external_id``. Only the standard library and the project's
own package are used; nothing is written outside a temporary directory except
``bench/results/recommend-eval-<UTC>.json``. Missed targets do not change the exit status.
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _benchlib as lib  # noqa: E402

from newsportal.counters import Event  # noqa: E402
from newsportal.domain import ChannelKind  # noqa: E402
from newsportal.timeutil import utcnow  # noqa: E402

K = 10  # related list length evaluated (the article page shows 8)
P_AT = 5
HOT_SIZE = 20  # newsportal/web/views.py HOT_SIZE
MODULE_SIZE = 5  # newsportal/web/views.py MODULE_SIZE
LISTING_SIZE = 20  # newsportal/web/views.py CHANNEL_PAGE_SIZE
REACTION_TARGET_S = 1.0
REACTION_TIMEOUT_S = 10.0


# -- corpora ---------------------------------------------------------------------------------------
def build_demo(tmp: Path, clock: lib.Clock):
    from newsportal.demo.load import demo_items, load_demo

    portal = lib.new_portal(tmp / "demo", index_in_memory=True)
    portal.start()
    t = time.perf_counter()
    written = load_demo(portal, now=utcnow(), traffic=False)
    load_s = time.perf_counter() - t
    ext = lib.ids_by_external_id(portal.store)
    labels = {}
    for item in demo_items():
        aid = ext.get(item["external_id"])
        if aid is not None and aid in portal.catalog:
            labels[aid] = (item["channel"], item.get("story") or item["external_id"])
    clock.say(f"demo: {written} articles through save_article in {load_s:.1f}s")
    return portal, labels, {"articles": len(labels), "load_s": round(load_s, 2), "load": "save_article"}


def build_synthetic(tmp: Path, n: int, seed: int, clock: lib.Clock, truth_stories: bool = False):
    portal = lib.new_portal(tmp / ("synthetic-truth" if truth_stories else "synthetic"), index_in_memory=True)
    t = time.perf_counter()
    truth = lib.bulk_load_synthetic(portal, n, seed, utcnow(), progress=lambda d: clock.say(f"  bulk-loaded {d}/{n}"))
    load_s = time.perf_counter() - t
    if truth_stories:  # the clustering bypassed: each article gets its true story (the original's id)
        ext = lib.ids_by_external_id(portal.store, "synthetic-")
        lead: dict[str, int] = {}
        for e in sorted(ext, key=ext.get):  # bulk ids follow generation order: originals first
            lead.setdefault(truth[e][1], ext[e])
        lib.write_story_ids(portal.store, {ext[e]: lead[truth[e][1]] for e in ext})
    clock.say(f"synthetic: {n} articles bulk-loaded in {load_s:.1f}s; Portal.start() indexes"
              + (" (stories preset to the ground truth)" if truth_stories else " and clusters them"))
    done = [0]

    def progress(k: int) -> None:
        done[0] += k
        if done[0] % 1000 == 0:
            clock.say(f"  start(): {done[0]} progress steps (index {n}, then clustering {n})")

    t = time.perf_counter()
    portal.start(progress)
    start_s = time.perf_counter() - t
    clock.say(f"synthetic: Portal.start() {start_s:.1f}s")
    ext = lib.ids_by_external_id(portal.store, "synthetic-")
    labels = {ext[e]: lab for e, lab in truth.items() if ext.get(e) in portal.catalog}
    how = "bulk_create + ground-truth story ids + Portal.start()" if truth_stories else "bulk_create + Portal.start()"
    return portal, labels, {"articles": len(labels), "seed": seed, "load_s": round(load_s, 2),
                            "start_s": round(start_s, 2), "load": how}


# -- related: nDCG@10, P@5 -------------------------------------------------------------------------
def dcg(rels: list[int]) -> float:
    return sum(r / math.log2(i + 2) for i, r in enumerate(rels))


def truth_engine(portal, labels):
    """The same RelatedEngine over a catalogue whose story ids are the ground truth (a diagnostic: it separates
    the ranking from the clustering; readers never see it)."""
    from newsportal.recommend.catalog import Catalog, Entry
    from newsportal.recommend.related import RelatedEngine

    lead: dict[str, int] = {}
    for a in sorted(labels):
        lead.setdefault(labels[a][1], a)  # ids follow publication order of the load: the original first
    cat = Catalog()
    for a in portal.catalog:
        e = portal.catalog[a]
        story = lead[labels[a][1]] if a in labels else e.story_id
        cat.put(a, Entry(e.channel_id, story, e.published, e.source_id, e.quality))

    def top_of(channel_id):
        ch = portal.channels.get(channel_id)
        return portal.channels.top_of(ch).id if ch else None

    return RelatedEngine(portal.index, cat, top_of)


def evaluate_related(portal, labels, clock: lib.Clock) -> tuple[dict, dict]:
    topic = {a: t for a, (t, _) in labels.items()}
    story = {a: s for a, (_, s) in labels.items()}
    per_topic = Counter(topic.values())
    per_topic_story = Counter(labels.values())
    runs = {"ours": portal.related.related, "baseline": portal.related.baseline,
            "ours_truth_stories": truth_engine(portal, labels).related}
    per_query: dict[str, list[float]] = {k: [] for k in runs}
    p5: dict[str, list[float]] = {k: [] for k in runs}
    copies_in_list = Counter()
    lengths: dict[str, list[int]] = {k: [] for k in runs}
    latency: dict[str, list[float]] = {k: [] for k in runs}
    lists: dict[str, list[list[int]]] = {k: [] for k in runs}
    skipped = 0
    ids = sorted(labels)
    for q in ids:
        n_rel = per_topic[topic[q]] - per_topic_story[labels[q]]
        ideal = dcg([1] * min(K, n_rel))
        for name, fn in runs.items():
            t = time.perf_counter()
            got = [a for a, _ in fn(q, K)]
            latency[name].append((time.perf_counter() - t) * 1000)
            lists[name].append(got)
            lengths[name].append(len(got))
            # articles outside the labelled corpus (none here) count as not relevant
            rels = [1 if a in topic and topic[a] == topic[q] and story[a] != story[q] else 0 for a in got]
            if any(story.get(a) == story[q] for a in got):
                copies_in_list[name] += 1
            if ideal == 0:
                continue
            per_query[name].append(dcg(rels[:K]) / ideal)
            p5[name].append(sum(rels[:P_AT]) / P_AT)
        if ideal == 0:
            skipped += 1
    n = len(per_query["ours"])
    res = {"queries": n, "skipped_no_relevant": skipped}
    for name in runs:
        res[name] = {
            "ndcg@10": sum(per_query[name]) / n if n else None,
            "p@5": sum(p5[name]) / n if n else None,
            "mean_len": sum(lengths[name]) / len(ids),
            "lists_with_copy_of_own_story": copies_in_list[name] / len(ids),
            "latency_ms": lib.summary(latency[name]),
        }
    d = [a - b for a, b in zip(per_query["ours"], per_query["baseline"], strict=True)]
    res["delta_ndcg@10"] = res["ours"]["ndcg@10"] - res["baseline"]["ndcg@10"] if n else None
    res["delta_p@5"] = res["ours"]["p@5"] - res["baseline"]["p@5"] if n else None
    res["ours_better_equal_worse"] = [sum(x > 1e-12 for x in d), sum(abs(x) <= 1e-12 for x in d),
                                      sum(x < -1e-12 for x in d)]
    rng = random.Random(1)
    boots = []
    for _ in range(1000):  # paired bootstrap over queries: 95 % interval of the nDCG delta
        sample = [d[rng.randrange(n)] for _ in range(n)]
        boots.append(sum(sample) / n)
    boots.sort()
    res["delta_ndcg@10_ci95"] = [boots[24], boots[974]] if n else None
    # coverage: published articles appearing in at least one related list
    for name in runs:
        seen = {a for lst in lists[name] for a in lst}
        res[name]["coverage"] = len(seen & set(ids)) / len(ids)
    clock.say(f"related: {len(ids)} articles x (ours, baseline) evaluated")
    return res, lists


# -- story clustering: pairwise precision / recall -------------------------------------------------
def pairs(n: int) -> int:
    return n * (n - 1) // 2


def evaluate_clustering(portal, labels) -> dict:
    pred = {a: portal.catalog.story_of(a) for a in labels}
    truth = {a: s for a, (_, s) in labels.items()}
    cells = Counter((pred[a], truth[a]) for a in labels)
    tp = sum(pairs(c) for c in cells.values())
    pred_pairs = sum(pairs(c) for c in Counter(pred.values()).values())
    true_pairs = sum(pairs(c) for c in Counter(truth.values()).values())
    precision = tp / pred_pairs if pred_pairs else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    true_multi = Counter(truth.values())
    pred_multi = Counter(pred.values())
    # store and catalogue must agree on every article's story
    store_story = {c.id: (c.story_id or c.id) for c in portal.store.cards_by_ids(list(labels)).values()}
    mismatch = sum(1 for a in labels if a in store_story and store_story[a] != pred[a])
    # the worst false merges: predicted stories spanning several true stories
    by_pred = defaultdict(set)
    for a in labels:
        by_pred[pred[a]].add(truth[a])
    lead: dict[str, int] = {}
    for a in sorted(labels):
        lead.setdefault(truth[a], a)
    originals = set(lead.values())
    absorbed = sum(1 for a in originals if pred[a] != a)
    return {
        "originals": len(originals),
        "originals_absorbed_into_another_story": absorbed,
        "pair_test": pair_test(portal, labels),
        "pairs_true": true_pairs, "pairs_predicted": pred_pairs, "pairs_correct": tp,
        "precision": precision, "recall": recall, "f1": f1,
        "true_multi_stories": sum(1 for c in true_multi.values() if c > 1),
        "predicted_multi_stories": sum(1 for c in pred_multi.values() if c > 1),
        "largest_predicted_story": max(pred_multi.values()),
        "predicted_stories_mixing_true_stories": sum(1 for s in by_pred.values() if len(s) > 1),
        "store_catalog_story_mismatch": mismatch,
    }


def pair_test(portal, labels, negatives: int = 2000, positives: int = 500) -> dict:
    """same_story() on article pairs published within the clustering window of each other: how often it says
    "one story" for two different true stories (same topic label, or not) and for true copies."""
    from newsportal.recommend.stories import WINDOW_HOURS, fingerprint, same_story

    rng = random.Random(5)
    ids = sorted(labels)
    truth = {a: s for a, (_, s) in labels.items()}
    topic = {a: t for a, (t, _) in labels.items()}
    published = {a: portal.catalog[a].published for a in ids}
    window = WINDOW_HOURS * 3600
    by_story = defaultdict(list)
    for a in ids:
        by_story[truth[a]].append(a)
    pos = [(m[0], b) for m in by_story.values() for b in m[1:]]
    rng.shuffle(pos)
    pos = pos[:positives]
    neg = []
    tries = 0
    while len(neg) < negatives and tries < negatives * 50:
        tries += 1
        a, b = rng.sample(ids, 2)
        if truth[a] != truth[b] and abs(published[a] - published[b]) <= window:
            neg.append((a, b))
    need = sorted({x for pair in pos + neg for x in pair})
    fps = {d.id: fingerprint(d) for d in portal.store.index_docs_by_ids(need)}
    n_docs = len(portal.index)

    def says_same(a, b) -> bool:
        df, _ = portal.index.doc_freqs(fps[a].tokens | fps[b].tokens)
        return same_story(fps[a], fps[b], df, n_docs) > 0

    same_topic = [(a, b) for a, b in neg if topic[a] == topic[b]]
    other_topic = [(a, b) for a, b in neg if topic[a] != topic[b]]
    rate = lambda pairs: (sum(says_same(a, b) for a, b in pairs) / len(pairs)) if pairs else None  # noqa: E731
    return {
        "copy_pairs": len(pos), "copy_pairs_said_same": rate(pos),
        "different_story_same_topic_pairs": len(same_topic), "said_same_same_topic": rate(same_topic),
        "different_story_other_topic_pairs": len(other_topic), "said_same_other_topic": rate(other_topic),
    }


# -- duplicate stories in lists --------------------------------------------------------------------
class DupTally:
    def __init__(self, portal, labels):
        self.portal = portal
        self.truth = {a: s for a, (_, s) in labels.items()}
        self.rows: dict[str, dict] = {}

    def add(self, kind: str, ids: list[int]) -> None:
        row = self.rows.setdefault(kind, {"lists": 0, "empty": 0, "items": 0, "dup_catalog": 0, "dup_truth": 0,
                                          "examples": []})
        row["lists"] += 1
        row["items"] += len(ids)
        if not ids:
            row["empty"] += 1
        cat = [self.portal.catalog.story_of(a) or a for a in ids]
        if len(set(cat)) < len(cat):
            row["dup_catalog"] += 1
            if len(row["examples"]) < 3:
                row["examples"].append(ids)
        tru = [self.truth.get(a, a) for a in ids]
        if len(set(tru)) < len(tru):
            row["dup_truth"] += 1

    def report(self) -> dict:
        for row in self.rows.values():
            row["rate_catalog"] = row["dup_catalog"] / row["lists"] if row["lists"] else 0.0
            row["rate_truth"] = row["dup_truth"] / row["lists"] if row["lists"] else 0.0
        return self.rows


def module_channels(portal):
    return [c for c in portal.channels if c.kind in (ChannelKind.TOP, ChannelKind.VERTICAL)]


def list_channels(portal):
    return [c for c in portal.channels if c.parent_id is not None]


def hot_lists(portal, tally: DupTally, suffix: str = "") -> None:
    tally.add(f"hot global ranked({HOT_SIZE}){suffix}", portal.hot.ids(HOT_SIZE))
    tally.add(f"hot global cards({HOT_SIZE}){suffix}", [c.id for c in portal.hot.cards(HOT_SIZE)])
    for ch in list_channels(portal):
        tally.add(f"hot per channel ranked(10){suffix}", portal.hot.ids(10, ch.id))
    for ch in module_channels(portal):
        tally.add(f"top_stories module({MODULE_SIZE}){suffix}", [c.id for c in portal.hot.top_stories(ch.id, MODULE_SIZE)])
        tally.add(f"top_stories(10){suffix}", [c.id for c in portal.hot.top_stories(ch.id, 10)])


def story_heavy_traffic(portal, rng: random.Random, stories: int = 25) -> list[Event]:
    """Views on *every* member of some multi-article stories, so copies compete for the hot lists."""
    multi = [m for m in (portal.catalog.story_members(s) for s in {portal.catalog.story_of(a) for a in portal.catalog})
             if len(m) > 1]
    rng.shuffle(multi)
    now = utcnow()
    events = []
    for i, members in enumerate(sorted(multi[:stories], key=len)):
        for aid in sorted(members):
            for r in range(rng.randint(40, 200)):
                at = now - timedelta(seconds=rng.uniform(0, 3 * 3600))
                events.append(Event(aid, "view", f"story-fan-{i}-{r}", at, portal.scopes_of(aid) or (), lib.BROWSER_UA))
    events.sort(key=lambda e: e.at)
    return events


def check_lists(portal, labels, related_lists, rng: random.Random, clock: lib.Clock) -> tuple[dict, dict]:
    tally = DupTally(portal, labels)
    for lst in related_lists["ours"]:
        tally.add("related (ours, 10)", lst)
    for lst in related_lists["baseline"]:
        tally.add("related baseline (reference only, not shown to readers)", lst)

    ids = sorted(labels)
    normal = lib.traffic(portal, ids, max(20_000, 20 * len(ids)), rng=rng, readers=20_000, span=timedelta(hours=12))
    fans = story_heavy_traffic(portal, rng)
    counted = lib.record_in_batches(portal.counters, sorted(normal + fans, key=lambda e: e.at))
    portal.counters.flush()
    clock.say(f"traffic: {len(normal)} normal + {len(fans)} story-heavy events, {counted} counted (embedded)")
    hot_lists(portal, tally)

    # pins: an editor pins two copies of one story (and another article) in one module
    extra = {}
    multi = sorted((m for m in (portal.catalog.story_members(s) for s in {portal.catalog.story_of(a) for a in ids})
                    if len(m) > 1), key=lambda m: -len(m))
    if multi:
        members = sorted(multi[0])[:2]
        ch = module_channels(portal)[0]
        other = next(a for a in ids if a not in multi[0])
        for pos, aid in enumerate([members[0], other, members[1]]):
            portal.pin(ch.id, aid, actor="bench", position=pos, hours=1)
        tally.add("top_stories with 2 pinned copies of one story", [c.id for c in portal.hot.top_stories(ch.id, MODULE_SIZE)])
        for aid in [members[0], other, members[1]]:
            portal.unpin(ch.id, aid)

    # personal feeds: readers read articles of one or two topics (one syndicated copy among them if any)
    by_topic = defaultdict(list)
    for a, (t, _) in labels.items():
        by_topic[t].append(a)
    truth = {a: s for a, (_, s) in labels.items()}
    story_members_truth = defaultdict(list)
    for a, s in truth.items():
        story_members_truth[s].append(a)
    copies = [m for m in story_members_truth.values() if len(m) > 1]
    read_again = {"feeds": 0, "already_read": 0, "copy_of_read_story_catalog": 0, "copy_of_read_story_truth": 0,
                  "mean_len": 0.0}
    now = utcnow()
    lens = []
    for r in range(20):
        reader = f"bench-reader-{r}"
        topics = rng.sample(sorted(by_topic), k=1 + (r % 2))
        reads = []
        for t in topics:
            reads += rng.sample(by_topic[t], k=min(6, len(by_topic[t])))
        if copies and r % 2 == 0:
            reads.append(rng.choice(copies)[0])
        for i, aid in enumerate(reads):
            portal.personal.record_read(reader, aid, at=now - timedelta(minutes=5 * (len(reads) - i)))
        if r % 3 == 0:
            portal.personal.flush()  # some histories from the store, some still buffered
        feed = [a for a, _ in portal.personal.recommend(reader, 20)]
        lens.append(len(feed))
        tally.add("personal feed (20)", feed)
        read_set = set(reads)
        read_cat = {portal.catalog.story_of(a) for a in reads}
        read_truth = {truth[a] for a in reads}
        read_again["feeds"] += 1
        read_again["already_read"] += any(a in read_set for a in feed)
        read_again["copy_of_read_story_catalog"] += any(portal.catalog.story_of(a) in read_cat for a in feed)
        read_again["copy_of_read_story_truth"] += any(truth.get(a) in read_truth for a in feed)
    read_again["mean_len"] = sum(lens) / len(lens)
    extra["personal"] = read_again

    # search: the corpus's most frequent tags, alone and in pairs; pages 1 and 2
    from sqlalchemy import func, select

    from newsportal.store.tables import ArticleTagRow

    with portal.store.session() as s:
        tags = [t for t, in s.execute(select(ArticleTagRow.tag).group_by(ArticleTagRow.tag)
                                      .order_by(func.count().desc(), ArticleTagRow.tag).limit(12))]
    queries = tags + [f"{tags[i]} {tags[i + 4]}" for i in range(min(4, len(tags) - 4))]
    cross_story = cross_article = 0
    for q in queries:
        p1, total = portal.search(q, 1, 20)
        p2, _ = portal.search(q, 2, 20)
        tally.add("search page (20)", [c.id for c in p1])
        tally.add("search page (20)", [c.id for c in p2])
        s1 = {portal.catalog.story_of(c.id) for c in p1}
        cross_story += any(portal.catalog.story_of(c.id) in s1 for c in p2)
        cross_article += any(c.id in {x.id for x in p1} for c in p2)
    extra["search"] = {"queries": queries, "queries_with_a_story_on_both_pages": cross_story,
                       "queries_with_an_article_on_both_pages": cross_article}

    # listings (one_per_story by default): home and every channel, first pages
    for page in range(1, 6):
        tally.add("home listing page (20)", [c.id for c in portal.store.list_cards(page=page, per_page=LISTING_SIZE).items])
    for ch in list_channels(portal):
        for page in range(1, 4):
            tally.add("channel listing page (20)", [c.id for c in portal.store.list_cards(
                channel_ids=portal.channels.subtree_ids(ch), page=page, per_page=LISTING_SIZE).items])
    clock.say("lists: related, hot, top stories, pins, personal, search, listings checked")
    return tally.report(), extra


# -- hot-list reaction time ------------------------------------------------------------------------
def reaction(portal, labels, backend: str, counters, rng: random.Random, tally: DupTally) -> dict:
    ids = sorted(labels)
    old = portal.counters
    portal.counters = counters
    try:
        normal = lib.traffic(portal, ids, max(20_000, 10 * len(ids)), rng=rng, readers=20_000,
                             span=timedelta(hours=6), reader_prefix=f"{backend}-n")
        lib.record_in_batches(counters, normal)
        before = portal.hot.ranked(10)
        if not before:
            return {"error": "hot list empty after normal traffic"}
        hot_ids = {a for a, _ in counters.top(len(ids) + 10)}
        cold = [a for a in ids if a not in hot_ids and len(portal.catalog.story_members(portal.catalog.story_of(a))) == 1]
        if not cold:
            cold = [a for a, _ in counters.top(len(ids) + 10)][-50:]
        target = rng.choice(cold)
        quality = portal.catalog[target].quality
        need = before[0][1] / quality  # views of weight 1 at "now" that tie the current leader
        n_burst = int(need * 1.5) + 200
        now = utcnow()
        scopes = portal.scopes_of(target) or ()
        burst = [Event(target, "view", f"{backend}-burst-{i}", now, scopes, lib.BROWSER_UA) for i in range(n_burst)]
        state = {"ingest_done": None, "counted": 0}

        def writer() -> None:
            for chunk in lib.iter_chunks(burst, 200):  # arrives as the web tier would batch it
                state["counted"] += sum(counters.record_many(chunk))
            state["ingest_done"] = time.perf_counter()

        polls = 0
        first = None
        t0 = time.perf_counter()
        th = threading.Thread(target=writer)
        th.start()
        while time.perf_counter() - t0 < REACTION_TIMEOUT_S:
            polls += 1
            top = portal.hot.ranked(10)
            if top and top[0][0] == target:
                first = time.perf_counter()
                break
            time.sleep(0.002)
        th.join()
        hot_lists(portal, tally, f" [{backend}]")
        return {
            "backend": backend,
            "normal_events": len(normal),
            "leader_score_before": before[0][1],
            "target_article": target,
            "target_quality": quality,
            "burst_events": n_burst,
            "burst_counted": state["counted"],
            "ingest_s": (state["ingest_done"] - t0) if state["ingest_done"] else None,
            "reaction_s": (first - t0) if first else None,
            "polls": polls,
            "pass": first is not None and first - t0 < REACTION_TARGET_S,
        }
    finally:
        portal.counters = old


# -- report ----------------------------------------------------------------------------------------
def fmt(x, nd=3):
    return "—" if x is None else f"{x:.{nd}f}"


def print_corpus(name: str, res: dict) -> None:
    info = res["corpus"]
    print()
    print("=" * 100)
    print(f"corpus: {name}  ({info['articles']} articles; {info['load']}; "
          + ", ".join(f"{k}={v}" for k, v in info.items() if k.endswith("_s")) + ")")
    print("=" * 100)
    r = res["related"]
    o, b = r["ours"], r["baseline"]
    print(f"related (relevant = same topic label, different story; {r['queries']} queries, "
          f"{r['skipped_no_relevant']} without any relevant article skipped)")
    print(f"  {'':28}{'nDCG@10':>10}{'P@5':>10}{'coverage':>10}{'mean len':>10}{'copy of own story':>19}{'p50 ms':>9}")
    rows = (("ours  related(id, 10)", o), ("baseline(id, 10) BM25", b),
            ("diag: ours, true stories", r["ours_truth_stories"]))
    for label, x in rows:
        print(f"  {label:28}{fmt(x['ndcg@10']):>10}{fmt(x['p@5']):>10}{fmt(x['coverage']):>10}"
              f"{x['mean_len']:>10.2f}{x['lists_with_copy_of_own_story']:>19.3f}{x['latency_ms']['p50']:>9.2f}")
    ci = r["delta_ndcg@10_ci95"]
    verdict = "PASS (ours beats baseline)" if r["delta_ndcg@10"] > 0 and r["delta_p@5"] >= 0 else "FAIL"
    print(f"  delta nDCG@10 {r['delta_ndcg@10']:+.3f} (95% CI {ci[0]:+.3f} … {ci[1]:+.3f}), delta P@5 "
          f"{r['delta_p@5']:+.3f}; per query better/equal/worse {r['ours_better_equal_worse']}  -> {verdict}")
    print("  (diag row: the same RelatedEngine over a catalogue with ground-truth story ids — separates ranking from"
          " clustering errors)")
    c = res["clustering"]
    print(f"story clustering (pairwise vs ground truth): precision {c['precision']:.3f}  recall {c['recall']:.3f}  "
          f"F1 {c['f1']:.3f}")
    print(f"  true pairs {c['pairs_true']}, predicted pairs {c['pairs_predicted']}, correct {c['pairs_correct']}; "
          f"true multi-article stories {c['true_multi_stories']}, predicted {c['predicted_multi_stories']} "
          f"(largest {c['largest_predicted_story']}, {c['predicted_stories_mixing_true_stories']} mix true stories); "
          f"store/catalogue story mismatches {c['store_catalog_story_mismatch']}")
    print(f"  originals absorbed into another story: {c['originals_absorbed_into_another_story']} of {c['originals']}")
    pt = c["pair_test"]
    print(f"  same_story() on pairs within the window: says 'one story' for {fmt(pt['copy_pairs_said_same'])} of "
          f"{pt['copy_pairs']} true copy pairs; for {fmt(pt['said_same_same_topic'])} of "
          f"{pt['different_story_same_topic_pairs']} different-story pairs of one topic and "
          f"{fmt(pt['said_same_other_topic'])} of {pt['different_story_other_topic_pairs']} of different topics")
    print("duplicate-story rate per list type (lists holding two articles of one story):")
    print(f"  {'list type':58}{'lists':>7}{'empty':>7}{'mean len':>9}{'by catalog':>12}{'by truth':>10}  ")
    for kind, row in res["duplicates"].items():
        flag = "" if row["dup_catalog"] == 0 else "  << NOT 0"
        if kind.startswith("related baseline"):
            flag = ""
        print(f"  {kind:58}{row['lists']:>7}{row['empty']:>7}{row['items'] / row['lists']:>9.1f}"
              f"{row['rate_catalog']:>12.3f}{row['rate_truth']:>10.3f}{flag}")
    p = res["extra"].get("personal", {})
    if p:
        print(f"  personal feeds: {p['feeds']} readers, mean length {p['mean_len']:.1f}; feeds with an already-read "
              f"article {p['already_read']}, with another copy of a read story: {p['copy_of_read_story_catalog']} "
              f"(catalog) / {p['copy_of_read_story_truth']} (truth)")
    s = res["extra"].get("search", {})
    if s:
        print(f"  search: {len(s['queries'])} queries x 2 pages; queries whose page 2 repeats a story of page 1: "
              f"{s['queries_with_a_story_on_both_pages']} (the very same article: {s['queries_with_an_article_on_both_pages']})")
    print("  ('by catalog' uses the portal's story ids and must be 0; 'by truth' uses the ground-truth stories and"
          " also counts copies the clustering missed)")
    print(f"hot-list reaction (burst of distinct readers on one cold article until it is first in hot.ranked(10); "
          f"target < {REACTION_TARGET_S:.0f} s):")
    for r in res["reaction"]:
        if "skipped" in r:
            print(f"  {r['backend']:9} skipped: {r['skipped']}")
            continue
        if "error" in r:
            print(f"  {r['backend']:9} error: {r['error']}")
            continue
        print(f"  {r['backend']:9} burst {r['burst_events']} views ({r['burst_counted']} counted) on article "
              f"{r['target_article']}: ingest {fmt(r['ingest_s'])} s, first in hot after {fmt(r['reaction_s'])} s "
              f"({r['polls']} polls)  -> {'PASS' if r['pass'] else 'FAIL'}")


def run_corpus(name, portal, labels, info, args, clock) -> dict:
    rng = random.Random(args.seed)
    res = {"corpus": info}
    res["related"], related_lists = evaluate_related(portal, labels, clock)
    res["clustering"] = evaluate_clustering(portal, labels)
    dups, extra = check_lists(portal, labels, related_lists, rng, clock)
    tally = DupTally(portal, labels)
    reactions = []
    reactions.append(reaction(portal, labels, "embedded", lib.embedded_counters(portal), rng, tally))
    if args.no_redis:
        reactions.append({"backend": "redis", "skipped": "--no-redis"})
    else:
        counters, why = lib.redis_counters(portal)
        if counters is None:
            reactions.append({"backend": "redis", "skipped": why})
        else:
            try:
                reactions.append(reaction(portal, labels, "redis", counters, rng, tally))
            except Exception as exc:  # report, do not lose the rest of the run
                reactions.append({"backend": "redis", "error": f"{exc.__class__.__name__}: {exc}"})
            finally:
                try:
                    counters.drop_all()
                    counters.close()
                except Exception:
                    pass
    clock.say(f"{name}: reaction times measured")
    dups.update(tally.report())
    res["duplicates"] = dups
    res["extra"] = extra
    res["reaction"] = reactions
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--synthetic", type=int, default=3000, metavar="N", help="synthetic corpus size (0: skip)")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--no-demo", action="store_true", help="skip the hand-written demo corpus")
    ap.add_argument("--no-redis", action="store_true", help="skip the Redis counters even if reachable")
    ap.add_argument("--no-truth-variant", action="store_true",
                    help="skip the synthetic run whose story ids are preset to the ground truth")
    args = ap.parse_args()

    clock = lib.Clock()
    machine = lib.machine_info()
    report = {"benchmark": "recommend_eval", "started": lib.timestamp(), "machine": machine,
              "args": vars(args), "corpora": {}}
    tmp = Path(tempfile.mkdtemp(prefix="np-eval-"))
    try:
        if not args.no_demo:
            portal, labels, info = build_demo(tmp, clock)
            report["corpora"]["demo"] = run_corpus("demo", portal, labels, info, args, clock)
            portal.close()
        if args.synthetic > 0:
            portal, labels, info = build_synthetic(tmp, args.synthetic, args.seed, clock)
            report["corpora"]["synthetic"] = run_corpus("synthetic", portal, labels, info, args, clock)
            portal.close()
            if not args.no_truth_variant:
                portal, labels, info = build_synthetic(tmp, args.synthetic, args.seed, clock, truth_stories=True)
                name = "synthetic, ground-truth stories (clustering bypassed; diagnostic)"
                report["corpora"][name] = run_corpus(name, portal, labels, info, args, clock)
                portal.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report["elapsed_s"] = round(time.perf_counter() - clock.t0, 1)

    print()
    print(f"recommend_eval — {report['started']} — {machine['nproc']} cores, {machine['cpu_model']}, "
          f"Python {machine['python']}")
    for name, res in report["corpora"].items():
        print_corpus(name, res)
    out = lib.write_json("recommend-eval", report)
    print()
    print(f"elapsed {report['elapsed_s']} s; results written to {out.relative_to(lib.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
