"""The newsroom persistence and service modules never pull in the portal, the web layer or the publish flow.

``newsportal/newsroom/__init__.py`` re-exports the publish flow today, so importing any newsroom
submodule runs it. The check therefore installs an empty ``newsportal.newsroom`` package first and then
imports the new modules in a fresh interpreter: what they import themselves must stay clean.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODULES = [
    "newsportal.store.tables_newsroom",
    "newsportal.store.accounts",
    "newsportal.store.audit",
    "newsportal.store.workflow",
    "newsportal.store.newsroom_sessions",
    "newsportal.newsroom.actors",
    "newsportal.newsroom.audit",
    "newsportal.newsroom.accounts",
    "newsportal.newsroom.self_media",
    "newsportal.newsroom.login_limits",
    "newsportal.newsroom.scheduler",
    "newsportal.newsroom.cli_users",
]
BANNED = ("newsportal.portal", "newsportal.web", "newsportal.newsroom.publish")

SCRIPT = f"""
import sys, types
pkg = types.ModuleType("newsportal.newsroom")
pkg.__path__ = [{str(ROOT / "newsportal" / "newsroom")!r}]
sys.modules["newsportal.newsroom"] = pkg
import importlib
for name in {MODULES!r} + ["newsportal.config", "newsportal.store"]:  # cli_users imports these lazily
    importlib.import_module(name)
bad = sorted(m for m in sys.modules if m.startswith({BANNED!r}))
print("BANNED:" + ",".join(bad))
"""


def test_transitive_imports_stay_below_the_portal():
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "BANNED:"


def test_no_direct_import_of_publish_or_portal():
    for name in MODULES:
        path = ROOT / (name.replace(".", "/") + ".py")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(BANNED), (name, node.module)
                assert not (node.module == "newsportal.newsroom" and node.level == 0), (
                    name,
                    "package import",
                )
            elif isinstance(node, ast.Import):
                assert not any(a.name.startswith(BANNED) for a in node.names), name
