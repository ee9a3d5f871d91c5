"""Readable differences between two revisions of an article, word by word in Chinese.

Why words: a character diff of Chinese shatters into single glyphs ("北<del>京</del><ins>海</ins>") that an
editor cannot read, and a line diff marks a whole paragraph for one changed number. rjieba (jieba) tokens
are the units a reader notices: ``北京`` → ``上海``. Tokens keep every character (spaces, punctuation), so
joining them gives the text back exactly.

Why paragraphs: bodies are HTML; the diff works on the text a reader sees (markup stripped with
:func:`newsportal.text.html_to_text`), first aligning paragraphs, then diffing matched paragraphs word by
word, so an inserted paragraph shows as one inserted block instead of confusing the words around it.

Rendering escapes every piece of text, so a revision containing markup or scripts is shown, never run.
Invisible format characters (zero-width spaces, bidi overrides) are made visible, since an edit consisting
only of such a character would otherwise look like no edit at all (and bidi overrides could reorder the
text around them).
"""

from __future__ import annotations

import difflib
import html
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import rjieba

from newsportal.text import html_to_text

OpKind = Literal["equal", "insert", "delete"]
ParagraphKind = Literal["equal", "changed", "inserted", "deleted"]


@dataclass(frozen=True)
class Op:
    kind: OpKind
    text: str


@dataclass(frozen=True)
class ParagraphDiff:
    kind: ParagraphKind
    ops: tuple[Op, ...]

    @property
    def old_text(self) -> str:
        return "".join(op.text for op in self.ops if op.kind != "insert")

    @property
    def new_text(self) -> str:
        return "".join(op.text for op in self.ops if op.kind != "delete")


def tokens(text: str) -> list[str]:
    """jieba tokens of ``text``, every character kept."""
    return list(rjieba.cut(text)) if text else []


def _merge(ops: Iterable[Op]) -> tuple[Op, ...]:
    out: list[Op] = []
    for op in ops:
        if not op.text:
            continue
        if out and out[-1].kind == op.kind:
            out[-1] = Op(op.kind, out[-1].text + op.text)
        else:
            out.append(op)
    return tuple(out)


def diff_text(old: str, new: str) -> tuple[Op, ...]:
    """Word-level ops turning ``old`` into ``new``; a replacement is a delete followed by an insert."""
    a, b = tokens(old), tokens(new)
    ops: list[Op] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(Op("equal", "".join(a[i1:i2])))
            continue
        ops.extend(_refine("".join(a[i1:i2]), "".join(b[j1:j2])))
    return _merge(ops)


def _refine(old: str, new: str) -> list[Op]:
    """Split a replaced span when it is really one contiguous insertion or deletion.

    jieba's dictionary holds compounds (``今天上午``, ``价格上涨``), so adding ``上午`` after ``今天``
    replaces a whole token. When one side is the other with a single run added, show just that run;
    anything else stays a whole-word replacement, so the diff never shatters into single characters.
    """
    short, long_ = (old, new) if len(old) <= len(new) else (new, old)
    prefix = 0
    while prefix < len(short) and short[prefix] == long_[prefix]:
        prefix += 1
    suffix = 0
    while suffix < len(short) - prefix and short[-1 - suffix] == long_[-1 - suffix]:
        suffix += 1
    if not short or prefix + suffix < len(short):
        return [Op("delete", old), Op("insert", new)]
    kind: OpKind = "insert" if short is old else "delete"
    middle = long_[prefix : len(long_) - suffix]
    return [Op("equal", short[:prefix]), Op(kind, middle), Op("equal", short[prefix:])]


def paragraphs(body_html: str) -> list[str]:
    """The reader-visible paragraphs of an HTML body (tags stripped, entities decoded)."""
    return [line for line in html_to_text(body_html).splitlines() if line.strip()]


def diff_paragraphs(old: Sequence[str], new: Sequence[str]) -> list[ParagraphDiff]:
    """Align paragraphs first, then diff the paragraphs that replaced each other word by word."""
    out: list[ParagraphDiff] = []
    matcher = difflib.SequenceMatcher(None, list(old), list(new), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(ParagraphDiff("equal", (Op("equal", p),)) for p in old[i1:i2])
            continue
        olds, news = list(old[i1:i2]), list(new[j1:j2])
        for k in range(max(len(olds), len(news))):
            if k < len(olds) and k < len(news):
                out.append(ParagraphDiff("changed", diff_text(olds[k], news[k])))
            elif k < len(olds):
                out.append(ParagraphDiff("deleted", (Op("delete", olds[k]),)))
            else:
                out.append(ParagraphDiff("inserted", (Op("insert", news[k]),)))
    return out


def diff_bodies(old_html: str, new_html: str) -> list[ParagraphDiff]:
    """Paragraph-aware word diff of two article bodies."""
    return diff_paragraphs(paragraphs(old_html), paragraphs(new_html))


def _visible(text: str) -> str:
    """Escape ``text`` for HTML and show invisible format characters as labelled code points."""
    parts = []
    for ch in text:
        if unicodedata.category(ch) == "Cf":
            parts.append(f'<span class="diff-ctrl" title="不可见字符">U+{ord(ch):04X}</span>')
        else:
            parts.append(html.escape(ch))
    return "".join(parts)


def render_ops(ops: Iterable[Op]) -> str:
    """Ops as escaped inline HTML with ``<ins>`` and ``<del>``."""
    out = []
    for op in ops:
        text = _visible(op.text)
        if op.kind == "insert":
            out.append(f"<ins>{text}</ins>")
        elif op.kind == "delete":
            out.append(f"<del>{text}</del>")
        else:
            out.append(text)
    return "".join(out)


def render_html(diff: Sequence[ParagraphDiff], *, context: int | None = None) -> str:
    """One ``<p>`` per paragraph, classed by kind; with ``context``, long unchanged runs are folded.

    ``context=n`` keeps ``n`` unchanged paragraphs around every change and replaces the rest with a line
    saying how many were left out, so a one-word fix in a long article is easy to find.
    """
    keep = [True] * len(diff)
    if context is not None:
        changed = [i for i, p in enumerate(diff) if p.kind != "equal"]
        keep = [p.kind != "equal" or any(abs(i - c) <= context for c in changed) for i, p in enumerate(diff)]
    out: list[str] = []
    skipped = 0
    for p, shown in zip(diff, keep, strict=True):
        if not shown:
            skipped += 1
            continue
        if skipped:
            out.append(f'<p class="diff-skip">（{skipped} 段未改动）</p>')
            skipped = 0
        out.append(f'<p class="diff-{p.kind}">{render_ops(p.ops)}</p>')
    if skipped:
        out.append(f'<p class="diff-skip">（{skipped} 段未改动）</p>')
    return "\n".join(out)


# --- fields -------------------------------------------------------------------------------------------

FIELD_LABELS: Mapping[str, str] = {"title": "标题", "summary": "摘要", "channel": "频道", "tags": "标签"}


@dataclass(frozen=True)
class FieldChange:
    """One changed field. Text fields carry word ops; tags carry what was added and removed."""

    name: str
    label: str
    old: str
    new: str
    ops: tuple[Op, ...] = ()
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


def _as_tags(value: object) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = value.replace("，", ",").split(",")
    if not isinstance(value, Iterable):
        return (str(value),)
    return tuple(dict.fromkeys(str(v).strip() for v in value if str(v).strip()))


def _as_text(value: object) -> str:
    return "" if value is None else str(value).strip()


def diff_fields(
    old: Mapping[str, object], new: Mapping[str, object], fields: Sequence[str] = tuple(FIELD_LABELS)
) -> list[FieldChange]:
    """Changes to the short fields, in ``fields`` order; unchanged fields are left out."""
    out = []
    for name in fields:
        label = FIELD_LABELS.get(name, name)
        if name == "tags":
            before, after = _as_tags(old.get(name)), _as_tags(new.get(name))
            if before == after:
                continue
            added = tuple(t for t in after if t not in before)
            removed = tuple(t for t in before if t not in after)
            out.append(
                FieldChange(name, label, "、".join(before), "、".join(after), added=added, removed=removed)
            )
            continue
        a, b = _as_text(old.get(name)), _as_text(new.get(name))
        if a == b:
            continue
        ops = diff_text(a, b) if name != "channel" else _merge([Op("delete", a), Op("insert", b)])
        out.append(FieldChange(name, label, a, b, ops=ops))
    return out


def render_fields_html(changes: Sequence[FieldChange]) -> str:
    """A ``<dl>`` of changed fields; empty string when nothing changed."""
    if not changes:
        return ""
    rows = []
    for c in changes:
        if c.name == "tags":
            parts = [f"<ins>{_visible(t)}</ins>" for t in c.added] + [
                f"<del>{_visible(t)}</del>" for t in c.removed
            ]
            if not parts:  # same tags, new order
                parts = [f"{_visible(c.old)} → {_visible(c.new)}"]
            value = " ".join(parts)
        else:
            value = render_ops(c.ops)
        rows.append(f"<dt>{html.escape(c.label)}</dt><dd>{value}</dd>")
    return '<dl class="diff-fields">' + "".join(rows) + "</dl>"
