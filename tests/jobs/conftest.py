"""Fixtures of the job-engine tests: a local partner web server and a fetcher with short limits."""

from __future__ import annotations

import pytest

from newsportal.ingest.fetch import Fetcher
from tests.ingest.partner_server import PartnerServer
from tests.ingest.service_kit import LIMITS


@pytest.fixture
def partner():
    server = PartnerServer().start()
    yield server
    server.stop()


@pytest.fixture
def fetcher():
    with Fetcher(LIMITS) as f:
        yield f
