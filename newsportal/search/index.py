"""The article index: tantivy (a Rust BM25 engine) over rjieba tokens, on disk in the data directory.

Chinese has no spaces, so tokens come from rjieba and reach tantivy pre-joined with spaces under its
whitespace tokenizer: tantivy's own tokenizers would cut Chinese into single characters. Title and body hold
jieba's *search-mode* stream (:func:`newsportal.search.query.index_tokens`: 待处理 is stored as 处理 待处理)
with positions, so a reader's 处理 finds 待处理 and quoted phrases match by position; reader queries are
built by :func:`~newsportal.search.query.parse_query` (never tantivy's query parser on reader text).
tantivy gives what a news index needs: documents added and deleted one at a time
(publishing an article costs a small commit, no rebuild), BM25 scoring,
an index in memory-mapped files (100,000 articles cost little RSS) that survives restarts.

Besides the searchable fields, each document stores its *signature*: its most frequent title and body terms
with their counts. More-like-this queries (相关推荐) start from it, and story clustering compares signatures.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import shutil
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import tantivy

from newsportal.search.bm25 import idf as bm25_idf
from newsportal.search.docs import IndexDoc
from newsportal.search.query import EmptyQuery, ParsedQuery, index_tokens, parse_query
from newsportal.search.ranking import SearchFilters
from newsportal.text import tokenize
from newsportal.timeutil import to_epoch

log = logging.getLogger(__name__)
SCHEMA_VERSION = 2  # 2: search-mode tokens with positions, filter fields, stored text for snippets
STORED_TEXT_CHARS = 20_000  # kept for result snippets; a match further in shows the lead instead
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
    sb.add_text_field("title", stored=False, tokenizer_name="whitespace", index_option="position")
    sb.add_text_field("body", stored=False, tokenizer_name="whitespace", index_option="position")
    sb.add_bytes_field("text", stored=True, indexed=False)  # plain text for snippets, never searched
    sb.add_integer_field("channel", stored=False, indexed=True, fast=True)
    sb.add_integer_field("source", stored=False, indexed=True, fast=True)
    sb.add_integer_field("published", stored=False, indexed=True, fast=True)
    sb.add_text_field("tags", stored=False, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("sig", stored=True, tokenizer_name="raw", index_option="basic")
    return sb.build()


class TextIndex:
    """One index; ``path=None`` keeps it in memory (tests, tools).

    One process writes an on-disk index: the first to open it keeps tantivy's write lock (a long-lived writer
    costs a fixed 15 MB; opening one per write fragments the heap by about 1 MB each time). Any other process
    (a CLI import while the server runs) opens it read-only: its writes return False and reach the index
    through the writing process, which picks changed articles up from the store (``Portal.refresh``).
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
            if fresh:
                # a different schema version: start over (the caller re-indexes from the store)
                shutil.rmtree(path)
                path.mkdir(parents=True)
                meta.write_text(json.dumps({"schema": SCHEMA_VERSION}))
            self.index = tantivy.Index(self.schema, path=str(path), reuse=True)
        else:
            self.index = tantivy.Index(self.schema)
        self._writer: tantivy.IndexWriter | None = None
        self._acquire()
        self.index.reload()

    def _acquire(self) -> tantivy.IndexWriter | None:
        """The writer, taking tantivy's write lock if this process does not hold it yet; None if read-only."""
        if self._writer is None:
            try:
                self._writer = self.index.writer(heap_size=self.writer_heap, num_threads=1)
            except ValueError as exc:  # tantivy reports a held lock as ValueError("…LockBusy…")
                if "LockBusy" not in str(exc):
                    raise
                log.info("search index %s is written by another process; opened read-only", self.path)
        return self._writer

    @property
    def writable(self) -> bool:
        return self._writer is not None

    def close(self) -> None:
        """Release the write lock (waits for background merges)."""
        with self._lock:
            if self._writer is not None:
                self._writer.wait_merging_threads()
                self._writer = None

    def settle(self) -> None:
        """Finish pending segment merges now (after a bulk load), not while serving pages."""
        with self._lock:
            if self._writer is not None:
                self._writer.wait_merging_threads()
                self._writer = None
                self._acquire()
        self.index.reload()

    @contextlib.contextmanager
    def bulk_writer(self, heap_size: int = 256_000_000, threads: int = 2) -> Iterator[None]:
        """Write through a big writer for a while (a full reindex): tantivy flushes a segment whenever its
        heap fills, so 15 MB means hundreds of small segments to merge; a bigger heap and a second
        indexing thread cut that. The long-lived small writer is back afterwards (its fixed heap is what
        a serving process should keep)."""
        with self._lock:
            if self._writer is None:
                raise RuntimeError("the index is open read-only")
            self._writer.wait_merging_threads()
            self._writer = self.index.writer(heap_size=heap_size, num_threads=threads)
        try:
            yield
        finally:
            self.settle()  # waits for the big writer's merges, then takes the small writer again

    def refresh(self) -> None:
        """See commits made by other processes."""
        self.index.reload()

    # -- writes ----------------------------------------------------------------------------------------
    def _document(self, doc: IndexDoc) -> tantivy.Document:
        _, _, sig = doc_terms(doc)
        published = int(to_epoch(doc.published_at))  # naive UTC in the store
        return tantivy.Document(
            id=doc.id,
            title=" ".join(index_tokens(doc.title)),
            body=" ".join(index_tokens(doc.text)),
            text=doc.text[:STORED_TEXT_CHARS].encode("utf-8"),
            channel=doc.channel_id,
            source=doc.source_id,
            published=published,
            tags=[t.lower() for t in doc.tags] or [""],
            sig=json.dumps({"terms": sig, "tags": list(doc.tags)}, ensure_ascii=False),
        )

    def _commit_locked(self, writer: tantivy.IndexWriter) -> None:
        try:
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        self.index.reload()

    def upsert(self, doc: IndexDoc) -> bool:
        """Add or replace one article; it is searchable on return. False when read-only."""
        document = self._document(doc)
        with self._lock:
            writer = self._acquire()
            if writer is None:
                return False
            writer.delete_documents_by_term("id", doc.id)
            writer.add_document(document)
            self._commit_locked(writer)
        return True

    def add_many(self, docs: Iterable[IndexDoc], progress: Callable[[int], None] | None = None) -> int:
        """Add (or replace) many articles in one commit: bulk loads and start-up repair."""
        n = 0
        with self._lock:
            writer = self._acquire()
            if writer is None:
                return 0
            for doc in docs:
                writer.delete_documents_by_term("id", doc.id)
                writer.add_document(self._document(doc))
                n += 1
                if progress:
                    progress(1)
            self._commit_locked(writer)
        return n

    def delete(self, *article_ids: int) -> bool:
        with self._lock:
            writer = self._acquire()
            if writer is None:
                return False
            for article_id in article_ids:
                writer.delete_documents_by_term("id", article_id)
            self._commit_locked(writer)
        return True

    def clear(self) -> bool:
        with self._lock:
            writer = self._acquire()
            if writer is None:
                return False
            writer.delete_all_documents()
            self._commit_locked(writer)
        return True

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
            out[t] = bm25_idf(df, n) if df else 0.0
        return out

    def _ids(self, searcher, hits) -> list[tuple[int, float]]:
        """(article id, score) of hits, read from the id fast field (no stored document is loaded)."""
        if not hits:
            return []
        ids = searcher.fast_field_values("id", [address for _, address in hits])
        return [(int(i), float(score)) for i, (score, _) in zip(ids, hits, strict=True) if i is not None]

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

    def search(
        self,
        query: ParsedQuery | str,
        limit: int = 20,
        offset: int = 0,
        filters: SearchFilters | None = None,
        by_time: bool = False,
    ) -> tuple[list[tuple[int, float]], int]:
        """Reader search: every word and phrase must match (title hits weigh triple); hits and total.

        ``query`` is a parsed query or the reader's text (parsed here; no searchable word → no hits).
        ``by_time`` orders matches newest first (the score is then the publish time, epoch seconds).
        """
        if isinstance(query, str):
            try:
                query = parse_query(query)
            except EmptyQuery:
                return [], 0
        q = query.to_tantivy(self.schema, exact_fields={"tags": 3.0})
        if filters is not None:
            q = filters.apply(self.schema, q)
        searcher = self.index.searcher()
        if by_time:
            result = searcher.search(q, limit, count=True, offset=offset, order_by_field="published")
        else:
            result = searcher.search(q, limit, count=True, offset=offset)
        return self._ids(searcher, result.hits), int(getattr(result, "count", 0) or 0)

    def stored_texts(self, article_ids: Iterable[int]) -> dict[int, str]:
        """The snippet texts of many articles with one index query (a results page: one search instead of
        twenty); articles not indexed are left out."""
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return {}
        searcher = self.index.searcher()
        hits = searcher.search(tantivy.Query.term_set_query(self.schema, "id", ids), len(ids),
                               count=False).hits
        out: dict[int, str] = {}
        for _, address in hits:
            doc = searcher.doc(address)
            stored = doc.get_first("text")
            out[int(doc["id"][0])] = bytes(stored).decode("utf-8", "replace") if stored else ""
        return out

    def stored_text(self, article_id: int) -> str:
        """The plain text kept for snippets ("" when the article is not indexed)."""
        searcher = self.index.searcher()
        hits = searcher.search(tantivy.Query.term_query(self.schema, "id", article_id), 1, count=False).hits
        if not hits:
            return ""
        stored = searcher.doc(hits[0][1]).get_first("text")
        return bytes(stored).decode("utf-8", "replace") if stored else ""
