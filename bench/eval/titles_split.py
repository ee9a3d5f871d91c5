"""Deterministic development / held-out split of the labelled titles, stratified by style and label.

Why a script: anyone can check that the held-out half was chosen by a rule, not by how a model fared on it.
Within each (style, label) stratum the titles are ordered by the SHA-1 of their text and dealt alternately,
dev first. Run `python bench/eval/titles_split.py --check` to verify the two committed files obey it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEV, HELDOUT = HERE / "titles_dev.jsonl", HERE / "titles_heldout.jsonl"
STYLES = ("self-media", "official", "partner", "portal")
LABELS = ("clickbait", "sober")


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def split(records: list[dict]) -> tuple[list[dict], list[dict]]:
    """(dev, held-out): alternate within each stratum in SHA-1 order of the title."""
    strata: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in records:
        strata[(r["style"], r["label"])].append(r)
    dev, held = [], []
    for key in sorted(strata):
        ordered = sorted(strata[key], key=lambda r: hashlib.sha1(r["title"].encode("utf-8")).hexdigest())
        for i, r in enumerate(ordered):
            (dev if i % 2 == 0 else held).append(r)
    return sorted(dev, key=lambda r: r["id"]), sorted(held, key=lambda r: r["id"])


def validate(records: list[dict]) -> None:
    titles = [r["title"] for r in records]
    if len(set(titles)) != len(titles):
        raise SystemExit("duplicate titles")
    for r in records:
        if r["style"] not in STYLES or r["label"] not in LABELS:
            raise SystemExit(f"bad style/label: {r}")
        if r["label"] == "clickbait" and not r["devices"]:
            raise SystemExit(f"clickbait without a named device: {r['title']}")


def write(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true", help="verify the committed split")
    args = ap.parse_args()
    records = load(DEV) + load(HELDOUT)
    validate(records)
    dev, held = split(records)
    if args.check:
        ok = [r["id"] for r in dev] == [r["id"] for r in load(DEV)]
        print(f"{len(dev)} dev, {len(held)} held-out; split {'matches' if ok else 'DOES NOT match'} the rule")
        return 0 if ok else 1
    write(DEV, dev)
    write(HELDOUT, held)
    print(f"wrote {len(dev)} dev and {len(held)} held-out titles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
