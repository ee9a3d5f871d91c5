"""Story clustering speed at scale: the bulk clustering of a first start, and one new article on publish.

    .venv/bin/python bench/cluster_speed.py --articles 100000 [--seed 2026] [--publish 200] [--index]

``newsportal.demo.synthetic.generate(N)`` (the corpus ``newsportal demo --articles N`` loads: 60 days of
articles, one in twenty a reworded copy) is turned into index documents, then:

1. **bulk**: ``StoryClusterer.cluster_bulk`` over all N, oldest first — what ``startup.load_stories`` runs
   on a first start after a bulk load (store reads and the one-statement-per-batch story write are not
   included; they are timed by ``bench/recommend_speed.py``'s full first start);
2. **publish**: ``assign`` + ``add`` for ``--publish`` further articles, one at a time (p50/p95 ms), with
   the window full — the clustering part of publishing one article.

Corpus statistics: by default a dictionary of document frequencies built from the N articles (the search
index's figures, without the index); ``--index`` builds a real in-memory search index of the N articles
and uses its ``doc_freqs`` (slower to prepare, and it also times ``upsert`` of each published article).
Also prints pairwise precision/recall against the generator's story labels (a sanity check only: the
synthetic copies are easy; the real figures come from ``bench/eval/cluster_eval.py``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsportal.demo.synthetic import generate  # noqa: E402
from newsportal.recommend.stories import StoryClusterer  # noqa: E402
from newsportal.recommend.story_match import features  # noqa: E402
from newsportal.search.docs import IndexDoc  # noqa: E402
from newsportal.text import html_to_text  # noqa: E402

NOW = datetime(2026, 11, 25, 12, 0, 0)


def corpus(n: int, seed: int) -> tuple[list[IndexDoc], dict[int, str]]:
    docs, truth = [], {}
    for i, item in enumerate(generate(n, seed=seed, now=NOW), start=1):
        d = item.draft
        docs.append(IndexDoc(i, d.title, html_to_text(d.body_html), tuple(d.tags), 1, 1, d.published_at))
        truth[i] = item.story
    return docs, truth


def pairwise(predicted: dict[int, int], truth: dict[int, str]) -> tuple[float, float]:
    def pairs(labels: dict) -> set[tuple[int, int]]:
        groups = defaultdict(list)
        for a, s in labels.items():
            groups[s].append(a)
        return {(x, y) for g in groups.values() for i, x in enumerate(sorted(g)) for y in sorted(g)[i + 1:]}

    p, t = pairs(predicted), pairs(truth)
    return (len(p & t) / len(p) if p else 1.0), (len(p & t) / len(t) if t else 1.0)


def percentiles(values: list[float]) -> dict:
    ordered = sorted(values)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return {"p50": round(statistics.median(ordered), 2), "p95": round(p95, 2), "max": round(ordered[-1], 2),
            "n": len(ordered)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--publish", type=int, default=200)
    parser.add_argument("--index", action="store_true", help="use a real in-memory search index")
    args = parser.parse_args()

    t = time.perf_counter()
    docs, truth = corpus(args.articles + args.publish, args.seed)
    docs.sort(key=lambda d: (d.published_at, d.id))
    later = docs[-args.publish:] if args.publish else []
    bulk = docs[:len(docs) - len(later)]
    report: dict = {"articles": len(bulk), "generate_s": round(time.perf_counter() - t, 1)}

    t = time.perf_counter()
    index = None
    if args.index:
        from newsportal.search import TextIndex

        index = TextIndex(None)
        index.add_many(bulk)
        doc_freqs = index.doc_freqs
        report["index_build_s"] = round(time.perf_counter() - t, 1)
    else:
        df: Counter[str] = Counter()
        for d in bulk:
            df.update(features(d)[0])
        n_docs = len(bulk)
        doc_freqs = lambda terms: ({x: df[x] for x in terms if x in df}, n_docs)  # noqa: E731
        report["df_build_s"] = round(time.perf_counter() - t, 1)

    clusterer = StoryClusterer()
    t, cpu = time.perf_counter(), time.process_time()
    predicted = clusterer.cluster_bulk(bulk, doc_freqs)
    report["bulk_cluster_s"] = round(time.perf_counter() - t, 1)
    report["bulk_cluster_cpu_s"] = round(time.process_time() - cpu, 1)  # the machine is shared
    report["bulk_ms_per_article"] = round(report["bulk_cluster_s"] * 1000 / len(bulk), 2)
    report["window_size"] = len(clusterer)

    cluster_ms, index_ms = [], []
    for d in later:
        t = time.perf_counter()
        story, fp = clusterer.assign(d, doc_freqs)
        clusterer.add(d.id, fp, story)
        cluster_ms.append((time.perf_counter() - t) * 1000)
        predicted[d.id] = story
        if index is not None:
            t = time.perf_counter()
            index.upsert(d)
            index_ms.append((time.perf_counter() - t) * 1000)
    if cluster_ms:
        report["publish_cluster_ms"] = percentiles(cluster_ms)
    if index_ms:
        report["publish_index_upsert_ms"] = percentiles(index_ms)
    precision, recall = pairwise(predicted, truth)
    report["synthetic_pairwise_precision"] = round(precision, 4)
    report["synthetic_pairwise_recall"] = round(recall, 4)
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
