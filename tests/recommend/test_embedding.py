"""The embedding queue (recommend/embedding.py) over the real model and a real side file: nothing is
embedded until the queue is drained, a drain embeds what is queued in one call, an edit or a withdrawal made
while a round runs wins over that round, and the background thread loads the model first."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

import numpy as np

from newsportal.recommend.embedding import EmbedQueue
from newsportal.recommend.semantic import default_embedder
from newsportal.recommend.vectors import ArticleVectors, VectorFile, digest, embed_text

WAIT = 30.0  # generous bound for anything a thread does


class Recording:
    """The real embedder, recording each call's texts; ``during`` runs inside a call (once), and ``gate``
    (when given) holds every call until it is set, so a test can act while a round is in flight."""

    def __init__(self, during: Callable[[], None] | None = None, gate: threading.Event | None = None):
        self.real = default_embedder()
        self.dim = self.real.dim
        self.calls: list[list[str]] = []
        self.during = during
        self.gate = gate
        self.entered = threading.Event()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        self.entered.set()
        if self.gate is not None:
            assert self.gate.wait(WAIT), "the test never opened the gate"
        if self.during is not None:
            during, self.during = self.during, None
            during()
        return self.real.embed(texts)


ITEMS = [
    (1, "江州港新开两条集装箱航线", "江州港今天开通两条通往东南亚的集装箱航线，每周各有两班。", (0.9, False)),
    (2, "城西菜市场改造完工重新开门", "改造后的城西菜市场增加了停车位和冷链摊位。", (0.8, False)),
    (3, "震惊！这座小城的夜市火了", "夜市每晚吸引上万名游客，摊位从三十个增加到两百个。", (0.3, True)),
]


def queue(recording: Recording, live: set[int] | None = None, file: VectorFile | None = None,
          **kw) -> tuple[EmbedQueue, list[tuple[int, ...]]]:
    ready: list[tuple[int, ...]] = []
    vectors = ArticleVectors(recording, file)
    keep = (lambda aid: aid in live) if live is not None else (lambda aid: True)
    return EmbedQueue(vectors, keep=keep, on_ready=ready.append, **kw), ready


def test_nothing_is_embedded_until_drained_then_all_in_one_call():
    rec = Recording()
    q, ready = queue(rec)
    assert q.put(ITEMS) == 3
    assert rec.calls == [] and len(q.vectors) == 0 and q.pending() == 3 and q.pending(2) == 1
    assert q.drain() == 3
    assert len(rec.calls) == 1 and len(rec.calls[0]) == 3  # one batch
    assert ready == [(1, 2, 3)] and q.pending() == 0 and q.embedded == 3
    for aid, title, text, _ in ITEMS:
        assert q.vectors.digest_of(aid) == digest(embed_text(title, text))
        assert abs(float(np.linalg.norm(q.vectors.get(aid))) - 1.0) < 1e-4
    assert q.drain() == 0 and len(rec.calls) == 1


def test_an_unchanged_text_is_not_queued_and_an_edit_replaces_the_queued_one():
    rec = Recording()
    q, _ = queue(rec)
    q.put(ITEMS[:1])
    q.drain()
    assert q.put(ITEMS[:1]) == 0  # a re-save with the same title and lead
    edited = (1, "江州港新开三条集装箱航线", ITEMS[0][2], ITEMS[0][3])
    q.put([edited])
    q.put([(1, "江州港新开四条集装箱航线", ITEMS[0][2], ITEMS[0][3])])
    assert q.pending() == 1
    q.drain()
    assert rec.calls[-1] == [embed_text("江州港新开四条集装箱航线", ITEMS[0][2])]  # only the newest text


def test_withdrawn_before_or_during_a_round_leaves_no_vector():
    live = {1, 2, 3}
    rec = Recording()
    q, ready = queue(rec, live)
    q.put(ITEMS)
    q.discard(3)  # withdrawn before the round
    rec.during = lambda: (live.discard(2), q.discard(2))  # withdrawn while its text is being embedded
    assert q.drain() == 1
    assert ready == [(1,)] and 2 not in q.vectors and 3 not in q.vectors and 1 in q.vectors
    assert rec.calls == [[embed_text(t, b) for _, t, b, _ in ITEMS[:2]]]


def test_an_article_no_longer_live_when_its_vector_comes_is_not_kept():
    live = {1, 2, 3}
    rec = Recording()
    q, _ = queue(rec, live)
    q.put(ITEMS)
    rec.during = lambda: live.discard(1)  # left the catalogue (another process withdrew it)
    q.drain()
    assert 1 not in q.vectors and 2 in q.vectors and 3 in q.vectors


def test_an_edit_made_during_a_round_wins_over_that_round():
    rec = Recording()
    q, _ = queue(rec)
    q.put(ITEMS[:1])
    newer = (1, "江州港新开三条集装箱航线", ITEMS[0][2], ITEMS[0][3])
    rec.during = lambda: q.put([newer])
    q.drain()
    assert q.vectors.digest_of(1) == digest(embed_text(newer[1], newer[2]))
    assert len(rec.calls) == 2  # the edit was embedded in a second round


def test_vectors_and_quality_go_to_the_side_file_and_are_reused_from_it(tmp_path):
    path = tmp_path / "vectors.sqlite3"
    rec = Recording()
    q, _ = queue(rec, file=VectorFile(path, "usem3"))
    q.put(ITEMS)
    q.drain()
    stored = dict(VectorFile(path, "usem3").load())
    assert sorted(stored) == [1, 2, 3]
    assert (stored[3].base_quality, stored[3].clickbait) == (0.3, True)
    # another process (a second queue on the same file) finds the vectors instead of embedding again
    other = Recording()
    q2, ready2 = queue(other, file=VectorFile(path, "usem3"))
    q2.put(ITEMS)
    assert q2.drain() == 3 and other.calls == [] and ready2 == [(1, 2, 3)]
    assert float(q2.vectors.get(2) @ q.vectors.get(2)) > 0.999


def test_without_a_thread_a_full_batch_drains_in_line():
    rec = Recording()
    q, _ = queue(rec, batch=2)
    q.put(ITEMS[:1])
    assert rec.calls == []
    q.put(ITEMS[1:2])  # the queue reached its batch: a long import keeps a bounded backlog
    assert len(rec.calls) == 1 and q.pending() == 0


def test_the_backlog_is_read_with_the_loader_when_its_turn_comes():
    rec = Recording()
    read: list[list[int]] = []

    def loader(ids):
        read.append(list(ids))
        return [i for i in ITEMS if i[0] in ids]

    q, ready = queue(rec, loader=loader)
    assert q.put_ids([1, 2, 3]) == 3 and read == []
    q.drain()
    assert read == [[1, 2, 3]] and ready == [(1, 2, 3)] and len(rec.calls) == 1


def test_the_thread_loads_the_model_first_and_stop_abandons_what_is_queued():
    gate = threading.Event()
    rec = Recording(gate=gate)
    q, ready = queue(rec)
    q.start(warm=True)
    thread = q._thread
    assert thread is not None and rec.entered.wait(WAIT)
    assert rec.calls == [["预热"]] and not q.warmed.is_set()  # the warm-up is under way, off this thread
    gate.set()
    assert q.warmed.wait(WAIT)
    q.put(ITEMS[:1])
    assert q.wait_idle(WAIT) and 1 in q.vectors and ready == [(1,)]
    # a round in flight finishes; what waits behind it is abandoned
    gate.clear()
    rec.entered.clear()
    q.put(ITEMS[1:2])
    assert rec.entered.wait(WAIT)
    q.put(ITEMS[2:])
    assert q.stop(timeout=0) == 1
    gate.set()
    thread.join(WAIT)
    assert not thread.is_alive() and not q.running
    assert 2 in q.vectors and 3 not in q.vectors and q.pending() == 0
