#!/usr/bin/env python3
"""Recommendation quality on the hand-labelled sets of ``bench/eval`` (labels the engine never reads).

    .venv/bin/python bench/recommend_eval.py                 # held-out half (the reported figures)
    .venv/bin/python bench/recommend_eval.py --split dev     # development half (tune on this one only)

Each half of the story corpus (``bench/eval/stories_*.jsonl``) is loaded into a real Portal (SQLite in a
temporary directory, in-memory search index) through the publish flow (``save_article``: clustering,
quality of title and body, sentence vectors). Corpus sources are mapped to demo source keys, one each.
Reported:

* **Related**: P@5 and nDCG@10 of ``related(id, 15)`` and of plain BM25 (``RelatedEngine.baseline``) for
  every judged query of the half (``related_judgements.jsonl``). Relevance is the hand ``subject`` label:
  same subject, another story. Items of the query's own story (by label) are removed from both lists before
  the cut (a copy is neither a hit nor a miss; the duplicate rate below counts them). 95% intervals by
  bootstrap over queries (2,000 resamples, fixed seed), for ours, the baseline and the difference.
* **Clickbait**: held-out precision / recall of the shipped model through ``assess`` (as
  ``bench/eval/clickbait_eval.py`` computes them).
* **Duplicate-story rate**: lists (related for every article, hot global and per channel after simulated
  traffic, 为你推荐 for simulated readers, every channel page and the home list as the web views build them,
  search with each title as the query) holding two articles of one labelled story.
* **为你推荐 channel following**: for each channel with at least 10 articles, a reader reads 8 of them; the
  share of the top 10 in that channel, against the most the channel could fill with unread stories.

Nothing is written outside a temporary directory except ``bench/results/recommend-eval-<UTC>.json``.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import UTC
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "eval"))

import _benchlib as lib  # noqa: E402
import corpus  # noqa: E402
from clickbait_common import DEV, HELDOUT, metrics  # noqa: E402
from clickbait_common import load as load_titles  # noqa: E402

from newsportal.counters import Event  # noqa: E402
from newsportal.domain import ArticleDraft  # noqa: E402
from newsportal.newsroom.publish import save_article  # noqa: E402
from newsportal.recommend.quality import assess  # noqa: E402
from newsportal.text.sanitize import paragraphs_to_html  # noqa: E402
from newsportal.timeutil import utcnow  # noqa: E402

K, P_AT = 10, 5
BOOTSTRAP = 2000


# -- loading ---------------------------------------------------------------------------------------
def build(split: str, tmp: Path) -> tuple[object, dict[int, corpus.EvalArticle]]:
    """A started portal holding one half of the corpus, and article id → its labelled article."""
    portal = lib.new_portal(tmp / split, index_in_memory=True)
    portal.start()
    keys = sorted(portal.sources_by_key)
    items = corpus.load(split)
    source_of = {name: keys[i % len(keys)] for i, name in enumerate(sorted({a.source for a in items}))}
    labels = {}
    # The corpus is dated across a year that may still lie ahead of the wall clock: publish "as of" its
    # newest article, so the future-date check judges each article against the corpus's own time.
    as_of = max(a.published_at for a in items).astimezone(UTC).replace(tzinfo=None)
    for a in sorted(items, key=lambda x: x.published_at):
        draft = ArticleDraft(title=a.title, body_html=paragraphs_to_html(a.paragraphs),
                             channel_slug=a.channel, source_key=source_of[a.source],
                             external_id=f"eval-{a.id}",
                             published_at=a.published_at.astimezone(UTC).replace(tzinfo=None))
        article, _ = save_article(portal, draft, actor="bench", publish_now=True, now=as_of)
        labels[article.id] = a
    portal.embedding.drain()  # every vector in, as the server's embedding thread would have them by now
    return portal, labels


# -- related ---------------------------------------------------------------------------------------
def judged(query: corpus.EvalArticle, ids: list[int], labels: dict) -> list[int]:
    """1/0 relevance of a list, the query's own story (by label) removed, cut at K.

    Strict: relevant = same subject, another story, and a story not already in the list (a second copy of
    one story tells the reader nothing new).
    """
    out, seen = [], set()
    for aid in ids:
        cand = labels.get(aid)
        if cand is None or cand.story == query.story:
            continue
        out.append(int(cand.subject == query.subject and cand.story not in seen))
        seen.add(cand.story)
    return out[:K]


def ndcg(rels: list[int], n_relevant: int) -> float:
    dcg = sum(r / math.log2(i + 2) for i, r in enumerate(rels))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(K, n_relevant)))
    return dcg / ideal if ideal else 0.0


def bootstrap(values: list[float], seed: int = 2026) -> tuple[float, float]:
    rng = random.Random(seed)
    n = len(values)
    means = sorted(sum(values[rng.randrange(n)] for _ in range(n)) / n for _ in range(BOOTSTRAP))
    return means[int(0.025 * BOOTSTRAP)], means[int(0.975 * BOOTSTRAP) - 1]


def evaluate_related(portal, labels: dict, split: str) -> dict:
    by_ext = {a.id: aid for aid, a in labels.items()}
    rows = {"ours": defaultdict(list), "bm25": defaultdict(list)}
    for j in corpus.judgements(split):
        aid = by_ext[j.query]
        query = labels[aid]
        n_rel = len(j.relevant_stories)
        for name, ids in (("ours", [a for a, _ in portal.related.related(aid, 15)]),
                          ("bm25", [a for a, _ in portal.related.baseline(aid, 15)])):
            rels = judged(query, ids, labels)
            rows[name]["p5"].append(sum(rels[:P_AT]) / P_AT)
            rows[name]["ndcg"].append(ndcg(rels, n_rel))
    out: dict = {"queries": len(rows["ours"]["p5"])}
    for metric in ("p5", "ndcg"):
        ours, base = rows["ours"][metric], rows["bm25"][metric]
        diff = [a - b for a, b in zip(ours, base, strict=True)]
        out[metric] = {
            "ours": sum(ours) / len(ours), "ours_ci": bootstrap(ours),
            "bm25": sum(base) / len(base), "bm25_ci": bootstrap(base),
            "diff": sum(diff) / len(diff), "diff_ci": bootstrap(diff),
            "better": sum(d > 0 for d in diff), "equal": sum(d == 0 for d in diff),
            "worse": sum(d < 0 for d in diff),
        }
    return out


# -- lists and duplicates --------------------------------------------------------------------------
def dup(ids: list[int], labels: dict) -> bool:
    stories = [labels[a].story for a in ids if a in labels]
    return len(stories) != len(set(stories))


def simulate_traffic(portal, labels: dict, rng: random.Random) -> None:
    now = utcnow()  # the hot lists decay from the wall clock
    events = []
    for aid in labels:
        for r in range(rng.randint(1, 40)):
            events.append(Event(aid, "view", f"{r:032x}", now, portal.scopes_of(aid) or (), None))
    lib.record_in_batches(portal.counters, events)


def personal_figures(portal, labels: dict, rng: random.Random) -> tuple[dict, list[list[int]]]:
    """Channel following after 8 reads of one channel; returns figures and every list made."""
    by_channel: dict[int, list[int]] = defaultdict(list)
    for aid in labels:
        by_channel[portal.catalog[aid].channel_id].append(aid)
    rows, lists = [], []
    clock_now = max(a.published_at for a in labels.values()).astimezone(UTC).replace(tzinfo=None)
    portal.personal.clock = lambda: clock_now
    for channel_id, members in sorted(by_channel.items()):
        if len(members) < 10:
            continue
        reader = f"{channel_id:032x}"
        reads = rng.sample(sorted(members), 8)
        for aid in reads:
            portal.personal.record_read(reader, aid)
        got = [a for a, _ in portal.personal.recommend(reader, K)]
        lists.append(got)
        read_stories = {labels[a].story for a in reads}
        unread = {labels[a].story for a in members if labels[a].story not in read_stories}
        in_channel = sum(portal.catalog[a].channel_id == channel_id for a in got)
        subjects = {labels[a].subject for a in reads}
        rows.append({"channel": channel_id, "slug": portal.channels.get(channel_id).slug,
                     "in_channel": in_channel, "possible": min(K, len(unread)),
                     "same_subject": sum(labels[a].subject in subjects for a in got if a in labels),
                     "read_story_repeats": sum(labels[a].story in read_stories for a in got if a in labels)})
    possible = sum(r["possible"] for r in rows) or 1
    return {"readers": len(rows), "in_channel": sum(r["in_channel"] for r in rows),
            "possible": possible, "following": sum(r["in_channel"] for r in rows) / possible,
            "read_story_repeats": sum(r["read_story_repeats"] for r in rows), "rows": rows}, lists


def page_lists(portal) -> tuple[list[list[int]], list[list[int]]]:
    """Every page of every channel listing and the home list, as the web pages build them."""
    from newsportal.web import views

    channel_lists = []
    for channel in portal.channels:
        page = 1
        while True:
            listing = views.channel_page(portal, channel, page)
            if not listing.items:
                break
            channel_lists.append([c.id for c in listing.items])
            if page >= listing.pages:
                break
            page += 1
    return channel_lists, [[c.id for c in views.home_lead(portal, 30)]]


def duplicate_rates(portal, labels: dict, personal_lists: list[list[int]]) -> dict:
    related = [[a for a, _ in portal.related.related(aid, 8)] for aid in labels]
    channels = sorted({portal.catalog[a].channel_id for a in labels})
    hot = [portal.hot.ids(20)] + [portal.hot.ids(5, c) for c in channels]
    search = [[c.id for c in portal.search(a.title, 1, 10)[0]] for a in labels.values()]
    channel_pages, home = page_lists(portal)
    out = {}
    for name, lists in (("related", related), ("hot", hot), ("personal", personal_lists),
                        ("channel", channel_pages), ("home", home), ("search", search)):
        out[name] = {"lists": len(lists), "with_duplicate": sum(dup(x, labels) for x in lists)}
    return out


def clickbait_figures(split: str) -> dict:
    records = load_titles(HELDOUT if split == "heldout" else DEV)
    m = metrics([r["label"] == "clickbait" for r in records], [assess(r["title"]).clickbait for r in records])
    return {k: m[k] for k in ("n", "tp", "fp", "fn", "precision", "recall")}


# -- report ----------------------------------------------------------------------------------------
def ci(pair: tuple[float, float]) -> str:
    return f"[{pair[0]:.3f}, {pair[1]:.3f}]"


def print_report(rep: dict) -> None:
    r = rep["related"]
    print(f"\n== {rep['split']} half: {rep['articles']} articles, {r['queries']} judged queries ==")
    for metric, name in (("p5", "P@5"), ("ndcg", "nDCG@10")):
        m = r[metric]
        print(f"related {name:<8} ours {m['ours']:.3f} {ci(m['ours_ci'])}   BM25 {m['bm25']:.3f} "
              f"{ci(m['bm25_ci'])}   diff {m['diff']:+.3f} {ci(m['diff_ci'])}   "
              f"better/equal/worse {m['better']}/{m['equal']}/{m['worse']}")
    c = rep["clickbait"]
    print(f"clickbait titles ({rep['split']}): n={c['n']} tp={c['tp']} fp={c['fp']} fn={c['fn']} "
          f"P={c['precision']:.3f} R={c['recall']:.3f}")
    for name, d in rep["duplicates"].items():
        print(f"duplicate-story lists, {name:<9} {d['with_duplicate']}/{d['lists']}")
    p = rep["personal"]
    print(f"为你推荐 after 8 reads of one channel: {p['in_channel']}/{p['possible']} of the possible top-10"
          f" slots in that channel ({p['following']:.2f}), {p['readers']} readers; read-story repeats "
          f"{p['read_story_repeats']}")
    for row in p["rows"]:
        print(f"  {row['slug']:<14} {row['in_channel']}/{row['possible']} in channel, "
              f"{row['same_subject']} on a subject read, {row['read_story_repeats']} read-story repeats")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=corpus.SPLITS, default="heldout")
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    t = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="recommend-eval-") as tmp:
        portal, labels = build(args.split, Path(tmp))
        try:
            rep: dict = {"split": args.split, "articles": len(labels),
                         "load_s": round(time.perf_counter() - t, 1)}
            rep["related"] = evaluate_related(portal, labels, args.split)
            rep["clickbait"] = clickbait_figures(args.split)
            simulate_traffic(portal, labels, rng)
            rep["personal"], personal_lists = personal_figures(portal, labels, rng)
            rep["duplicates"] = duplicate_rates(portal, labels, personal_lists)
            rep["clusters"] = Counter(len(portal.catalog.story_members(s)) for s in
                                      {portal.catalog.story_of(a) for a in labels})
        finally:
            portal.close()
    print_report(rep)
    path = lib.write_json(f"recommend-eval-{args.split}", rep)
    print(f"\nwritten {path} in {time.perf_counter() - t:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
