"""Retrain the shipped clickbait model from the development titles only (deterministic).

    .venv/bin/python bench/eval/train_clickbait.py  # -> newsportal/recommend/quality/clickbait_model.json

The held-out half is never read here. Settings (PARAMS, threshold) were chosen by 5-fold cross-validation
on the development half, which `clickbait_eval.py` reports.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from clickbait_common import DEV, PARAMS, THRESHOLD, load, train  # noqa: E402

from newsportal.recommend.quality.model import MODEL_PATH  # noqa: E402


def main() -> int:
    records = load(DEV)
    meta = {"trained_on": "bench/eval/titles_dev.jsonl", "titles": len(records), **PARAMS}
    model = train(records, threshold=THRESHOLD, meta=meta)
    MODEL_PATH.write_text(model.to_json(), encoding="utf-8")
    kept = sum(1 for v in model.weights.values() if abs(v) >= 1e-3)
    print(f"trained on {len(records)} development titles; {kept} weights -> {MODEL_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
