"""The embedding queue: sentence vectors are computed beside the publish flow, never inside it.

Embedding is the dearest step of a publish (a few milliseconds a text on an idle core, far more under load,
and over a second to load the model the first time), yet nothing a publish must get right depends on it:
clustering uses words, the index uses words, the quality model uses words. Related lists, 为你推荐 and the
near-copy guard use vectors, and each falls back without one (BM25 candidates; story ids). So the publish
tail stores, clusters, indexes and purges, and then hands the article to this queue; a background thread
drains what is queued, embeds it in one call, and keeps the vectors in memory and in the side file
(:mod:`newsportal.recommend.vectors`). ``on_ready`` tells the caller which articles just got vectors, so
pages cached while they had none can be rebuilt.

Correctness rules, all under one lock:

* every request gets a ticket; a result is kept only if its ticket is still the article's newest, so an
  edit made while the old text was being embedded wins, and :meth:`EmbedQueue.discard` (the article was
  withdrawn) makes any in-flight result void;
* ``keep(article_id)`` (the catalogue: is it live?) is asked again when a vector is written, so no vector of
  an article that left the site is put back;
* a text whose digest matches the article's current vector is not queued (a re-save costs nothing).

Without a running thread (a CLI command, a test) nothing is embedded until :meth:`EmbedQueue.drain` is
called (the portal drains when it closes), except that a queue that reaches ``batch`` items drains itself
in line so a long import holds a bounded backlog. :meth:`EmbedQueue.stop` abandons what is still queued:
vectors missing at the next start are queued again from the catalogue.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from newsportal.recommend.vectors import ArticleVectors, Stored, digest, embed_text

log = logging.getLogger(__name__)

#: Articles embedded per call: batches cost about half as much per text as single texts.
BATCH = 256

#: (article id, title, body text, (base quality, clickbait)) — what :meth:`ArticleVectors.add_articles` takes.
Item = tuple[int, str, str, tuple[float, bool]]
#: Reads articles by id (a start-up backfill, another process's writes) as items; the caller filters to live.
Loader = Callable[[Sequence[int]], list[Item]]
Ready = Callable[[tuple[int, ...]], None]


#: The OS name of the queue's thread (``top -H``, ``/proc/<pid>/task/*/comm``), so its CPU can be told apart.
THREAD_NAME = "np-embedding"


def _name_os_thread(name: str) -> None:
    if sys.platform != "linux":
        return
    try:
        import ctypes

        ctypes.CDLL(None).prctl(15, name.encode()[:15], 0, 0, 0)  # PR_SET_NAME
    except (OSError, AttributeError):
        pass  # only a name: the queue works without it


@dataclass(frozen=True, slots=True)
class _Job:
    ticket: int
    content: str
    digest: str
    base: tuple[float, bool]


class EmbedQueue:
    """Articles waiting for their sentence vector; see the module docstring."""

    def __init__(self, vectors: ArticleVectors, *, keep: Callable[[int], bool] = lambda _aid: True,
                 loader: Loader | None = None, on_ready: Ready | None = None, batch: int = BATCH) -> None:
        self.vectors = vectors
        self.keep = keep
        self.loader = loader
        self.on_ready = on_ready
        self.batch = batch
        self._jobs: dict[int, _Job] = {}  # queued, oldest first
        self._backlog: dict[int, None] = {}  # ids to read with ``loader`` first (ordered set)
        self._newest: dict[int, int] = {}  # article id → ticket of its newest request, queued or in flight
        self._ticket = 0
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._busy = 0  # rounds in flight
        self.embedded = 0  # vectors written so far (texts embedded here or found in the side file)
        self.warmed = threading.Event()

    # -- what the publish flow calls -------------------------------------------------------------------
    def put(self, items: Iterable[Item]) -> int:
        """Queue published articles for embedding; returns how many were queued (unchanged texts are not)."""
        with self._cond:
            queued = self._enqueue_locked(items)
            if queued:
                self._cond.notify_all()
            inline = self._thread is None and len(self._jobs) >= self.batch
        if inline:
            self.drain()
        return queued

    def put_ids(self, ids: Iterable[int]) -> int:
        """Queue articles by id, to be read with the loader when their turn comes (start-up backfill)."""
        with self._cond:
            before = len(self._backlog)
            self._backlog.update((a, None) for a in ids if a not in self._jobs)
            added = len(self._backlog) - before
            if added:
                self._cond.notify_all()
        return added

    def discard(self, article_id: int) -> None:
        """The article has no vector any more (withdrawn): drop it, its queued request and any in flight."""
        with self._cond:
            self._jobs.pop(article_id, None)
            self._backlog.pop(article_id, None)
            self._newest.pop(article_id, None)
            self.vectors.drop(article_id)

    def pending(self, article_id: int | None = None) -> int:
        """How many articles wait (queued or in flight); with an id, 1 if that one does, else 0."""
        with self._cond:
            if article_id is not None:
                return int(article_id in self._newest or article_id in self._backlog)
            return len(self._newest) + len(self._backlog)

    def _enqueue_locked(self, items: Iterable[Item]) -> int:
        queued = 0
        for aid, title, text, base in items:
            content = embed_text(title, text)
            dig = digest(content)
            self._backlog.pop(aid, None)
            if dig == self.vectors.digest_of(aid):
                # the vector in memory is for this very text: nothing to do, and a stale result in flight
                # (an edit and its undo) must not overwrite it
                self._jobs.pop(aid, None)
                self._newest.pop(aid, None)
                continue
            self._ticket += 1
            self._jobs.pop(aid, None)  # re-queued at the back with the newer text
            self._jobs[aid] = _Job(self._ticket, content, dig, base)
            self._newest[aid] = self._ticket
            queued += 1
        return queued

    # -- the work --------------------------------------------------------------------------------------
    def drain(self) -> int:
        """Embed everything queued now, in this thread; returns how many vectors were written."""
        done = 0
        while True:
            worked, written = self._round()
            done += written
            if not worked:
                return done

    def _round(self) -> tuple[bool, int]:
        """One step: read a chunk of the backlog into jobs, or embed up to ``batch`` jobs.

        Returns (whether there was anything to do, how many vectors were written)."""
        with self._cond:
            if self._jobs:
                take = list(self._jobs.items())[: self.batch]
                for aid, _ in take:
                    del self._jobs[aid]
                ids: list[int] = []
            elif self._backlog:
                ids = list(self._backlog)[: self.batch]
                for aid in ids:
                    del self._backlog[aid]
                take = []
            else:
                return False, 0
            self._busy += 1
        try:
            if ids:
                items = self.loader(ids) if self.loader is not None else []
                with self._cond:
                    self._enqueue_locked(i for i in items if self.keep(i[0]))
                return True, 0
            return True, self._embed(take)
        finally:
            with self._cond:
                self._busy -= 1
                self._cond.notify_all()

    def _embed(self, take: list[tuple[int, _Job]]) -> int:
        # Another process may have embedded the same text already (it published the article): reuse it.
        jobs = dict(take)
        found = {aid: s.vector for aid, s in self.vectors.file.load(list(jobs))
                 if s.digest == jobs[aid].digest}
        todo = [(aid, job) for aid, job in take if aid not in found]
        try:
            fresh = self.vectors.embed([job.content for _, job in todo]) if todo else np.zeros((0, 0))
        except Exception:
            log.exception("embedding %d articles failed; they stay without vectors until a restart",
                          len(todo))
            with self._cond:
                for aid, job in take:
                    if self._newest.get(aid) == job.ticket:
                        del self._newest[aid]
            return 0
        vectors = dict(found)
        vectors.update((aid, vec) for (aid, _), vec in zip(todo, fresh, strict=True))
        written: list[int] = []
        with self._cond:
            for aid, job in take:
                if self._newest.get(aid) != job.ticket:
                    continue  # edited again, or withdrawn, while this ran
                del self._newest[aid]
                if self.keep(aid):
                    self.vectors.put(aid, vectors[aid], job.digest)
                    written.append(aid)
            self.embedded += len(written)
        self.vectors.file.save((aid, Stored(jobs[aid].digest, jobs[aid].base[0], jobs[aid].base[1],
                                            vectors[aid])) for aid in written if aid not in found)
        if written and self.on_ready is not None:
            try:
                self.on_ready(tuple(written))
            except Exception:
                log.exception("on_ready of the embedding queue failed")
        return len(written)

    # -- the background thread -------------------------------------------------------------------------
    def warm(self) -> None:
        """Load the model now (one short text through it), so the first publish finds it ready."""
        self.vectors.embed(["预热"])
        self.warmed.set()

    def start(self, warm: bool = True) -> EmbedQueue:
        """Run the queue in a daemon thread; with ``warm`` it loads the model before anything else."""
        with self._cond:
            if self._thread is not None:
                return self
            self._stopping = False
            self._thread = threading.Thread(target=self._run, args=(warm,), name=THREAD_NAME, daemon=True)
        self._thread.start()
        return self

    def _run(self, warm: bool) -> None:
        _name_os_thread(THREAD_NAME)
        if warm:
            try:
                self.warm()
            except Exception:
                log.exception("loading the embedding model failed")
        while True:
            with self._cond:
                while not self._stopping and not self._jobs and not self._backlog:
                    self._cond.wait()
                if self._stopping:
                    return
            try:
                self._round()
            except Exception:  # never let the thread die: later publishes still want vectors
                log.exception("embedding round failed")

    def wait_idle(self, timeout: float) -> bool:
        """Until nothing is queued or in flight (bench, operators' tools); False if ``timeout`` passed."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._jobs and not self._backlog and not self._busy,
                                       timeout)

    def stop(self, timeout: float = 10.0) -> int:
        """Stop the thread after the round in progress; what is still queued is abandoned (returned)."""
        with self._cond:
            self._stopping = True
            abandoned = len(self._jobs) + len(self._backlog)
            for aid in self._jobs:
                self._newest.pop(aid, None)
            self._jobs.clear()
            self._backlog.clear()
            self._cond.notify_all()
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                log.warning("embedding thread still busy after %.0fs; leaving it", timeout)
        if abandoned:
            log.info("embedding queue stopped: %d articles left without vectors (embedded at next start)",
                     abandoned)
        return abandoned

    @property
    def running(self) -> bool:
        return self._thread is not None
