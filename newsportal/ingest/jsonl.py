"""Import JSON lines of articles (one :class:`~newsportal.newsroom.schema.ArticleIn` per line).

Each line is validated and saved through the publish flow on its own, so one bad line is reported with its
line number and skipped, never aborting the file or leaving half an article. Lines with an ``external_id``
already in the store update that article: importing the same file twice changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pydantic import ValidationError as PydanticError

from newsportal.newsroom import ValidationError, save_article
from newsportal.newsroom.publish import Desk
from newsportal.newsroom.schema import ArticleIn
from newsportal.store import Conflict

MAX_LINE = 1_000_000


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.errors)


def import_jsonl(
    portal: Desk,
    lines: Iterable[str],
    *,
    actor: str = "import",
    publish: bool | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import lines; ``publish`` overrides each line's own ``publish`` flag when given."""
    report = ImportReport()
    for lineno, line in enumerate(lines, 1):
        if progress:
            progress(1)
        if not line.strip():
            continue
        if len(line) > MAX_LINE:
            report.errors.append((lineno, f"line longer than {MAX_LINE} characters"))
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            report.errors.append((lineno, f"not valid JSON: {exc.msg} at column {exc.colno}"))
            continue
        if not isinstance(data, dict):
            report.errors.append((lineno, "each line must be a JSON object"))
            continue
        try:
            item = ArticleIn.model_validate(data)
        except PydanticError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ())) or "line"
            report.errors.append((lineno, f"{where}: {first.get('msg')}"))
            continue
        existed = item.external_id is not None and (
            portal.store.get_article_by_external_id(item.external_id) is not None)
        try:
            _, changed = save_article(
                portal, item.draft(), actor=actor, publish_now=item.publish if publish is None else publish
            )
        except (ValidationError, Conflict) as exc:
            report.errors.append((lineno, str(exc)))
            continue
        if not existed:
            report.created += 1
        elif changed:
            report.updated += 1
        else:
            report.unchanged += 1
    return report
