"""The Jinja2 environment and the helpers every page render needs."""

from __future__ import annotations

import hashlib
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from newsportal import SITE_NAME
from newsportal.timeutil import format_beijing, iso_beijing
from newsportal.web.parts import END_ITEM, SLOTS, item
from newsportal.web.reltime import relative_time

HERE = Path(__file__).parent
STATIC = HERE / "static"


def _asset_version() -> str:
    digest = hashlib.sha1()
    for path in sorted(STATIC.glob("*")):
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["bjt"] = format_beijing
    env.filters["iso"] = iso_beijing
    env.globals["site_name"] = SITE_NAME
    env.globals["asset_version"] = _asset_version()
    env.globals["slot"] = SLOTS  # where shared fragments go: {{ slot.hot }}, see parts.py
    env.globals["item"] = item  # a story in a list, dropped when shown higher up: see parts.py
    env.globals["end_item"] = END_ITEM
    env.filters["rel"] = relative_time
    return env
