"""Chinese tokens for matching articles (related lists now, search and clustering later).

rjieba is a Rust port of jieba: the same dictionary and the same tokens, about 30 times faster here.
"""

from __future__ import annotations

from collections import Counter

import rjieba

# Function words and news boilerplate that match everywhere and so say nothing about topic.
STOPWORDS = frozenset(
    """
    的 了 和 是 在 也 有 就 都 而 及 与 着 或 一个 没有 我们 你们 他们 她们 它们
    这 那 这个 那个 这些 那些 之 其 为
    对 等 将 把 被 让 从 向 到 于 以 并 但 又 更 很 还 已 已经 正在 可以 能够 进行
    表示 认为 介绍 记者 本报讯 本网讯
    昨天 今天 明天 上午 下午 晚上 昨天上午 昨天下午 今天上午 今天下午 昨日 今日 日前
    近日 目前 此前 今年 去年 同时 此外 其中 通过 相关 工作 方面 情况 问题 一些 部分
    不少 很多 自己 如果 因为 所以 但是 而且 不过 这样 那样 什么 怎么 如何 一下 一起
    之后 以后 之前 以来 多少 每 个
    """.split()
)


def tokenize(text: str) -> list[str]:
    """Content tokens: jieba words minus punctuation, spaces, single latin chars and stopwords."""
    out = []
    for tok in rjieba.cut(text):
        tok = tok.strip().lower()
        if not tok or tok in STOPWORDS:
            continue
        if len(tok) == 1 and not ("\u4e00" <= tok <= "\u9fff"):
            continue
        if not any(ch.isalnum() for ch in tok):
            continue
        out.append(tok)
    return out


def keywords(text: str, limit: int = 20) -> list[str]:
    """The most frequent multi-character content tokens, a cheap topic fingerprint."""
    counts = Counter(t for t in tokenize(text) if len(t) > 1)
    return [tok for tok, _ in counts.most_common(limit)]
