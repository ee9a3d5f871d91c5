"""Runtime settings: from environment variables and an optional TOML file, validated once at start.

Everything has an embedded default (one data directory holding a SQLite file) so the demo runs with no
configuration; production sets ``NEWSPORTAL_DATABASE_URL`` (PostgreSQL), ``NEWSPORTAL_REDIS_URL`` and
``NEWSPORTAL_SECRET_KEY``. Each setting ``name`` is read from the environment as ``NEWSPORTAL_<NAME>`` and
from the file named by ``NEWSPORTAL_CONFIG`` as the key ``name``; the environment wins. A malformed value,
an unknown key in the file or a production deployment without a secret stops start-up with a
:class:`ConfigError` that names the setting, because a typo found at start is cheap and one found at the
first reader's request is not.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ENV_PREFIX = "NEWSPORTAL_"
CONFIG_ENV = "NEWSPORTAL_CONFIG"
SECRET_FILE = "secret_key"
#: The same floor as the newsroom's session secrets: 32 bytes of key material.
MIN_SECRET_LENGTH = 32


class ConfigError(ValueError):
    """A setting is malformed or missing; ``setting`` names it (as the environment variable)."""

    def __init__(self, setting: str, problem: str):
        super().__init__(f"{setting}: {problem}")
        self.setting = setting
        self.problem = problem


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("data")
    database_url: str = ""
    redis_url: str = ""
    #: Prefix of every key the portal writes to Redis (counters, hot lists, beacon limits), so several
    #: portals (or a test suite) can share one Redis server without seeing each other's keys.
    redis_prefix: str = "np:"
    site_url: str = "http://127.0.0.1:8000"
    #: Signs reader ids and other tokens; production must set it, elsewhere one is made in the data dir.
    secret_key: str = ""
    #: The nginx in front (``newsportal deploy nginx``), e.g. ``http://127.0.0.1:8080``: a publish, edit or
    #: withdrawal asks it to fetch the pages that show the article again. Empty: no front cache.
    front_url: str = ""
    #: Web worker processes for ``newsportal serve``.
    workers: int = 1
    #: Hot-list decay: an event's weight halves after this many hours.
    hot_half_life_hours: float = 6.0
    #: A reader's repeat view/share of one article inside this window counts once.
    event_dedupe_seconds: float = 30 * 60
    #: Beacon limits (``limits`` notation) per client address and per reader id.
    event_limit_ip: str = "120/minute;2000/hour"
    event_limit_reader: str = "60/minute;600/hour"
    #: Anti-gaming: distinct address blocks an article needs in the window before its events score, and
    #: how many scored events one block may give one article per window.
    hot_min_origins: int = 5
    hot_origin_cap: int = 3
    hot_origin_window_seconds: float = 3600.0
    #: The shared page fragments (热点推荐, channel modules) are reassembled this often.
    page_cache_seconds: float = 1.0
    #: A page's own rendered part (article body and related list, a channel list) lives this long at most;
    #: the publish flow clears it at once in this process, the bound matters for other worker processes.
    fragment_cache_seconds: float = 60.0
    page_cache_entries: int = 4096
    #: 为你推荐 forgets a reader's reads after this many days.
    history_days: float = 30.0
    #: Keep the search index in memory instead of under the data directory (tests, throwaway tools).
    index_in_memory: bool = False
    #: The server computes sentence vectors in a background thread that loads the model at start (False:
    #: only when the embedding queue is drained, as a CLI command does when it closes; tests drain it).
    embed_in_background: bool = True
    #: How often the in-server scheduler looks for due scheduled publications (seconds).
    scheduler_seconds: float = 15.0
    #: The newsroom role an API bearer token acts as (partners' systems, editors' tools).
    token_role: str = "chief_editor"
    #: RSS/Atom feeds carry each article's full text (True) or only its summary (False).
    feed_full_text: bool = False
    #: Run the partner-ingest poller inside the server (the embedded set-up); off where a worker runs it.
    ingest_embedded: bool = True
    #: Seconds between the poller's looks for due sources (each source keeps its own interval).
    ingest_poll_seconds: float = 30.0
    #: Refuse partner URLs (and redirects) to loopback/private addresses; on in production.
    ingest_block_private: bool = False
    #: Who runs background work (ingest polling, scheduled publishing): ``embedded`` — a thread per server
    #: process, each due item taken by a database claim — or ``procrastinate`` — jobs in PostgreSQL, run by
    #: the worker inside each server process (docs/operations.md, "Job engine").
    jobs: str = "embedded"
    #: Jobs one server process runs at once with the procrastinate engine.
    jobs_concurrency: int = 2
    extra: dict = field(default_factory=dict)

    @property
    def index_path(self) -> Path | None:
        return None if self.index_in_memory else self.data_dir / "index"

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'newsportal.sqlite3').resolve()}"

    @property
    def production(self) -> bool:
        """A shared database means a real deployment: several workers must agree on the secret."""
        return self.resolved_database_url.startswith("postgresql")

    @property
    def media_dir(self) -> Path:
        """Where stored images live (served at ``/media/``)."""
        return self.data_dir / "media"

    @property
    def secure_cookies(self) -> bool:
        """Cookies get ``Secure`` and responses HSTS when the site is served over https."""
        return self.site_url.lower().startswith("https://")

    def resolved_secret_key(self) -> bytes:
        """The configured secret, or the installation's generated one (see :func:`site_secret`)."""
        return site_secret(self)

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)


#: The background-work engines ``Settings.jobs`` may name (``newsportal.jobs``).
JOB_ENGINES = ("embedded", "procrastinate")

#: Settings that are not read from the environment or a file (set by code only).
_INTERNAL = {"extra"}


def env_name(name: str) -> str:
    return ENV_PREFIX + name.upper()


def _parse(name: str, kind: Any, raw: Any) -> Any:
    """Turn one raw value (a string from the environment, or a TOML value) into the field's type."""
    setting = env_name(name)
    if kind in (float, "float"):
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise ConfigError(setting, f"must be a number, got {raw!r}") from None
        if value != value or value < 0:  # NaN or negative
            raise ConfigError(setting, f"must be a non-negative number, got {raw!r}")
        return value
    if kind in (int, "int"):
        if isinstance(raw, bool):
            raise ConfigError(setting, f"must be a whole number, got {raw!r}")
        try:
            value = int(str(raw).strip())
        except ValueError:
            raise ConfigError(setting, f"must be a whole number, got {raw!r}") from None
        if value < 0:
            raise ConfigError(setting, f"must not be negative, got {raw!r}")
        return value
    if kind in (bool, "bool"):
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off", ""}:
            return False
        raise ConfigError(setting, f"must be true or false, got {raw!r}")
    if kind in (Path, "Path"):
        if not isinstance(raw, str) or not raw.strip():
            raise ConfigError(setting, f"must be a directory path, got {raw!r}")
        return Path(raw)
    if not isinstance(raw, str):
        raise ConfigError(setting, f"must be a string, got {raw!r}")
    return raw.strip()


def _check_url(setting: str, url: str, schemes: tuple[str, ...], need_host: bool) -> None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as exc:
        raise ConfigError(setting, f"is not a valid URL ({exc}): {url!r}") from None
    scheme = parts.scheme.split("+", 1)[0]
    if scheme not in schemes:
        allowed = ", ".join(s + "://" for s in schemes)
        raise ConfigError(setting, f"must start with one of {allowed}; got {url!r}")
    if need_host and not parts.hostname:
        raise ConfigError(setting, f"has no host name: {url!r}")


def validate(s: Settings, *, require_secret: bool = True) -> Settings:
    """Check values that parse but cannot work; returns ``s`` so it can wrap a constructor."""
    if s.database_url:
        _check_url(env_name("database_url"), s.database_url, ("sqlite", "postgresql"), need_host=False)
        if s.database_url.startswith("postgresql") and not urlsplit(s.database_url).hostname:
            raise ConfigError(env_name("database_url"), f"has no host name: {s.database_url!r}")
    if s.redis_url:
        _check_url(env_name("redis_url"), s.redis_url, ("redis", "rediss", "unix"), need_host=False)
        if not s.redis_url.startswith("unix") and not urlsplit(s.redis_url).hostname:
            raise ConfigError(env_name("redis_url"), f"has no host name: {s.redis_url!r}")
    _check_url(env_name("site_url"), s.site_url, ("http", "https"), need_host=True)
    if s.front_url:
        _check_url(env_name("front_url"), s.front_url, ("http", "https"), need_host=True)
    if s.secret_key and len(s.secret_key) < MIN_SECRET_LENGTH:
        raise ConfigError(env_name("secret_key"), f"must be at least {MIN_SECRET_LENGTH} characters long")
    if require_secret and s.production and not s.secret_key:
        raise ConfigError(
            env_name("secret_key"),
            "is required with a PostgreSQL database: every worker and host must sign with the same key "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))')",
        )
    if s.hot_half_life_hours <= 0:
        raise ConfigError(env_name("hot_half_life_hours"), "must be positive")
    if s.workers < 1:
        raise ConfigError(env_name("workers"), "must be at least 1")
    if s.workers > 1 and not s.redis_url:
        raise ConfigError(
            env_name("workers"),
            f"is {s.workers}, but more than one worker needs {env_name('redis_url')}: without Redis the "
            "view/share counters and hot lists live inside one process, and workers would disagree",
        )
    if s.jobs not in JOB_ENGINES:
        raise ConfigError(env_name("jobs"), f"must be one of {', '.join(JOB_ENGINES)}; got {s.jobs!r}")
    if s.jobs == "procrastinate" and not s.production:
        raise ConfigError(
            env_name("jobs"),
            f"is procrastinate, which keeps its jobs in PostgreSQL, but {env_name('database_url')} is not a "
            "postgresql:// URL (use NEWSPORTAL_JOBS=embedded with SQLite)",
        )
    if s.jobs_concurrency < 1:
        raise ConfigError(env_name("jobs_concurrency"), "must be at least 1")
    if not s.redis_prefix or any(c.isspace() for c in s.redis_prefix):
        raise ConfigError(env_name("redis_prefix"), "must be a non-empty prefix without spaces, like 'np:'")
    if s.hot_origin_cap < 1:
        raise ConfigError(env_name("hot_origin_cap"), "must be at least 1")
    for name in ("event_limit_ip", "event_limit_reader"):
        _check_limit(name, getattr(s, name))
    return s


def _check_limit(name: str, value: str) -> None:
    from limits import parse_many

    try:
        parse_many(value)
    except ValueError as exc:
        raise ConfigError(env_name(name), f"is not a rate limit like '60/minute;600/hour': {exc}") from None


def read_config_file(path: Path) -> dict[str, Any]:
    """The settings in a TOML file (a flat table, or under ``[newsportal]``); unknown keys are an error."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(CONFIG_ENV, f"config file {str(path)!r} does not exist") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(CONFIG_ENV, f"config file {str(path)!r} is not valid TOML: {exc}") from None
    if isinstance(data.get("newsportal"), dict) and len(data) == 1:
        data = data["newsportal"]
    known = {f.name for f in fields(Settings)} - _INTERNAL
    for key in data:
        if key not in known:
            raise ConfigError(f"{key} (in {path})", f"unknown setting; known: {', '.join(sorted(known))}")
    return data


def load_settings_for_tools(environ: Mapping[str, str] | None = None) -> Settings:
    """Like :func:`load_settings` but without the production secret check (migrations, tokens, imports)."""
    return load_settings(environ, require_secret=False)


def load_settings(environ: Mapping[str, str] | None = None, config_file: Path | None = None,
                  require_secret: bool = True) -> Settings:
    """Settings from the file (``config_file`` or ``$NEWSPORTAL_CONFIG``) overlaid by the environment."""
    env = os.environ if environ is None else environ
    path = config_file or (Path(env[CONFIG_ENV]) if env.get(CONFIG_ENV) else None)
    raw: dict[str, Any] = read_config_file(path) if path else {}
    for f in fields(Settings):
        if f.name in _INTERNAL:
            continue
        value = env.get(env_name(f.name))
        if value is not None and value != "":
            raw[f.name] = value
    values = {}
    for f in fields(Settings):
        if f.name in raw:
            values[f.name] = _parse(f.name, f.type, raw[f.name])
    if "site_url" in values:
        values["site_url"] = values["site_url"].rstrip("/")
    return validate(Settings(**values), require_secret=require_secret)


def site_secret(settings: Settings) -> bytes:
    """The site secret: the configured one, else one generated once and kept in the data directory (0600).

    Generating it on first use keeps the demo zero-configuration while ids signed today still verify after
    a restart; :func:`validate` refuses to start production without an explicit key.
    """
    if settings.secret_key:
        return settings.secret_key.encode()
    path = settings.data_dir / SECRET_FILE
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48).encode()
    tmp = path.with_name(f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
        fh.flush()
        os.fsync(fh.fileno())
    try:
        os.link(tmp, path)  # atomic and refuses to overwrite: a complete file or none
    except FileExistsError:  # another worker made it first: use theirs
        key = path.read_bytes().strip()
    finally:
        tmp.unlink()
    return key
