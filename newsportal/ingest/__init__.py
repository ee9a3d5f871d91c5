"""Getting articles in from outside: JSON-lines imports now; partner feeds come later."""

from newsportal.ingest.jsonl import ImportReport, import_jsonl

__all__ = ["ImportReport", "import_jsonl"]
