"""Automatic pre-checks: named reasons for the moderator, never a silent drop.

Each check that fires adds a :class:`Flag` whose ``detail_zh`` tells the moderator exactly what was found
(the banned word, the phone number, how many seconds since the last post). Any flag recommends
``hold_for_review``; nothing here deletes or hides a comment by itself, so a false positive costs a
moderator a click, not a reader their comment.

Banned words are matched on a *folded* form of both the word and the text: NFKC (full-width → half-width,
circled and compatibility forms), case folding, a small editable table of look-alike characters, and
removal of everything that is not a letter or digit (spaces, punctuation, zero-width and bidi characters
inserted between the characters of a word). Readers' history is passed in, and ``now`` is always a
parameter, so the checks are pure and repeatable.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

__all__ = [
    "Flag",
    "Routing",
    "PrecheckConfig",
    "PriorComment",
    "PrecheckResult",
    "BannedWords",
    "DEFAULT_VARIANTS",
    "fold",
    "find_links",
    "find_contacts",
    "shingle_similarity",
    "precheck",
]


@dataclass(frozen=True)
class Flag:
    code: str
    detail_zh: str


class Routing(StrEnum):
    HOLD_FOR_REVIEW = "hold_for_review"
    OK = "ok"


_LOOKALIKES = "аaвbсcеeнhіiјjкkмmоoрpѕsтtуyхxαaβbεeιiκkοoρpτtυuχxνv"
# Traditional forms that spam and abuse use to slip simplified-character word lists (pairs: 繁简).
_TRADITIONAL = (
    "賭赌錢钱發发財财買买賣卖號号幣币貸贷騙骗黃黄網网約约體体槍枪彈弹藥药幫帮紅红現现領领獎奖偽伪證证辦办"
    "開开題题會会軍军點点樂乐聯联係系專专業业職职資资視视頻频訊讯傳传銷销僱雇無无條条東东車车馬马門门"
    "廣广衆众線线優优價价臺台灣湾澤泽習习產产黨党"
)
#: Characters folded to the form a banned word is written in (after NFKC and case folding): Cyrillic and
#: Greek letters that look Latin, and traditional characters common in evasions. Operators may pass their own.
DEFAULT_VARIANTS: Mapping[str, str] = {
    **{_LOOKALIKES[i]: _LOOKALIKES[i + 1] for i in range(0, len(_LOOKALIKES), 2)},
    **{_TRADITIONAL[i]: _TRADITIONAL[i + 1] for i in range(0, len(_TRADITIONAL), 2)},
}


@dataclass(frozen=True)
class PrecheckConfig:
    #: Exact repeats by the same reader within this window are flagged.
    repeat_window: timedelta = timedelta(hours=24)
    #: Character-shingle Jaccard similarity at or above which two comments count as near-duplicates.
    near_duplicate_threshold: float = 0.8
    shingle_size: int = 3
    #: Shorter (folded) texts are only compared for exact repeats: "顶" twice is not spam.
    near_duplicate_min_chars: int = 8
    #: Posting too fast: more than ``burst_max`` comments in ``burst_window`` ...
    burst_window: timedelta = timedelta(minutes=1)
    burst_max: int = 3
    #: ... or less than this since the previous one.
    min_interval: timedelta = timedelta(seconds=10)
    #: A poor record: among the last ``record_lookback`` decided comments, at least ``record_min_decided``
    #: were decided and more than ``record_reject_ratio`` of them were rejected.
    record_lookback: int = 10
    record_min_decided: int = 4
    record_reject_ratio: float = 0.5
    variants: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_VARIANTS))

    def __post_init__(self) -> None:
        if not 0 < self.near_duplicate_threshold <= 1:
            raise ValueError("near_duplicate_threshold must be in (0, 1]")
        if self.shingle_size < 1 or self.burst_max < 1 or self.record_lookback < 1:
            raise ValueError("shingle_size, burst_max and record_lookback must be at least 1")
        if not 0 <= self.record_reject_ratio < 1:
            raise ValueError("record_reject_ratio must be in [0, 1)")


@dataclass(frozen=True)
class PriorComment:
    """One of the reader's own earlier comments, as the store knows it."""

    text: str
    posted_at: datetime
    #: "pending", "approved", "rejected" or "deleted"; only approved/rejected count for the record.
    state: str = "pending"


@dataclass(frozen=True)
class PrecheckResult:
    flags: tuple[Flag, ...]

    @property
    def routing(self) -> Routing:
        return Routing.HOLD_FOR_REVIEW if self.flags else Routing.OK

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.flags)


def fold(text: str, variants: Mapping[str, str] = DEFAULT_VARIANTS) -> str:
    """Fold text for matching: NFKC, case-fold, look-alikes, keep only letters and digits."""
    text = unicodedata.normalize("NFKC", text).casefold()
    out = []
    for ch in text:
        ch = variants.get(ch, ch)
        if unicodedata.category(ch)[0] in ("L", "N"):
            out.append(ch)
    return "".join(out)


class BannedWords:
    """An editable banned-word list; entries are matched on their folded form.

    The list's text form is one word per line; blank lines and lines starting with ``#`` are comments, so
    an operator can keep the file annotated.
    """

    def __init__(self, words: Iterable[str] = (), variants: Mapping[str, str] = DEFAULT_VARIANTS) -> None:
        self._variants = dict(variants)
        self._words: dict[str, str] = {}
        for word in words:
            self.add(word)

    @classmethod
    def from_text(cls, text: str, variants: Mapping[str, str] = DEFAULT_VARIANTS) -> BannedWords:
        lines = (line.strip() for line in text.splitlines())
        return cls((line for line in lines if line and not line.startswith("#")), variants)

    def to_text(self) -> str:
        return "".join(f"{w}\n" for w in self.words)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(sorted(self._words))

    def add(self, word: str) -> None:
        word = word.strip()
        folded = fold(word, self._variants)
        if not folded:
            raise ValueError(f"违禁词「{word}」不含文字或数字，无法匹配。")
        self._words[word] = folded

    def remove(self, word: str) -> None:
        if self._words.pop(word.strip(), None) is None:
            raise KeyError(f"违禁词表中没有「{word.strip()}」。")

    def __len__(self) -> int:
        return len(self._words)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word.strip() in self._words

    def find(self, text: str) -> list[str]:
        folded = fold(text, self._variants)
        return [word for word, fw in sorted(self._words.items()) if fw in folded]


_TLDS = (
    "com|cn|net|org|info|biz|io|co|cc|tv|me|top|xyz|vip|shop|site|online|club|ltd|fun|icu|link|live|app|"
    "hk|tw|jp|us|uk|ru|de|in|mobi|work|wang|store|tech|pro"
)
# A plain dot must touch both sides ("it. Top story" is prose); spelled-out dots may be spaced.
_DOT = r"(?:\.|\s*(?:。|点|dot|\(\.\)|\[\.\])\s*)"
_URL = re.compile(
    r"(?:https?://|ftp://|www\.)\S+"
    rf"|(?<![a-z0-9.@_-])[a-z0-9][a-z0-9-]*(?:{_DOT}[a-z0-9-]+)*{_DOT}(?:{_TLDS})(?![a-z0-9-])(?:/\S*)?",
    re.IGNORECASE,
)
_DIGIT_RUN = re.compile(r"(?<!\d)\d(?:[\s\-.]?\d){6,13}(?!\d)")
_MOBILE = re.compile(r"^(?:86)?1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")
_WECHAT = re.compile(
    r"(?:微信|薇信|威信|徽信|v信|vx|wx|weixin|wechat|加v|\+v|加微)\s*(?:号)?\s*[:：]?\s*([a-z][-_a-z0-9]{5,19})",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[a-z0-9._%+-]+\s*(?:@|＠|艾特)\s*[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}", re.IGNORECASE)
_QQ = re.compile(r"(?:qq|扣扣|企鹅|q号|q群|qq群)\s*(?:号|群)?\s*[:：]?\s*([1-9]\d{4,11})", re.IGNORECASE)


def _display_form(text: str) -> str:
    """NFKC without zero-width characters: the form links and contact ids are searched in."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def find_links(text: str) -> list[str]:
    return [m.group(0).strip() for m in _URL.finditer(_display_form(text))]


def find_contacts(text: str) -> list[Flag]:
    """Phone numbers, WeChat ids, QQ numbers and e-mail addresses, each as its own flag."""
    shown = _display_form(text)
    flags: list[Flag] = []
    for m in _DIGIT_RUN.finditer(shown):
        digits = re.sub(r"\D", "", m.group(0))
        if _MOBILE.match(digits) or _LANDLINE.match(digits):
            flags.append(Flag("contact_phone", f"含电话号码：{m.group(0)}"))
    for m in _WECHAT.finditer(shown):
        flags.append(Flag("contact_wechat", f"含微信号：{m.group(1)}"))
    for m in _QQ.finditer(shown):
        flags.append(Flag("contact_qq", f"含QQ号：{m.group(1)}"))
    for m in _EMAIL.finditer(shown):
        flags.append(Flag("contact_email", f"含邮箱地址：{m.group(0)}"))
    return flags


def _shingles(folded: str, size: int) -> set[str]:
    if len(folded) <= size:
        return {folded}
    return {folded[i : i + size] for i in range(len(folded) - size + 1)}


def shingle_similarity(
    a: str, b: str, size: int = 3, variants: Mapping[str, str] = DEFAULT_VARIANTS
) -> float:
    """Jaccard similarity of the folded texts' character shingles (0.0–1.0)."""
    fa, fb = fold(a, variants), fold(b, variants)
    if not fa or not fb:
        return 1.0 if fa == fb else 0.0
    sa, sb = _shingles(fa, size), _shingles(fb, size)
    return len(sa & sb) / len(sa | sb)


def _repeat_flags(
    text: str, history: Sequence[PriorComment], now: datetime, cfg: PrecheckConfig
) -> list[Flag]:
    folded = fold(text, cfg.variants)
    if not folded:
        return []
    recent = [p for p in history if now - cfg.repeat_window <= p.posted_at <= now]
    for prior in recent:
        if fold(prior.text, cfg.variants) == folded:
            minutes = int((now - prior.posted_at).total_seconds() // 60)
            return [Flag("repeat_exact", f"与该读者 {minutes} 分钟前的跟贴内容相同")]
    if len(folded) < cfg.near_duplicate_min_chars:
        return []
    mine = _shingles(folded, cfg.shingle_size)
    best = 0.0
    for prior in recent:
        other = fold(prior.text, cfg.variants)
        if len(other) < cfg.near_duplicate_min_chars:
            continue
        theirs = _shingles(other, cfg.shingle_size)
        best = max(best, len(mine & theirs) / len(mine | theirs))
    if best >= cfg.near_duplicate_threshold:
        return [Flag("repeat_near", f"与该读者近期跟贴高度相似（相似度 {round(best * 100)}%）")]
    return []


def _rate_flags(history: Sequence[PriorComment], now: datetime, cfg: PrecheckConfig) -> list[Flag]:
    times = sorted(p.posted_at for p in history if p.posted_at <= now)
    if not times:
        return []
    in_burst = sum(1 for t in times if t >= now - cfg.burst_window)
    # This comment is one more: the burst limit is about the total including it.
    if in_burst + 1 > cfg.burst_max:
        window = int(cfg.burst_window.total_seconds())
        return [Flag("too_fast", f"{window} 秒内已发 {in_burst + 1} 条跟贴（上限 {cfg.burst_max} 条）")]
    gap = now - times[-1]
    if gap < cfg.min_interval:
        return [Flag("too_fast", f"距上一条跟贴仅 {int(gap.total_seconds())} 秒")]
    return []


def _record_flags(history: Sequence[PriorComment], cfg: PrecheckConfig) -> list[Flag]:
    decided = [p for p in sorted(history, key=lambda p: p.posted_at) if p.state in ("approved", "rejected")]
    decided = decided[-cfg.record_lookback :]
    if len(decided) < cfg.record_min_decided:
        return []
    rejected = sum(1 for p in decided if p.state == "rejected")
    if rejected / len(decided) > cfg.record_reject_ratio:
        return [Flag("poor_record", f"该读者近 {len(decided)} 条已审跟贴中 {rejected} 条被拒绝")]
    return []


def precheck(
    text: str,
    *,
    history: Sequence[PriorComment],
    now: datetime,
    banned: BannedWords,
    config: PrecheckConfig | None = None,
) -> PrecheckResult:
    """Run every check on an already normalised comment and return all flags that fired, in a fixed order."""
    cfg = config or PrecheckConfig()
    flags: list[Flag] = []
    for word in banned.find(text):
        flags.append(Flag("banned_word", f"含违禁词「{word}」"))
    for link in find_links(text):
        flags.append(Flag("link", f"含网址：{link}"))
    flags.extend(find_contacts(text))
    flags.extend(_repeat_flags(text, history, now, cfg))
    flags.extend(_rate_flags(history, now, cfg))
    flags.extend(_record_flags(history, cfg))
    return PrecheckResult(tuple(flags))
