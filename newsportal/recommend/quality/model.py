"""A small logistic-regression clickbait model: trained on the development titles, shipped as JSON.

Why logistic regression: with a few hundred labelled titles a linear model over sparse features is as good as
anything heavier, trains deterministically in a second with numpy, and each feature's weight is a readable
reason. Device weights are regularised towards the lexicon's priors rather than towards zero, so a device
rare in the training titles keeps the weight an editor gave it; n-gram weights are regularised to zero.
Retrain with `bench/eval/train_clickbait.py`; the app only loads the JSON.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from newsportal.recommend.quality.features import title_features
from newsportal.recommend.quality.lexicon import DEVICES

MODEL_PATH = Path(__file__).with_name("clickbait_model.json")
PRIORS: dict[str, float] = {"d:" + d.code: d.prior for d in DEVICES}


class ModelError(RuntimeError):
    """The shipped model file is missing or malformed (a packaging error, not reader input)."""


@dataclass(frozen=True, slots=True)
class Model:
    bias: float
    weights: dict[str, float]
    threshold: float = 0.5
    meta: dict = field(default_factory=dict)

    def logit(self, features: Iterable[str]) -> float:
        return self.bias + sum(self.weights.get(f, 0.0) for f in features)

    def probability(self, features: Iterable[str]) -> float:
        return _sigmoid(self.logit(features))

    def contributions(self, features: Iterable[str]) -> list[tuple[str, float]]:
        """(feature, weight) of the active features, most clickbait-like first."""
        return sorted(((f, self.weights[f]) for f in features if f in self.weights), key=lambda x: -x[1])

    def to_json(self) -> str:
        weights = {k: round(v, 4) for k, v in sorted(self.weights.items()) if abs(v) >= 1e-3}
        body = {"bias": round(self.bias, 4), "threshold": self.threshold, "meta": self.meta,
                "weights": weights}
        return json.dumps(body, ensure_ascii=False, indent=0, sort_keys=True) + "\n"


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))


def fit(titles: Sequence[str], labels: Sequence[int], *, l2: float = 1.0, l2_device: float = 2.0,
        min_count: int = 2, iterations: int = 1500, threshold: float = 0.5,
        meta: dict | None = None) -> Model:
    """Train on (title, 1 = clickbait) pairs by full-batch Nesterov gradient descent (deterministic).

    Loss: sum of log-losses + l2·|w_ngram|² + l2_device·|w_device − prior|²; n-grams seen in fewer than
    `min_count` titles are dropped (one-off words teach nothing and bloat the file).
    """
    if len(titles) != len(labels) or not titles:
        raise ValueError("fit() needs as many labels as titles, and at least one")
    rows = [title_features(t) for t in titles]
    counts: dict[str, int] = {}
    for r in rows:
        for f in r:
            counts[f] = counts.get(f, 0) + 1
    vocab = sorted(f for f, c in counts.items() if c >= min_count or not f.startswith("g:"))
    vocab = sorted(set(vocab) | set(PRIORS))
    index = {f: i for i, f in enumerate(vocab)}
    x = np.zeros((len(rows), len(vocab)))
    for i, r in enumerate(rows):
        for f in r:
            j = index.get(f)
            if j is not None:
                x[i, j] = 1.0
    y = np.asarray(labels, dtype=float)
    prior = np.array([PRIORS.get(f, 0.0) for f in vocab])
    lam = np.array([l2_device if f in PRIORS else l2 for f in vocab])
    w, b = prior.copy(), 0.0
    vw, vb = np.zeros_like(w), 0.0
    # Step from the loss's Lipschitz bound: data term ≤ ‖X‖²/4, penalty 2·max(λ).
    step = 1.0 / (np.linalg.norm(x, 2) ** 2 / 4 + len(rows) / 4 + 2 * lam.max())
    for t in range(iterations):
        mom = t / (t + 3)
        lw, lb = w + mom * vw, b + mom * vb
        p = 1.0 / (1.0 + np.exp(-(x @ lw + lb)))
        gw = x.T @ (p - y) + 2 * lam * (lw - prior)
        gb = float((p - y).sum())
        vw, vb = mom * vw - step * gw, mom * vb - step * gb
        w, b = w + vw, b + vb
    weights = {f: float(v) for f, v in zip(vocab, w, strict=True)}
    return Model(float(b), weights, threshold, dict(meta or {}))


def load_model(path: Path = MODEL_PATH) -> Model:
    """Read a model file; a clear ModelError if it is missing or malformed."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Model(float(data["bias"]), {str(k): float(v) for k, v in data["weights"].items()},
                     float(data["threshold"]), dict(data.get("meta", {})))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"clickbait model at {path} cannot be loaded: {exc}") from exc


@lru_cache(maxsize=1)
def shipped_model() -> Model:
    """The model shipped in the package, read once per process."""
    return load_model()
