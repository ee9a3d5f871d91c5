"""API tokens for the API tests: one on the empty portal, one on the shared demo portal."""

import pytest


@pytest.fixture
def token(portal):
    return portal.store.create_token("test-feed")[1]


@pytest.fixture
def demo_token(demo_portal):
    return demo_portal.store.create_token("desk")[1]
