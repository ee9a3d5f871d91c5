"""The article index: tantivy (a Rust BM25 engine) over rjieba tokens, on disk in the data directory.

Chinese has no spaces, so tokens come from rjieba and reach tantivy pre-joined with spaces under its
whitespace tokenizer: tantivy's own tokenizers would cut Chinese into single characters. tantivy gives what a
news index needs: documents added and deleted one at a time (publishing an article costs a small commit, no
rebuild), BM25 scoring, an index that lives in memory-mapped files (a 100,000-article corpus costs little RSS)
and survives restarts.

Besides the searchable fields, each document stores its *signature*: its most frequent title and body terms
with their counts. More-like-this queries (相关推荐) start from it, and story clustering compares signatures.
"""

from __future__ import annotations

import contextlib
import json
import math
import shutil
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import tantivy

from newsportal.store import IndexDoc
from newsportal.text import tokenize

SCHEMA_VERSION = 1
LOCK_WAIT_SECONDS = 30.0
SIGNATURE_TERMS = 40
TITLE_BOOST = 3  # a title term counts as this many body occurrences in the signature


def doc_terms(doc: IndexDoc) -> tuple[list[str], list[str], dict[str, int]]:
    """(title tokens, body tokens, signature) of a document; the signature keeps multi-character terms."""
    title = tokenize(doc.title)
    body = tokenize(doc.text)
    counts: Counter[str] = Counter(t for t in body if len(t) > 1)
    for t in title:
        if len(t) > 1:
            counts[t] += TITLE_BOOST
    return title, body, dict(counts.most_common(SIGNATURE_TERMS))


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("id", stored=True, indexed=True, fast=True)
    sb.add_text_field("title", stored=False, tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field("body", stored=False, tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field("tags", stored=False, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("sig", stored=True, tokenizer_name="raw", index_option="basic")
    return sb.build()


class IndexBusy(RuntimeError):
    """Another process kept the index's write lock longer than :data:`LOCK_WAIT_SECONDS`."""


class TextIndex:
    """One index; ``path=None`` keeps it in memory (tests, tools).

    The write lock is taken per write and released at once (about 10 ms for one article), so the server and
    a CLI import can both write to one on-disk index; readers see a write after the next :meth:`refresh`.
    """

    def __init__(self, path: Path | None = None, writer_heap: int = 15_000_000):
        self.path = path
        self.writer_heap = writer_heap
        self.schema = _schema()
        self._lock = threading.Lock()
        if path is not None:
            path.mkdir(parents=True, exist_ok=True)
            meta = path / "newsportal.json"
            fresh = not meta.exists() or json.loads(meta.read_text()).get("schema") != SCHEMA_VERSION
            if fresh:  # a different schema version: start over (the caller rebuilds from the store)
                shutil.rmtree(path)
                path.mkdir(parents=True)
                meta.write_text(json.dumps({"schema": SCHEMA_VERSION}))
            self.index = tantivy.Index(self.schema, path=str(path), reuse=True)
        else:
            self.index = tantivy.Index(self.schema)
        self.index.reload()

    @contextlib.contextmanager
    def _writing(self, heap: int | None = None) -> Iterator[tantivy.IndexWriter]:
        """Hold the write lock for one batch of changes, commit them, release the lock."""
        with self._lock:
            deadline = time.monotonic() + LOCK_WAIT_SECONDS
            while True:
                try:
                    writer = self.index.writer(heap_size=heap or self.writer_heap, num_threads=1)
                    break
                except ValueError as exc:  # tantivy reports a held lock as ValueError("…LockBusy…")
                    if "LockBusy" not in str(exc) or time.monotonic() > deadline:
                        raise IndexBusy(f"search index is locked by another writer: {exc}") from exc
                    time.sleep(0.05)
            try:
                yield writer
                writer.commit()
            except BaseException:
                writer.rollback()
                raise
            finally:
                writer.wait_merging_threads()  # consumes the writer: the lock is released here
            self.index.reload()

    def refresh(self) -> None:
        """See commits made by other processes."""
        self.index.reload()

    # -- writes ----------------------------------------------------------------------------------------
    def _document(self, doc: IndexDoc) -> tantivy.Document:
        title, body, sig = doc_terms(doc)
        return tantivy.Document(
            id=doc.id,
            title=" ".join(title),
            body=" ".join(body),
            tags=[t.lower() for t in doc.tags] or [""],
            sig=json.dumps({"terms": sig, "tags": list(doc.tags)}, ensure_ascii=False),
        )

    def upsert(self, doc: IndexDoc) -> None:
        """Add or replace one article; it is searchable on return."""
        document = self._document(doc)
        with self._writing() as writer:
            writer.delete_documents_by_term("id", doc.id)
            writer.add_document(document)

    def add_many(self, docs: Iterable[IndexDoc], progress=None) -> int:
        """Add (or replace) many articles in one commit: bulk loads and start-up repair."""
        n = 0
        with self._writing(heap=128_000_000) as writer:
            for doc in docs:
                writer.delete_documents_by_term("id", doc.id)
                writer.add_document(self._document(doc))
                n += 1
                if progress:
                    progress(1)
        return n

    def delete(self, *article_ids: int) -> None:
        with self._writing() as writer:
            for article_id in article_ids:
                writer.delete_documents_by_term("id", article_id)

    def clear(self) -> None:
        with self._writing() as writer:
            writer.delete_all_documents()

    # -- reads -----------------------------------------------------------------------------------------
    def __len__(self) -> int:
        return self.index.searcher().num_docs

    def signature(self, article_id: int) -> tuple[dict[str, int], list[str]] | None:
        """(term counts, tags) stored for an article, or None when it is not indexed."""
        searcher = self.index.searcher()
        hits = searcher.search(tantivy.Query.term_query(self.schema, "id", article_id), 1, count=False).hits
        if not hits:
            return None
        stored = json.loads(searcher.doc(hits[0][1])["sig"][0])
        return stored["terms"], stored["tags"]

    def ids(self) -> set[int]:
        """Every indexed article id (start-up consistency check against the store)."""
        searcher = self.index.searcher()
        n = searcher.num_docs
        if n == 0:
            return set()
        hits = searcher.search(tantivy.Query.all_query(), n, count=False).hits
        return {searcher.doc(address)["id"][0] for _, address in hits}

    def doc_freqs(self, terms: Iterable[str]) -> tuple[dict[str, int], int]:
        """Document frequency of each term in the body field, and the number of documents."""
        searcher = self.index.searcher()
        return {t: searcher.doc_freq("body", t) for t in terms}, searcher.num_docs

    def idf(self, terms: Iterable[str]) -> dict[str, float]:
        """BM25's idf of each term over the body field (0 for unknown terms)."""
        searcher = self.index.searcher()
        n = searcher.num_docs
        out = {}
        for t in terms:
            df = searcher.doc_freq("body", t)
            out[t] = math.log(1 + (n - df + 0.5) / (df + 0.5)) if df else 0.0
        return out

    def _ids(self, searcher, hits) -> list[tuple[int, float]]:
        out = []
        for score, address in hits:
            out.append((searcher.doc(address)["id"][0], float(score)))
        return out

    def more_like(
        self,
        signature: dict[str, int],
        limit: int,
        tags: Iterable[str] = (),
        max_terms: int = 25,
        title_field: bool = True,
    ) -> list[tuple[int, float]]:
        """Articles most similar to a signature by BM25, best first (the query article included)."""
        if not signature or limit <= 0:
            return []
        idf = self.idf(signature)
        weighted = sorted(
            ((1 + math.log(c)) * idf[t], t) for t, c in signature.items() if idf.get(t, 0) > 0
        )[-max_terms:]
        clauses = []
        for weight, term in weighted:
            clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(
                tantivy.Query.term_query(self.schema, "body", term), weight)))
            if title_field:
                clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(
                    tantivy.Query.term_query(self.schema, "title", term), weight)))
        for tag in tags:
            clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(
                tantivy.Query.term_query(self.schema, "tags", tag.lower()), 4.0)))
        if not clauses:
            return []
        searcher = self.index.searcher()
        hits = searcher.search(tantivy.Query.boolean_query(clauses), limit, count=False).hits
        return self._ids(searcher, hits)

    def search(self, text: str, limit: int = 20, offset: int = 0) -> tuple[list[tuple[int, float]], int]:
        """Reader search: every query token should match (title matches weigh triple); returns hits and total."""
        tokens = list(dict.fromkeys(tokenize(text)))[:20]
        if not tokens:
            return [], 0
        musts = []
        for t in tokens:
            either = tantivy.Query.boolean_query([
                (tantivy.Occur.Should, tantivy.Query.boost_query(tantivy.Query.term_query(self.schema, "title", t), 3.0)),
                (tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "body", t)),
                (tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "tags", t)),
            ])
            musts.append((tantivy.Occur.Must, either))
        searcher = self.index.searcher()
        result = searcher.search(tantivy.Query.boolean_query(musts), limit, count=True, offset=offset)
        return self._ids(searcher, result.hits), int(result.count or 0)
