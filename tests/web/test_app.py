"""The app's start-up and shutdown around the embedding queue: the model loads in a background thread
when the server starts (so the first publish finds it loaded), the first page is served while it loads,
and shutdown stops the thread."""

from __future__ import annotations

import threading

from starlette.testclient import TestClient

from newsportal.newsroom import save_article
from newsportal.recommend.semantic import default_embedder
from newsportal.web.app import create_app
from tests.conftest import BROWSER_UA, make_portal, sample_draft

WAIT = 30.0


class GatedEmbedder:
    """The real embedder behind a gate: nothing passes until the test opens it, so "the page was served
    while the model was loading" is a fact of the test, not a race."""

    def __init__(self) -> None:
        self.real = default_embedder()
        self.dim = self.real.dim
        self.gate = threading.Event()
        self.entered = threading.Event()
        self.texts: list[str] = []

    def embed(self, texts):
        self.entered.set()
        assert self.gate.wait(WAIT), "the test never opened the gate"
        self.texts += list(texts)
        return self.real.embed(texts)


def test_the_model_loads_in_the_background_at_start_and_pages_do_not_wait(store):
    embedder = GatedEmbedder()
    portal = make_portal(store, embedder=embedder, embed_in_background=True, scheduler_seconds=0,
                         ingest_embedded=False)
    with TestClient(create_app(portal=portal), headers={"user-agent": BROWSER_UA}) as client:
        assert embedder.entered.wait(WAIT)  # start-up began loading the model, in its own thread
        assert client.get("/").status_code == 200  # while the load is held: the page is not held
        assert not portal.embedding.warmed.is_set()
        embedder.gate.set()
        assert portal.embedding.warmed.wait(WAIT) and embedder.texts == ["预热"]
        article, _ = save_article(portal, sample_draft(), actor="t", publish_now=True)
        assert portal.embedding.wait_idle(WAIT) and article.id in portal.vectors
        assert client.get(f"/article/{article.id}").status_code == 200
        assert portal.embedding.running
    assert not portal.embedding.running  # shutdown stopped the thread


def test_without_the_setting_nothing_loads_the_model(store):
    embedder = GatedEmbedder()
    embedder.gate.set()
    portal = make_portal(store, embedder=embedder, scheduler_seconds=0, ingest_embedded=False)
    with TestClient(create_app(portal=portal), headers={"user-agent": BROWSER_UA}) as client:
        assert client.get("/").status_code == 200
    assert not embedder.entered.is_set() and not portal.embedding.running
