"""How the near-copy guard's thresholds were chosen (``newsportal/recommend/copies.py``): dev half only.

    .venv/bin/python bench/eval/copy_guard.py            # development half (the thresholds come from here)
    .venv/bin/python bench/eval/copy_guard.py --split heldout   # reporting only, never for choosing

For every pair of articles of the half published within ``COPY_GAP_HOURS`` of each other, it computes what
the guard reads: the cosine of the shipped embedder's vectors (title and lead, as the portal embeds them)
and the idf-weighted share of the smaller signature (the index's top terms) found in the other, with idf
over the half. It prints how the same-story pairs (by the ``story`` labels) and the different-story pairs
spread over both, and how many of each a grid of thresholds would call copies, so the chosen setting (the
guard's constants, marked ``*``) can be checked against its neighbours.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from itertools import combinations
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))

import corpus  # noqa: E402

from newsportal.recommend.copies import COPY_COS, COPY_COS_ALONE, COPY_GAP_HOURS, COPY_WORDS  # noqa: E402
from newsportal.recommend.semantic import default_embedder  # noqa: E402
from newsportal.recommend.vectors import embed_text  # noqa: E402
from newsportal.search.bm25 import idf as bm25_idf  # noqa: E402
from newsportal.search.docs import IndexDoc  # noqa: E402
from newsportal.search.index import doc_terms  # noqa: E402
from newsportal.text import tokenize  # noqa: E402


def pairs(split: str) -> tuple[list[tuple[float, float, str, str]], list[tuple[float, float, str, str]]]:
    """(cosine, word share, id, id) of same-story and of different-story pairs published close together."""
    arts = sorted(corpus.load(split), key=lambda a: (a.published_at, a.id))
    docs = [IndexDoc(i, a.title, a.body, (), 1, 1, a.published_at) for i, a in enumerate(arts)]
    sigs = [set(doc_terms(d)[2]) for d in docs]
    df: Counter[str] = Counter()
    for d in docs:
        df.update(set(tokenize(d.text)))

    def idf(t: str) -> float:
        return bm25_idf(df[t], len(docs)) if df.get(t) else 0.0

    vecs = default_embedder().embed([embed_text(a.title, a.body) for a in arts])
    same, different = [], []
    for i, j in combinations(range(len(arts)), 2):
        a, b = arts[i], arts[j]
        if abs((a.published_at - b.published_at).total_seconds()) > COPY_GAP_HOURS * 3600:
            continue
        smaller = min(sum(idf(t) for t in sigs[i]), sum(idf(t) for t in sigs[j]))
        share = sum(idf(t) for t in sigs[i] & sigs[j]) / smaller if smaller > 0 else 0.0
        row = (float(vecs[i] @ vecs[j]), share, a.id, b.id)
        (same if a.story == b.story else different).append(row)
    return same, different


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=corpus.SPLITS, default="dev")
    args = ap.parse_args()
    same, different = pairs(args.split)
    print(f"{args.split}: pairs published within {COPY_GAP_HOURS:.0f} h: {len(same)} same-story, "
          f"{len(different)} different-story")
    for name, k in (("cosine", 0), ("word share", 1)):
        low = [round(r[k], 3) for r in sorted(same, key=lambda r: r[k])[:3]]
        high = [round(r[k], 3) for r in sorted(different, key=lambda r: -r[k])[:3]]
        print(f"  {name:<10}: same-story lowest {low!s:<22} different-story highest {high}")
    print("  closest different-story pairs:",
          [(p, q, round(c, 3), round(w, 3)) for c, w, p, q in sorted(different, key=lambda r: -r[1])[:4]])
    print("  cosine ≥  word share ≥   same-story called copies   different-story called copies")
    for c in (0.45, 0.5, 0.55, 0.6, 0.65):
        for w in (0.2, 0.25, 0.3):
            mark = "*" if (c, w) == (COPY_COS, COPY_WORDS) else " "
            print(f"  {c:<9.2f} {w:<10.2f}{mark} {sum(r[0] >= c and r[1] >= w for r in same):>3}/{len(same):<22}"
                  f" {sum(r[0] >= c and r[1] >= w for r in different)}/{len(different)}")
    alone = (sum(r[0] >= COPY_COS_ALONE for r in same), sum(r[0] >= COPY_COS_ALONE for r in different))
    print(f"  meaning alone (no index), cosine ≥ {COPY_COS_ALONE}: same {alone[0]}/{len(same)}, "
          f"different {alone[1]}/{len(different)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
