"""Getting articles in from outside: JSON-lines imports, partner feeds, partner pages and ninjs pushes.

The partner modules (``fetch``, ``encoding``, ``feeds``, ``pages``, ``ninjs``, ``items``) are a library that
turns bytes into validated :class:`~newsportal.ingest.items.IngestItem` values and import nothing from the
store or the portal. ``import_jsonl`` is loaded lazily because it needs the portal: importing
``newsportal.ingest.feeds`` must not drag the whole application in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsportal.ingest.jsonl import ImportReport, import_jsonl

__all__ = ["ImportReport", "import_jsonl"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from newsportal.ingest import jsonl

        return getattr(jsonl, name)
    raise AttributeError(f"module 'newsportal.ingest' has no attribute {name!r}")
