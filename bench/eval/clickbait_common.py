"""Shared pieces of the clickbait scripts: loading labelled titles, deterministic folds, metrics."""

from __future__ import annotations

import json
from pathlib import Path

from newsportal.recommend.quality.model import Model, fit

HERE = Path(__file__).resolve().parent
DEV, HELDOUT = HERE / "titles_dev.jsonl", HERE / "titles_heldout.jsonl"

# Training settings chosen by cross-validation on the development half only.
PARAMS = {"l2": 1.0, "l2_device": 2.0, "min_count": 2, "iterations": 1500}
THRESHOLD = 0.5


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def train(records: list[dict], threshold: float = THRESHOLD, meta: dict | None = None, **overrides) -> Model:
    params = {**PARAMS, **overrides}
    return fit([r["title"] for r in records], [int(r["label"] == "clickbait") for r in records],
               threshold=threshold, meta=meta, **params)


def folds(records: list[dict], k: int = 5) -> list[int]:
    """Fold of each record: within each label, by id order, dealt round-robin (stratified, deterministic)."""
    out = [0] * len(records)
    for label in ("clickbait", "sober"):
        members = [i for i, r in enumerate(records) if r["label"] == label]
        idx = sorted(members, key=lambda i: records[i]["id"])
        for n, i in enumerate(idx):
            out[i] = n % k
    return out


def metrics(truth: list[bool], flagged: list[bool]) -> dict:
    tp = sum(t and f for t, f in zip(truth, flagged, strict=True))
    fp = sum(f and not t for t, f in zip(truth, flagged, strict=True))
    fn = sum(t and not f for t, f in zip(truth, flagged, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"n": len(truth), "positives": tp + fn, "tp": tp, "fp": fp, "fn": fn,
            "precision": precision, "recall": recall, "f1": f1}
