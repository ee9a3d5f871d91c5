"""Loader for the hand-labelled story corpus (``stories_dev.jsonl``, ``stories_heldout.jsonl``) and its
related-article judgements (``related_judgements.jsonl``).

The labels are the benchmark's, never the engine's: a story label says which articles are one event (an
original and its copies), a subject label says which stories a reader of one would want next. Relevance for
"related articles" is defined by those labels, so any candidate an engine returns can be judged, not only the
ones listed in the judgement file:

* relevant  = same half, same ``subject``, different ``story``;
* excluded  = same ``story`` (a copy of the article itself is never a useful related item).

Standard library only, so the benchmarks and the tests can import it without the project installed.
Load it by path (``bench/`` is not a package), e.g. ``sys.path.insert(0, "bench/eval"); import corpus``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from itertools import combinations
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPLITS = ("dev", "heldout")
ROLES = ("original", "copy", "followup", "sibling", "distractor")
TRANSFORMS = ("reworded", "shortened", "reordered", "intro", "numerals", "nofigures")
REQUIRED = ("id", "group", "story", "subject", "role", "transform", "channel", "source", "published_at",
            "title", "body")


class CorpusError(ValueError):
    """The corpus files are missing or malformed; the message names the file and line."""


@dataclass(frozen=True)
class EvalArticle:
    """One labelled article. ``transform`` is empty except for copies."""

    id: str
    group: str | None
    story: str
    subject: str
    role: str
    transform: tuple[str, ...]
    channel: str
    source: str
    published_at: datetime
    title: str
    body: str
    split: str

    @property
    def paragraphs(self) -> list[str]:
        """Body paragraphs (the files separate them with a blank line)."""
        return self.body.split("\n\n")


@dataclass(frozen=True)
class Judgement:
    """Hand-checked related judgement for one query article of one half."""

    query: str
    split: str
    subject: str
    relevant: tuple[str, ...]
    relevant_stories: tuple[str, ...]
    same_story: tuple[str, ...]


def _parse(row: object, where: str, split: str) -> EvalArticle:
    if not isinstance(row, dict):
        raise CorpusError(f"{where}: expected a JSON object")
    missing = [key for key in REQUIRED if key not in row]
    if missing:
        raise CorpusError(f"{where}: missing fields {missing}")
    for key in ("id", "story", "subject", "role", "channel", "source", "title", "body"):
        if not isinstance(row[key], str) or not row[key].strip():
            raise CorpusError(f"{where}: field {key!r} must be a non-empty string")
    if row["role"] not in ROLES:
        raise CorpusError(f"{where}: unknown role {row['role']!r}")
    transform = row["transform"] or []
    if not isinstance(transform, list) or any(t not in TRANSFORMS for t in transform):
        raise CorpusError(f"{where}: transform must be null or a list of {TRANSFORMS}")
    if (row["role"] == "copy") != bool(transform):
        raise CorpusError(f"{where}: copies, and only copies, carry a transform")
    if (row["group"] is None) != (row["role"] == "distractor"):
        raise CorpusError(f"{where}: distractors, and only distractors, have no group")
    try:
        published = datetime.fromisoformat(row["published_at"])
    except (TypeError, ValueError) as exc:
        raise CorpusError(f"{where}: bad published_at {row['published_at']!r}") from exc
    if published.tzinfo is None:
        raise CorpusError(f"{where}: published_at needs a UTC offset")
    return EvalArticle(row["id"], row["group"], row["story"], row["subject"], row["role"], tuple(transform),
                       row["channel"], row["source"], published, row["title"], row["body"], split)


def load_file(path: Path, split: str) -> list[EvalArticle]:
    """Parse one JSONL file of labelled articles; raise :class:`CorpusError` on any malformed line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read ({exc})") from exc
    articles = []
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorpusError(f"{path.name}:{lineno}: invalid JSON ({exc.msg})") from exc
        articles.append(_parse(row, f"{path.name}:{lineno}", split))
    return articles


@cache
def _load_cached(split: str) -> tuple[EvalArticle, ...]:
    return tuple(load_file(HERE / f"stories_{split}.jsonl", split))


def load(split: str) -> list[EvalArticle]:
    """All labelled articles of one half: ``"dev"`` (tune on it) or ``"heldout"`` (report on it only)."""
    if split not in SPLITS:
        raise CorpusError(f"unknown split {split!r}; expected one of {SPLITS}")
    return list(_load_cached(split))


def _index() -> dict[str, EvalArticle]:
    return {a.id: a for split in SPLITS for a in _load_cached(split)}


def article(article_id: str) -> EvalArticle:
    """Look one article up by id, in either half."""
    found = _index().get(article_id)
    if found is None:
        raise CorpusError(f"unknown article id {article_id!r}")
    return found


def pairs_same_story(articles: list[EvalArticle] | None = None) -> set[frozenset[str]]:
    """Every unordered pair of ids that the labels put in one story: the ground truth for pairwise
    clustering precision and recall. Defaults to both halves (pairs never cross halves)."""
    pool = articles if articles is not None else [a for s in SPLITS for a in _load_cached(s)]
    by_story: dict[str, list[str]] = defaultdict(list)
    for item in pool:
        by_story[item.story].append(item.id)
    return {frozenset(pair) for ids in by_story.values() for pair in combinations(sorted(ids), 2)}


def is_relevant(query_id: str, candidate_id: str) -> bool:
    """Judge one candidate of a related list: same half and subject, another story."""
    query, candidate = article(query_id), article(candidate_id)
    return (query.split == candidate.split and query.subject == candidate.subject
            and query.story != candidate.story)


def relevant_for(article_id: str) -> set[str]:
    """Ids of the query's half that a related list should surface (same subject, another story)."""
    query = article(article_id)
    return {a.id for a in _load_cached(query.split)
            if a.subject == query.subject and a.story != query.story}


def judgements(split: str | None = None) -> list[Judgement]:
    """The explicit related judgements, optionally for one half."""
    path = HERE / "related_judgements.jsonl"
    out = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            item = Judgement(row["query"], row["split"], row["subject"], tuple(row["relevant"]),
                             tuple(row["relevant_stories"]), tuple(row["same_story"]))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise CorpusError(f"{path.name}:{lineno}: malformed judgement ({exc})") from exc
        if split is None or item.split == split:
            out.append(item)
    return out
