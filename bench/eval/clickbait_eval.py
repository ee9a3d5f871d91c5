"""Clickbait precision / recall: 5-fold cross-validation on the development half, then the held-out half.

    .venv/bin/python bench/eval/clickbait_eval.py              # dev CV and held-out
    .venv/bin/python bench/eval/clickbait_eval.py --dev-only   # while iterating: never look at held-out

Cross-validation retrains the model on four fifths of the development titles and scores the fifth, with
the same settings as the shipped model. The held-out figures use the shipped model file as it is (trained
on the whole development half, never on held-out titles) through `assess`, i.e. exactly what the portal runs.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from clickbait_common import DEV, HELDOUT, folds, load, metrics, train  # noqa: E402

from newsportal.recommend.quality import assess  # noqa: E402
from newsportal.recommend.quality.features import title_features  # noqa: E402


def line(name: str, m: dict) -> str:
    return (f"{name:<28} n={m['n']:>3} clickbait={m['positives']:>3} tp={m['tp']:>3} fp={m['fp']:>2} "
            f"fn={m['fn']:>2}  P={m['precision']:.3f} R={m['recall']:.3f} F1={m['f1']:.3f}")


def cross_validate(records: list[dict], k: int = 5) -> list[bool]:
    fold = folds(records, k)
    flagged = [False] * len(records)
    for f in range(k):
        model = train([r for r, g in zip(records, fold, strict=True) if g != f])
        for i, r in enumerate(records):
            if fold[i] == f:
                flagged[i] = model.probability(title_features(r["title"])) >= model.threshold
    return flagged


def report(name: str, records: list[dict], flagged: list[bool], show_errors: bool) -> None:
    truth = [r["label"] == "clickbait" for r in records]
    print(line(name, metrics(truth, flagged)))
    by_style: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        by_style[r["style"]].append(i)
    for style in sorted(by_style):
        idx = by_style[style]
        print(line(f"  {style}", metrics([truth[i] for i in idx], [flagged[i] for i in idx])))
    if show_errors:
        for r, f in zip(records, flagged, strict=True):
            if f != (r["label"] == "clickbait"):
                print(f"    {'FP' if f else 'FN'} {r['style']:<10} {r['title']}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dev-only", action="store_true", help="skip the held-out half")
    ap.add_argument("--errors", action="store_true", help="list misclassified titles")
    args = ap.parse_args()
    dev = load(DEV)
    report("dev, 5-fold cross-validated", dev, cross_validate(dev), args.errors)
    if not args.dev_only:
        held = load(HELDOUT)
        report("held-out, shipped model", held, [assess(r["title"]).clickbait for r in held], args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
