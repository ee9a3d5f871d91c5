"""A full rebuild of the search index from the store (``newsportal reindex``).

Needed after a change of tokenisation (a new rjieba dictionary, a schema version) or when the index
directory was lost; start-up only adds what is missing, it never re-tokenises what is there. Documents are
read in chunks so 100,000 articles never sit in memory at once, and committed once at the end so readers of
the old index never see a half-built one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from newsportal.search.docs import IndexDoc
from newsportal.search.index import TextIndex

CHUNK = 1000


class IndexBusy(RuntimeError):
    """Another process (the running server) holds the index's write lock."""

    def __init__(self) -> None:
        super().__init__("搜索索引正由运行中的服务写入：请先停止服务再重建（服务启动时会自动补齐缺失的文章）。")


def reindex(index: TextIndex, ids: Sequence[int], docs_by_ids: Callable[[Sequence[int]], list[IndexDoc]],
            progress: Callable[[int], None] | None = None, chunk: int = CHUNK) -> int:
    """Replace the whole index with the documents of ``ids``; returns how many were indexed."""
    if not index.writable:
        raise IndexBusy()
    docs = (doc for start in range(0, len(ids), chunk) for doc in docs_by_ids(ids[start:start + chunk]))
    with index.bulk_writer():
        index.clear()
        n = index.add_many(docs, progress)
    return n
