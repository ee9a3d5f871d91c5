"""A transparent quality score: clickbait and source trust demote an article, never hide it.

The reference portal's hot list is full of "震惊！"-style hooks. A small classifier (character n-grams plus
the named devices of `lexicon`, trained on the development half of `bench/eval/titles_*.jsonl`) decides
whether a title is clickbait; the body adds signals of its own (calls to like and share, a body with no
text). Every demotion comes with reason codes an editor can read, such as `hyperbole:炸裂`.

The score is built so that ranking by engagement × quality puts every flagged article below every sober
one of the same engagement, whatever the trust of either source:

    sober    score = trust factor × (0.9 … 1.0)     trust factor = 0.5 + 0.5 × trust  → at least 0.45
    flagged  score = trust factor × (0.2 … 0.4)                                        → at most 0.40

and never below FLOOR, so a demoted article still appears in its source page, search and channel listing.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from newsportal.recommend.quality.features import han_count, normalise, title_features
from newsportal.recommend.quality.lexicon import BODY_ENGAGEMENT, BY_CODE, hits
from newsportal.recommend.quality.model import Model, ModelError, shipped_model

__all__ = ["FLOOR", "FLAGGED_CEILING", "SOBER_MIN", "Quality", "assess", "ModelError"]

FLOOR = 0.1
FLAGGED_CEILING = 0.4  # a flagged title's score at full trust, before severity lowers it further
FLAGGED_RANGE = 0.2  # how much further the most certain clickbait drops
SOBER_MIN = 0.9  # an unflagged title with device words keeps at least this share of its trust factor
DEFAULT_TRUST = 0.7
BODY_CHARS = 600  # the lead of the body is where engagement bait and hooks sit

_TAGS = re.compile(r"<[^>]+>")

# Body signals have no labelled bodies to learn from; they keep these prior log-odds weights.
BODY_ENGAGEMENT_WEIGHT = 1.0
BODY_DEVICES_WEIGHT = 0.8  # three or more different devices in the lead
BODY_THIN_WEIGHT = 0.5  # a body was given but holds (almost) no Chinese text


@dataclass(frozen=True, slots=True)
class Quality:
    score: float
    trust: float
    reasons: list[tuple[str, float, str]] = field(default_factory=list)  # (code, penalty, why)
    clickbait: bool = False
    probability: float = 0.0  # the model's clickbait probability (title and body)

    def explain(self) -> str:
        head = f"判定为标题党（可能性 {self.probability:.0%}）：" if self.clickbait else ""
        if not self.reasons:
            return f"未发现标题党特征；来源可信度 {self.trust:.2f}"
        parts = "；".join(f"{why}（-{penalty:.2f}）" for _, penalty, why in self.reasons)
        return f"{head}{parts}；来源可信度 {self.trust:.2f}"


def _trust(value: object) -> float:
    try:
        t = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return DEFAULT_TRUST
    return DEFAULT_TRUST if math.isnan(t) else min(1.0, max(0.0, t))


def _text(value: object) -> str:
    return "" if value is None else value if isinstance(value, str) else str(value)


def _title_reasons(model: Model, title: str, features: set[str]) -> list[tuple[str, float, str]]:
    """(code, weight, why) for each device in the title, then the strongest n-grams no device explains."""
    out = []
    matched = ""
    for device, words in hits(title):
        weight = model.weights.get("d:" + device.code, device.prior)
        if weight > 0:
            out.append((f"{device.code}:{words}", weight, f"{device.label}：“{words}”"))
            matched += normalise(words)
    for feat, weight in model.contributions(f for f in features if f.startswith("g:")):
        gram = feat[2:].strip("^$")
        if weight < 0.3 or len(out) >= 5:
            break
        if len(gram) >= 2 and gram not in matched and not any(gram in r[0] for r in out):
            out.append((f"wording:{gram}", weight, f"措辞接近标题党：“{gram}”"))
    return out


def _body_reasons(body: str) -> list[tuple[str, float, str]]:
    if not body.strip():
        return []  # no body given: nothing to judge
    text = _TAGS.sub(" ", body)
    lead = text[:BODY_CHARS]
    out = []
    m = BODY_ENGAGEMENT.search(text)
    if m:
        out.append((f"body_engagement:{m.group(0)}", BODY_ENGAGEMENT_WEIGHT, f"正文诱导互动：“{m.group(0)}”"))
    devices = hits(lead)
    if len(devices) >= 3:
        names = "、".join(d.label for d, _ in devices[:3])
        out.append((f"body_devices:{len(devices)}", BODY_DEVICES_WEIGHT, f"正文多处使用煽动手法（{names}）"))
    if han_count(text) < 10:
        out.append(("body_thin", BODY_THIN_WEIGHT, "正文几乎没有中文内容"))
    return out


def assess(title: str, source_trust: float = DEFAULT_TRUST, body: str = "") -> Quality:
    """Score an article from its title (and body when given) and its source's trust (0–1, clamped).

    Never raises on odd input: an empty or one-character title, a body of punctuation, emoji or Latin text,
    None, or a trust that is not a number (treated as the default) all give a valid Quality.
    """
    title, body = _text(title), _text(body)
    trust = _trust(source_trust)
    factor = 0.5 + 0.5 * trust
    model = shipped_model()
    features = title_features(title)
    title_reasons = _title_reasons(model, title, features)
    body_reasons = _body_reasons(body)
    logit = model.logit(features) + sum(w for _, w, _ in body_reasons)
    p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))
    reasons = title_reasons + body_reasons
    if p >= model.threshold and not reasons:
        reasons = [("wording:整体", 1.0, "标题整体措辞接近标题党")]
    if p >= model.threshold:
        severity = (p - model.threshold) / max(1e-9, 1.0 - model.threshold)
        score = max(FLOOR, factor * (FLAGGED_CEILING - FLAGGED_RANGE * severity))
    else:
        # Sober: device words the model outweighed cost a little, never enough to meet flagged titles.
        mild = min(1.0 - SOBER_MIN, 0.05 * sum(1 for code, _, _ in reasons if code.split(":")[0] in BY_CODE))
        score = factor * (1.0 - mild)
    demotion = 1.0 - score / factor if factor else 0.0
    total = sum(w for _, w, _ in reasons) or 1.0
    shared = [(code, round(demotion * w / total, 3), why) for code, w, why in reasons]
    return Quality(round(score, 4), trust, shared if demotion > 0 else [], p >= model.threshold, round(p, 4))
