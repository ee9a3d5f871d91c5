#!/usr/bin/env python3
"""Build the story-clustering / related-articles corpus from its hand-written sources.

    .venv/bin/python bench/eval/build_stories.py          # rewrite stories_*.jsonl + related_judgements.jsonl
    .venv/bin/python bench/eval/build_stories.py --check  # exit 1 if the committed files are stale

The sources (``stories_src/*.txt``) hold every sentence of the corpus, written by hand. Most copies are
written out in full there too (reworded, shortened, intro-line and no-figure versions). Copies that a portal
makes mechanically — paragraphs moved, an attribution line put in front with a paragraph cut, numbers set
in Chinese numerals — are written as an instruction on a hand-written article (``order=``, ``intro=``,
``trim=``, ``t=numerals``), so their facts can never drift from the original's. The JSONL files are the
product; the sources are kept so a reviewer can see how every copy was made.

Source format: a line starting with ``@`` opens a block (``@group``, ``@original``, ``@copy``, ``@followup``,
``@sibling``, ``@distractor``) with ``key=value`` attributes; the next line is the title and the rest the
body, paragraphs separated by blank lines. Lines starting with ``#`` are comments.
"""

from __future__ import annotations

import json
import re
import shlex
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from corpus import TRANSFORMS
from numerals import to_chinese_numerals

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "stories_src"
SHANGHAI = timezone(timedelta(hours=8))
HELDOUT_FIRST_GROUP = 33
DEV_DISTRACTORS = 42  # d001..d042 are dev, d043.. held out
_SENTENCE_END = re.compile(r"(?<=[。！？])")


class SourceError(ValueError):
    """A malformed source block; the message names the file and block."""


@dataclass
class Block:
    kind: str
    attrs: dict[str, str]
    title: str
    paragraphs: list[str]
    where: str


@dataclass
class Group:
    gid: str
    attrs: dict[str, str]
    blocks: list[Block] = field(default_factory=list)


def _parse_file(path: Path) -> tuple[list[Group], list[Block]]:
    groups: list[Group] = []
    distractors: list[Block] = []
    current: tuple[str, dict[str, str], list[str], int] | None = None

    def close() -> None:
        if current is None:
            return
        kind, attrs, lines, lineno = current
        where = f"{path.name}:{lineno}"
        text = "\n".join(lines).strip()
        title, _, rest = text.partition("\n")
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", rest.strip()) if p.strip()]
        block = Block(kind, attrs, title.strip(), paragraphs, where)
        if kind == "group":
            groups.append(Group(attrs.pop("id"), attrs))
        elif kind == "distractor":
            distractors.append(block)
        else:
            if not groups:
                raise SourceError(f"{where}: {kind} before any @group")
            groups[-1].blocks.append(block)

    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("#"):
            continue
        if line.startswith("@"):
            close()
            head, *pairs = shlex.split(line[1:])
            attrs: dict[str, str] = {}
            for pair in pairs:
                key, sep, value = pair.partition("=")
                if not sep:
                    if head == "group" and "id" not in attrs:
                        attrs["id"] = key
                        continue
                    raise SourceError(f"{path.name}:{lineno}: attribute without '=': {pair}")
                attrs[key] = value
            current = (head, attrs, [], lineno)
        elif current is not None:
            current[2].append(line)
    close()
    return groups, distractors


def _when(base: datetime, attrs: dict[str, str]) -> datetime:
    moment = base + timedelta(days=float(attrs.get("d", 0)), hours=float(attrs.get("h", 0)))
    if "at" in attrs:
        hour, minute = (int(x) for x in attrs["at"].split(":"))
        moment = moment.replace(hour=hour, minute=minute)
    return moment


def _derive(source: Block, block: Block, transforms: list[str]) -> list[str]:
    paragraphs = list(source.paragraphs)
    if "trim" in block.attrs:
        trim = block.attrs["trim"]
        if trim == "s":
            sentences = [s for s in _SENTENCE_END.split(paragraphs[-1]) if s]
            if len(sentences) < 2:
                raise SourceError(f"{block.where}: trim=s needs two sentences in the last paragraph")
            paragraphs[-1] = "".join(sentences[:-1])
        else:
            del paragraphs[int(trim) - 1]
    if "order" in block.attrs:
        order = [int(x) - 1 for x in block.attrs["order"].split(",")]
        if sorted(order) != list(range(len(paragraphs))) or order == sorted(order):
            raise SourceError(f"{block.where}: order= must permute all {len(paragraphs)} paragraphs")
        paragraphs = [paragraphs[i] for i in order]
    if "intro" in block.attrs:
        paragraphs[0] = block.attrs["intro"] + paragraphs[0]
    for name, key in (("reordered", "order"), ("intro", "intro")):
        if (name in transforms) != (key in block.attrs):
            raise SourceError(f"{block.where}: transform {name} and attribute {key}= must go together")
    return paragraphs


def _record(rid: str, group: str | None, story: str, role: str, block: Block, attrs: dict[str, str],
            when: datetime, title: str, paragraphs: list[str], transform: list[str] | None) -> dict:
    return {
        "id": rid,
        "group": group,
        "story": story,
        "subject": block.attrs.get("subject", attrs.get("subject")),
        "role": role,
        "transform": transform,
        "channel": block.attrs.get("ch", attrs.get("channel")),
        "source": block.attrs["src"],
        "published_at": when.isoformat(timespec="minutes"),
        "title": title,
        "body": "\n\n".join(paragraphs),
    }


def build_group(group: Group) -> list[dict]:
    """Turn one group's blocks into labelled records (original, copies, follow-up, sibling)."""
    base = datetime.fromisoformat(group.attrs["date"]).replace(tzinfo=SHANGHAI)
    originals = [b for b in group.blocks if b.kind == "original"]
    if len(originals) != 1:
        raise SourceError(f"{group.gid}: needs exactly one @original")
    original = originals[0]
    records: list[dict] = []
    copies = 0
    for block in group.blocks:
        when = _when(base, block.attrs)
        if block.kind == "original":
            records.append(_record(f"{group.gid}-original", group.gid, group.gid, "original", block,
                                   group.attrs, base, block.title, block.paragraphs, None))
        elif block.kind == "copy":
            copies += 1
            transforms = block.attrs["t"].split(",")
            unknown = set(transforms) - set(TRANSFORMS)
            if unknown:
                raise SourceError(f"{block.where}: unknown transforms {sorted(unknown)}")
            paragraphs = block.paragraphs
            if not paragraphs:
                paragraphs = _derive(original, block, transforms)
            title = block.title or original.title
            if "numerals" in transforms:
                title = to_chinese_numerals(title)
                paragraphs = [to_chinese_numerals(p) for p in paragraphs]
            records.append(_record(f"{group.gid}-copy{copies}", group.gid, group.gid, "copy", block,
                                   group.attrs, when, title, paragraphs, transforms))
        elif block.kind in ("followup", "sibling"):
            rid = f"{group.gid}-{block.kind}"
            records.append(_record(rid, group.gid, rid, block.kind, block, group.attrs, when, block.title,
                                   block.paragraphs, None))
        else:
            raise SourceError(f"{block.where}: unknown block @{block.kind}")
    return records


def build_distractor(block: Block) -> dict:
    """A stand-alone article that shares surface words with the groups but not their subjects."""
    when = datetime.fromisoformat(block.attrs["date"]).replace(tzinfo=SHANGHAI)
    rid = block.attrs["id"]
    return _record(rid, None, rid, "distractor", block, block.attrs, when, block.title, block.paragraphs,
                   None)


def split_of(record: dict) -> str:
    """g01..g32 and the first half of the distractors are dev; the rest is held out."""
    if record["group"] is not None:
        return "heldout" if int(record["group"][1:]) >= HELDOUT_FIRST_GROUP else "dev"
    return "heldout" if int(record["id"][1:]) > DEV_DISTRACTORS else "dev"


def judgements(records: list[dict]) -> list[dict]:
    """Explicit related judgements: for each query, every article of its half on the same subject but
    another story. Queries: each group's original and follow-up, and distractors that have same-subject
    peers."""
    by_split: dict[str, list[dict]] = {"dev": [], "heldout": []}
    for record in records:
        by_split[split_of(record)].append(record)
    out: list[dict] = []
    for split, items in by_split.items():
        for query in items:
            if query["role"] not in ("original", "followup", "distractor"):
                continue
            relevant = [r for r in items if r["subject"] == query["subject"] and r["story"] != query["story"]]
            if not relevant:
                continue
            out.append({
                "query": query["id"],
                "split": split,
                "subject": query["subject"],
                "relevant": [r["id"] for r in relevant],
                "relevant_stories": sorted({r["story"] for r in relevant}),
                "same_story": [r["id"] for r in items if r["story"] == query["story"] and r is not query],
            })
    return out


def build() -> dict[str, str]:
    """Return the text of every output file, keyed by file name."""
    records: list[dict] = []
    distractors: list[dict] = []
    for path in sorted(SOURCES.glob("*.txt")):
        groups, blocks = _parse_file(path)
        for group in groups:
            records.extend(build_group(group))
        distractors.extend(build_distractor(b) for b in blocks)
    records.sort(key=lambda r: int(r["group"][1:]))
    distractors.sort(key=lambda r: int(r["id"][1:]))
    everything = records + distractors

    def dump(rows: list[dict]) -> str:
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)

    return {
        "stories_dev.jsonl": dump([r for r in everything if split_of(r) == "dev"]),
        "stories_heldout.jsonl": dump([r for r in everything if split_of(r) == "heldout"]),
        "related_judgements.jsonl": dump(judgements(everything)),
    }


def main(argv: list[str]) -> int:
    files = build()
    if "--check" in argv:
        stale = [n for n, text in files.items()
                 if not (HERE / n).exists() or (HERE / n).read_text(encoding="utf-8") != text]
        for name in stale:
            print(f"stale: bench/eval/{name} (run bench/eval/build_stories.py)")
        return 1 if stale else 0
    for name, text in files.items():
        (HERE / name).write_text(text, encoding="utf-8")
        print(f"wrote bench/eval/{name}: {text.count(chr(10))} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
