"""A transparent quality score: clickbait patterns and source trust demote an article, never hide it.

The reference portal's hot list is full of "震惊！"-style hooks. Each signal here has a name, a weight and a
reason an editor can read; the score is 1.0 minus the penalties, scaled by the source's trust (set by
editors per source), and floored so a demoted article still appears. Hot and personal lists multiply their
ranking score by it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FLOOR = 0.2

# (name, pattern, penalty, reason shown to editors)
TITLE_SIGNALS: list[tuple[str, re.Pattern, float, str]] = [
    ("shock_words",
     re.compile(r"震惊|惊呆|吓坏|炸锅|疯传|刷屏|太离谱|离谱|细思极恐|不敢相信|万万没想到|竟然|居然"),
     0.3, "标题使用“震惊”“竟然”等煽动性词语"),
    ("urgency_hook", re.compile(r"^(刚刚|突发|紧急|速看|必看|注意了|重磅)[!！，,：:]?"),
     0.2, "标题以“刚刚”“速看”等催促性词语开头"),
    ("curiosity_gap",
     re.compile(r"\d{2}%的人(都)?不知道|原来是这样|真相(竟然|来了|曝光)"
                r"|看完(你)?就懂|后悔没早知道|结局(亮了|意外)"),
     0.3, "标题故意隐藏信息吊胃口"),
    ("repeated_marks", re.compile(r"[!！?？]{2,}|[!！][?？]|[?？][!！]"), 0.2, "标题连用感叹号或问号"),
    ("vague_subject", re.compile(r"^(这个|这些|他|她|它|一女子|一男子)[^，,]{0,6}(竟|居然|突然)"),
     0.15, "标题用含糊主语制造悬念"),
]


@dataclass(frozen=True, slots=True)
class Quality:
    score: float
    trust: float
    reasons: list[tuple[str, float, str]] = field(default_factory=list)  # (signal, penalty, why)

    def explain(self) -> str:
        if not self.reasons:
            return f"未发现标题党特征；来源可信度 {self.trust:.2f}"
        parts = "；".join(f"{why}（-{penalty:.2f}）" for _, penalty, why in self.reasons)
        return f"{parts}；来源可信度 {self.trust:.2f}"


def assess(title: str, source_trust: float = 0.7) -> Quality:
    trust = min(1.0, max(0.0, float(source_trust)))
    reasons = [(name, penalty, why) for name, pattern, penalty, why in TITLE_SIGNALS if pattern.search(title)]
    excess = title.count("！") + title.count("!") > 1 and not any(r[0] == "repeated_marks" for r in reasons)
    if excess:
        reasons.append(("many_exclamations", 0.1, "标题中感叹号过多"))
    penalty = sum(r[1] for r in reasons)
    # trust 1.0 leaves the title score as it is; trust 0 halves it
    score = max(FLOOR, (1.0 - penalty) * (0.5 + 0.5 * trust))
    return Quality(round(score, 4), trust, reasons)
