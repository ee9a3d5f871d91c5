"""Story clustering against the hand labels of ``stories_dev.jsonl`` / ``stories_heldout.jsonl`` (issue 10).

    .venv/bin/python bench/eval/cluster_eval.py               # dev only (tune here)
    .venv/bin/python bench/eval/cluster_eval.py --heldout     # dev and held-out (report held-out)
    .venv/bin/python bench/eval/cluster_eval.py --errors      # also list wrong and missed pairs (dev)

Each half is clustered on its own, oldest article first, by the engine's ``StoryClusterer`` both ways it runs
in the portal: one article at a time (``assign`` + ``add``, as on publish) and in bulk (``cluster_bulk``, as
on a first start after a bulk load). Document frequencies come from the half itself, standing in for the
search index. Everything is measured by the ``story`` labels, never by the engine's ids:

- pairwise precision / recall / F1 over all pairs of the half;
- copies joined to their original, per transform; follow-ups and siblings wrongly merged with the original;
- lists built from the half as the portal builds them (newest first per channel, the home list, and a
  related list per article ranked by shared rare words), each cut to one article per *predicted* story,
  then checked for two articles of one *labelled* story.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))

import corpus  # noqa: E402

from newsportal.recommend.stories import StoryClusterer  # noqa: E402
from newsportal.recommend.story_match import features  # noqa: E402
from newsportal.search.docs import IndexDoc  # noqa: E402

LIST_LENGTH = 10


def index_docs(articles: list[corpus.EvalArticle]) -> tuple[list[IndexDoc], dict[int, corpus.EvalArticle]]:
    channels = {c: i for i, c in enumerate(sorted({a.channel for a in articles}), start=1)}
    sources = {s: i for i, s in enumerate(sorted({a.source for a in articles}), start=1)}
    docs, by_id = [], {}
    for n, a in enumerate(sorted(articles, key=lambda a: (a.published_at, a.id)), start=1):
        docs.append(IndexDoc(n, a.title, a.body, (), channels[a.channel], sources[a.source], a.published_at))
        by_id[n] = a
    return docs, by_id


def corpus_stats(docs: list[IndexDoc]):
    """A ``doc_freqs`` over the half, like the search index's (document frequency of each word)."""
    df: Counter[str] = Counter()
    for d in docs:
        df.update(features(d)[0])
    n = len(docs)
    return lambda terms: ({t: df[t] for t in terms if t in df}, n), df


def cluster(docs: list[IndexDoc], mode: str) -> dict[int, int]:
    stats, _ = corpus_stats(docs)
    clusterer = StoryClusterer()
    if mode == "bulk":
        return clusterer.cluster_bulk(docs, stats)
    out = {}
    for d in docs:
        story, fp = clusterer.assign(d, stats)
        clusterer.add(d.id, fp, story)
        out[d.id] = story
    return out


def pair_scores(predicted: dict[int, int], by_id: dict[int, corpus.EvalArticle]) -> dict:
    tp = fp = fn = 0
    wrong, missed = [], []
    for x, y in combinations(sorted(by_id), 2):
        truth = by_id[x].story == by_id[y].story
        said = predicted[x] == predicted[y]
        tp += truth and said
        fp += said and not truth
        fn += truth and not said
        if said and not truth:
            wrong.append((by_id[x].id, by_id[y].id))
        if truth and not said:
            missed.append((by_id[x].id, by_id[y].id))
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f1, "wrong": wrong,
            "missed": missed}


def role_counts(predicted: dict[int, int], by_id: dict[int, corpus.EvalArticle]) -> dict:
    num = {a.id: n for n, a in by_id.items()}
    joined: Counter[str] = Counter()
    total: Counter[str] = Counter()
    followups = siblings = distractors = 0
    for n, a in by_id.items():
        if a.role == "copy":
            original = predicted[num[f"{a.group}-original"]]
            for t in a.transform:
                total[t] += 1
                joined[t] += predicted[n] == original
        elif a.role == "followup":
            followups += predicted[n] == predicted[num[f"{a.group}-original"]]
        elif a.role == "sibling":
            siblings += predicted[n] == predicted[num[f"{a.group}-original"]]
        elif a.role == "distractor":
            distractors += any(predicted[m] == predicted[n] for m in by_id if m != n)
    return {"copies_joined": {t: f"{joined[t]}/{total[t]}" for t in sorted(total)},
            "followups_merged": followups, "siblings_merged": siblings, "distractors_merged": distractors}


def one_per_story(ids: list[int], predicted: dict[int, int]) -> list[int]:
    seen, out = set(), []
    for i in ids:
        if predicted[i] not in seen:
            seen.add(predicted[i])
            out.append(i)
    return out


def list_duplicates(docs: list[IndexDoc], predicted: dict[int, int],
                    by_id: dict[int, corpus.EvalArticle]) -> dict:
    """Lists with two articles of one labelled story, after the portal's one-per-predicted-story cut."""
    _, df = corpus_stats(docs)
    n = len(docs)
    words = {d.id: features(d)[0] for d in docs}
    newest = [d.id for d in sorted(docs, key=lambda d: d.published_at, reverse=True)]
    lists: dict[str, list[list[int]]] = defaultdict(list)
    by_channel: dict[int, list[int]] = defaultdict(list)
    for d_id in newest:
        by_channel[next(d.channel_id for d in docs if d.id == d_id)].append(d_id)
    for ids in by_channel.values():
        for start in range(0, len(ids), LIST_LENGTH):  # every page of the channel listing
            lists["channel"].append(one_per_story(ids[start:], predicted)[:LIST_LENGTH])
    lists["home"].append(one_per_story(newest, predicted)[:30])
    idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
    for d in docs:  # related / search order: shared rare words, own story left out
        scored = sorted((-sum(idf[t] for t in words[d.id] & words[o.id]), o.id) for o in docs if o.id != d.id)
        ranked = [o for s, o in scored if s < 0 and predicted[o] != predicted[d.id]]
        lists["related"].append(one_per_story(ranked, predicted)[:LIST_LENGTH])
    out = {}
    for kind, rows in lists.items():
        dup = sum(1 for ids in rows if len({by_id[i].story for i in ids}) < len(ids))
        out[kind] = f"{dup}/{len(rows)}"
    out["total_with_two_of_one_story"] = sum(int(v.split("/")[0]) for v in out.values())
    return out


def evaluate(split: str, errors: bool = False) -> dict:
    articles = corpus.load(split)
    docs, by_id = index_docs(articles)
    report: dict = {"split": split, "articles": len(articles)}
    results = {mode: cluster(docs, mode) for mode in ("incremental", "bulk")}
    report["bulk_equals_incremental"] = results["bulk"] == results["incremental"]
    predicted = results["bulk"]
    scores = pair_scores(predicted, by_id)
    report.update({k: scores[k] for k in ("tp", "fp", "fn", "precision", "recall", "f1")})
    report.update(role_counts(predicted, by_id))
    report["lists"] = list_duplicates(docs, predicted, by_id)
    if errors:
        report["wrong_pairs"] = scores["wrong"]
        report["missed_pairs"] = scores["missed"]
    return report


def show(report: dict) -> None:
    print(f"== {report['split']} ({report['articles']} articles) ==")
    print(f"pairwise precision {report['precision']:.3f}  recall {report['recall']:.3f}  "
          f"F1 {report['f1']:.3f}  (tp {report['tp']}, fp {report['fp']}, fn {report['fn']})")
    print("copies joined by transform:", report["copies_joined"])
    print(f"follow-ups wrongly merged {report['followups_merged']}, siblings wrongly merged "
          f"{report['siblings_merged']}, distractors merged with anything {report['distractors_merged']}")
    print("lists with two articles of one story:", report["lists"])
    print("bulk clustering equals one-at-a-time:", report["bulk_equals_incremental"])
    for key in ("wrong_pairs", "missed_pairs"):
        if key in report:
            print(f"{key}: {report[key]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", action="store_true", help="also score the held-out half (report only)")
    parser.add_argument("--errors", action="store_true", help="list wrong and missed pairs on dev")
    args = parser.parse_args()
    show(evaluate("dev", args.errors))
    if args.heldout:
        show(evaluate("heldout"))


if __name__ == "__main__":
    main()
