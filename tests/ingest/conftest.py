"""Fixtures for the partner-ingest tests: a local partner web server, a fetcher, a settable clock, and the
fixture texts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsportal.ingest.fetch import Fetcher
from tests.ingest.partner_server import PartnerServer
from tests.ingest.service_kit import LIMITS, Clock

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def partner() -> Iterator[PartnerServer]:
    server = PartnerServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(LIMITS) as f:
        yield f


@pytest.fixture
def clock() -> Clock:
    return Clock()


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text("utf-8")


def render(name: str, *, xml_decl: str = "", meta: str = "") -> str:
    """A fixture template with its declaration slots filled (empty means: declare nothing)."""
    return fixture_text(name).replace("@@XML_DECL@@", xml_decl).replace("@@META@@", meta)
