"""One newsroom harness per backend per test module: building it hashes ten passwords (argon2), so the
module's tests share it and each test creates the articles it needs instead of relying on others."""

from __future__ import annotations

import pytest

from tests.conftest import BACKENDS, make_portal, make_store
from tests.web.newsroom.harness import build


@pytest.fixture(scope="module", params=BACKENDS)
def nr(request, tmp_path_factory):
    store, dispose = make_store(request.param, tmp_path_factory)
    portal = make_portal(store)
    h = build(portal, tmp_path_factory.mktemp("media"))
    yield h
    for c in h.clients.values():
        c.close()
    portal.close()
    dispose()
