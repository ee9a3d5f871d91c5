"""Validate the hand-written demo content files.

Run as ``python newsportal/demo/check_content.py newsportal/demo/content/*.jsonl``. It needs only the
standard library so content authors can check their files before the rest of the package exists.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
REQUIRED: dict[str, type | tuple[type, ...]] = {
    "external_id": str,
    "channel": str,
    "source": str,
    "title": str,
    "summary": str,
    "byline": str,
    "editors": list,
    "tags": list,
    "original": bool,
    "hours_ago": (int, float),
    "paragraphs": list,
}
OPTIONAL = {"reporters": list, "story": str}


def check_file(path: Path, channels: set[str], sources: set[str], seen: set[str]) -> list[str]:
    errors: list[str] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.name}:{lineno}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{where}: not JSON ({exc})")
            continue
        for key, typ in REQUIRED.items():
            if key not in item:
                errors.append(f"{where}: missing {key}")
            elif not isinstance(item[key], typ):
                errors.append(f"{where}: {key} has wrong type")
        for key, typ in OPTIONAL.items():
            if key in item and not isinstance(item[key], typ):
                errors.append(f"{where}: {key} has wrong type")
        unknown = set(item) - set(REQUIRED) - set(OPTIONAL)
        if unknown:
            errors.append(f"{where}: unknown keys {sorted(unknown)}")
        if item.get("channel") not in channels:
            errors.append(f"{where}: unknown channel {item.get('channel')!r}")
        if item.get("source") not in sources:
            errors.append(f"{where}: unknown source {item.get('source')!r}")
        ext = item.get("external_id")
        if ext in seen:
            errors.append(f"{where}: duplicate external_id {ext}")
        seen.add(ext)
        paras = item.get("paragraphs") or []
        if not paras or not all(isinstance(p, str) and p.strip() for p in paras):
            errors.append(f"{where}: paragraphs must be non-empty strings")
        if not 6 <= len(item.get("title", "")) <= 40:
            errors.append(f"{where}: title length {len(item.get('title', ''))} outside 6..40")
        eds = item.get("editors") or []
        if not 1 <= len(eds) <= 2:
            errors.append(f"{where}: editors must have 1 or 2 names")
    return errors


def main(argv: list[str]) -> int:
    channels = {c["slug"] for c in json.loads((HERE / "channels.json").read_text("utf-8"))} - {"home"}
    sources = {s["key"] for s in json.loads((HERE / "sources.json").read_text("utf-8"))}
    seen: set[str] = set()
    errors: list[str] = []
    total = 0
    for name in argv or sorted(str(p) for p in (HERE / "content").glob("*.jsonl")):
        path = Path(name)
        errors += check_file(path, channels, sources, seen)
        total += sum(1 for line in path.read_text("utf-8").splitlines() if line.strip())
    for err in errors:
        print(err)
    print(f"{total} articles, {len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
