"""``newsportal source …`` end to end on a throwaway data directory and the local partner server."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from newsportal.ingest.cli import source_app
from tests.ingest.partner_server import PartnerServer, Route
from tests.ingest.service_kit import ATOM, atom, library_entry

runner = CliRunner()
app = typer.Typer()
app.add_typer(source_app, name="source")  # mounted the way the root CLI will mount it


@pytest.fixture
def data(tmp_path) -> list[str]:
    from newsportal.demo.load import install_catalog
    from newsportal.store import open_store

    store = open_store(f"sqlite:///{tmp_path / 'newsportal.sqlite3'}")
    store.upgrade()
    install_catalog(store)
    store.close()
    return ["--data-dir", str(tmp_path)]


@pytest.mark.parametrize("cmd", ["add-feed", "add-pages", "add-push", "list", "poll", "disable", "enable",
                                 "revoke-token", "rotate-token"])
def test_every_command_has_help(cmd):
    r = runner.invoke(app, ["source", cmd, "--help"])
    assert r.exit_code == 0 and "Usage" in r.output


def test_add_list_poll_disable(data, partner: PartnerServer):
    url = partner.add("/f.xml", Route(atom([library_entry()]), headers=ATOM))
    r = runner.invoke(app, ["source", "add-feed", "jz-daily", url, "--trusted", "--channel", "society",
                            "--interval", "900", *data])
    assert r.exit_code == 0, r.output
    assert "added feed source #1 for jz-daily → society (trusted" in r.output
    r = runner.invoke(app, ["source", "poll", "jz-daily", *data])
    assert r.exit_code == 1 and "blocked_address" in r.output  # loopback is refused unless allowed
    r = runner.invoke(app, ["source", "poll", "jz-daily", "--allow-internal", *data])
    assert r.exit_code == 0, r.output
    assert "jz-daily: created 1, updated 0, unchanged 0, stale 0, refused 0" in r.output
    r = runner.invoke(app, ["source", "list", *data], env={"COLUMNS": "300"})
    assert r.exit_code == 0
    row = next(line for line in r.stdout.splitlines() if "jz-daily" in line)
    assert "feed" in row and "ok" in row and "blocked_address" in row and "society" in row
    r = runner.invoke(app, ["source", "disable", "jz-daily", *data])
    assert r.exit_code == 0 and "disabled #1 jz-daily (feed)" in r.output
    r = runner.invoke(app, ["source", "poll", *data])
    assert r.exit_code == 0 and "nothing to poll" in r.output


def test_push_token_is_printed_once_and_bad_input_is_explained(data):
    r = runner.invoke(app, ["source", "add-push", "youth-daily", *data])
    assert r.exit_code == 0, r.output
    token = r.stdout.strip().splitlines()[-1]
    assert token.startswith("npi_") and len(token) > 40
    listed = runner.invoke(app, ["source", "list", *data], env={"COLUMNS": "300"}).stdout
    assert "youth-daily" in listed and token not in listed
    r = runner.invoke(app, ["source", "add-pages", "jz-pages", *data])
    assert r.exit_code == 2 and "--list-url" in r.output
    r = runner.invoke(app, ["source", "add-feed", "jz", "notaurl", *data])
    assert r.exit_code == 2 and "http://" in r.output
    r = runner.invoke(app, ["source", "disable", "nobody", *data])
    assert r.exit_code == 2 and "nobody" in r.output
