"""Sentence vectors of published articles: one float32 matrix in memory, a SQLite side file on disk.

Related lists and 为你推荐 compare articles by meaning (:mod:`newsportal.recommend.semantic`). Embedding
costs a few milliseconds per article, so it happens once, shortly after the article is published (the
embedding queue, :mod:`newsportal.recommend.embedding`, off the publish path), and the vector is kept twice:

* in memory, a row of one contiguous ``(n, dim)`` float32 matrix, so "which articles mean the same as this
  one" is a single matrix-vector product. Rows are appended in publication order; a nearest-neighbour search
  scans only the newest ``window`` rows (a full scan of 100,000 × 512 costs ~13 ms here, 20,000 rows ~2.5 ms),
  while any article's own vector can still be compared by id;
* on disk, one row per article in ``vectors.sqlite3`` in the data directory (id, digest of the embedded text,
  the article's trust-free quality, float16 vector blob), so a restart reads 100,000 vectors in seconds
  instead of re-embedding them for minutes. Several processes may share the file (WAL mode).
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np

from newsportal.recommend.semantic import Embedder

#: Newest rows a nearest-neighbour scan covers (older articles still join through BM25 candidates).
WINDOW = 20_000
#: Characters of the body that follow the title in the embedded text (the embedder cuts at 128 anyway).
LEAD_CHARS = 100


def embed_text(title: str, text: str) -> str:
    """What is embedded for an article: its title, then the lead of its body (which carries the subject)."""
    return f"{(title or '').strip()}。{(text or '').strip()[:LEAD_CHARS]}"


def digest(text: str) -> str:
    """A short fingerprint of embedded text: an edit that changes it needs a new vector."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


class Stored(NamedTuple):
    """One persisted row: the vector and what was learnt alongside it at publish time."""

    digest: str
    base_quality: float  # quality at full source trust (see newsroom.sources.scale_quality)
    clickbait: bool
    vector: np.ndarray


class VectorFile:
    """The on-disk copy: ``path`` None keeps nothing (tests and throwaway portals with an in-memory index)."""

    def __init__(self, path: Path | None, model: str) -> None:
        self.path = path
        self.model = model
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("CREATE TABLE IF NOT EXISTS vectors (id INTEGER PRIMARY KEY, model TEXT NOT NULL,"
                         " digest TEXT NOT NULL, quality REAL NOT NULL, clickbait INTEGER NOT NULL,"
                         " vec BLOB NOT NULL)")
            conn.commit()
            self._conn = conn

    def save(self, rows: Iterable[tuple[int, Stored]]) -> None:
        if self._conn is None:
            return
        data = [(aid, self.model, s.digest, float(s.base_quality), int(s.clickbait),
                 np.asarray(s.vector, dtype=np.float16).tobytes()) for aid, s in rows]
        with self._lock:
            if self._conn is None:  # closed meanwhile (a shutdown while the embedding queue finished a round)
                return
            self._conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?, ?, ?)", data)
            self._conn.commit()

    def load(self, ids: Sequence[int] | None = None) -> Iterator[tuple[int, Stored]]:
        """Stored rows of this model (all, or the given ids); rows of another model are ignored."""
        if self._conn is None:
            return
        with self._lock:
            if self._conn is None:
                return
            if ids is None:
                rows = self._conn.execute("SELECT id, digest, quality, clickbait, vec FROM vectors"
                                          " WHERE model = ?", (self.model,)).fetchall()
            else:
                rows = []
                for start in range(0, len(ids), 500):
                    chunk = list(ids[start:start + 500])
                    marks = ",".join("?" * len(chunk))
                    rows += self._conn.execute(
                        f"SELECT id, digest, quality, clickbait, vec FROM vectors WHERE model = ?"
                        f" AND id IN ({marks})", (self.model, *chunk)).fetchall()
        for aid, dig, quality, flag, blob in rows:
            vec = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
            yield aid, Stored(dig, quality, bool(flag), vec)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


class ArticleVectors:
    """Article id → unit vector, held in one growing matrix; thread-safe for one writer, many readers."""

    def __init__(self, embedder: Embedder, file: VectorFile | None = None, window: int = WINDOW) -> None:
        self.embedder = embedder
        self.dim = embedder.dim
        self.file = file or VectorFile(None, type(embedder).__name__)
        self.window = window
        self._mat = np.zeros((1024, self.dim), dtype=np.float32)
        self._ids = np.full(1024, -1, dtype=np.int64)  # -1 marks a free (dropped) row
        self._n = 0
        self._row: dict[int, int] = {}
        self._digest: dict[int, str] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._row)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._row

    def digest_of(self, article_id: int) -> str | None:
        return self._digest.get(article_id)

    def get(self, article_id: int) -> np.ndarray | None:
        row = self._row.get(article_id)
        return None if row is None else self._mat[row]

    def put(self, article_id: int, vector: np.ndarray, text_digest: str = "") -> None:
        """Set an article's vector; it moves to the newest row (an edit counts as fresh)."""
        vec = np.asarray(vector, dtype=np.float32).reshape(-1)
        if vec.shape[0] != self.dim:
            raise ValueError(f"vector has {vec.shape[0]} dimensions, expected {self.dim}")
        with self._lock:
            self._drop_locked(article_id)
            if self._n == len(self._mat):
                self._grow_locked()
            self._mat[self._n] = vec
            self._ids[self._n] = article_id
            self._row[article_id] = self._n
            self._digest[article_id] = text_digest
            self._n += 1

    def drop(self, article_id: int) -> None:
        with self._lock:
            self._drop_locked(article_id)

    def _drop_locked(self, article_id: int) -> None:
        row = self._row.pop(article_id, None)
        self._digest.pop(article_id, None)
        if row is not None:
            self._mat[row] = 0.0
            self._ids[row] = -1

    def _grow_locked(self) -> None:
        live = self._ids[: self._n] >= 0
        if live.sum() < self._n * 3 // 4:  # many dropped rows: compact instead of growing
            keep = np.flatnonzero(live)
            self._mat[: len(keep)] = self._mat[keep]
            self._ids[: len(keep)] = self._ids[keep]
            self._ids[len(keep):] = -1
            self._mat[len(keep):] = 0.0
            self._n = len(keep)
            self._row = {int(a): i for i, a in enumerate(self._ids[: self._n])}
            if self._n < len(self._mat):
                return
        size = max(1024, len(self._mat) * 2)
        mat = np.zeros((size, self.dim), dtype=np.float32)
        mat[: self._n] = self._mat[: self._n]
        ids = np.full(size, -1, dtype=np.int64)
        ids[: self._n] = self._ids[: self._n]
        self._mat, self._ids = mat, ids

    def similarities(self, vector: np.ndarray, ids: Sequence[int]) -> np.ndarray:
        """Cosine similarity of ``vector`` with each given article (0 for one without a vector)."""
        rows = [self._row.get(a, -1) for a in ids]
        out = np.zeros(len(ids), dtype=np.float32)
        have = [i for i, r in enumerate(rows) if r >= 0]
        if have:
            out[have] = self._mat[[rows[i] for i in have]] @ vector
        return out

    def nearest(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The ``k`` most similar articles among the newest ``window`` rows, best first."""
        n = self._n
        start = max(0, n - self.window)
        if n == start or k <= 0:
            return []
        sims = self._mat[start:n] @ np.asarray(vector, dtype=np.float32)
        ids = self._ids[start:n]
        sims = np.where(ids >= 0, sims, -2.0)
        k = min(k, n - start)
        top = np.argpartition(sims, -k)[-k:]
        top = top[np.argsort(-sims[top])]
        return [(int(ids[i]), float(sims[i])) for i in top if ids[i] >= 0]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self.embedder.embed(texts)

    def add_articles(self, items: Sequence[tuple[int, str, str, tuple[float, bool]]]) -> int:
        """Embed and keep ``(id, title, body text, (base quality, clickbait))`` items, in one batch.

        An article whose embedded text is unchanged since its last vector is skipped (an edit of other
        fields, or a re-save, costs nothing). Returns how many were embedded.
        """
        todo = []
        for aid, title, text, base in items:
            content = embed_text(title, text)
            dig = digest(content)
            if self._digest.get(aid) != dig:
                todo.append((aid, content, dig, base))
        if not todo:
            return 0
        vectors = self.embedder.embed([content for _, content, _, _ in todo])
        for (aid, _, dig, _), vec in zip(todo, vectors, strict=True):
            self.put(aid, vec, dig)
        self.file.save((aid, Stored(dig, base[0], base[1], vec)) for (aid, _, dig, base), vec
                       in zip(todo, vectors, strict=True))
        return len(todo)
