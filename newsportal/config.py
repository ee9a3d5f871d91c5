"""Runtime settings, read once from the environment.

Everything has an embedded default (one data directory holding a SQLite file) so the demo runs with no
configuration; production sets ``NEWSPORTAL_DATABASE_URL`` (PostgreSQL) and ``NEWSPORTAL_REDIS_URL``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number, got {raw!r}") from exc


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("data")
    database_url: str = ""
    redis_url: str = ""
    site_url: str = "http://127.0.0.1:8000"
    #: Hot-list decay: an event's weight halves after this many hours.
    hot_half_life_hours: float = 6.0
    #: A reader's repeat view/share of one article inside this window counts once.
    event_dedupe_seconds: float = 30 * 60
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
    #: RSS/Atom feeds carry each article's full text (True) or only its summary (False).
    feed_full_text: bool = False
    #: Run the partner-ingest poller inside the server (the embedded set-up); off where a worker runs it.
    ingest_embedded: bool = True
    #: Seconds between the poller's looks for due sources (each source keeps its own interval).
    ingest_poll_seconds: float = 30.0
    #: Refuse partner URLs (and redirects) to loopback/private addresses; on in production.
    ingest_block_private: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def index_path(self) -> Path | None:
        return None if self.index_in_memory else self.data_dir / "index"

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'newsportal.sqlite3').resolve()}"

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)


def load_settings() -> Settings:
    return Settings(
        data_dir=Path(os.environ.get("NEWSPORTAL_DATA_DIR", "data")),
        database_url=os.environ.get("NEWSPORTAL_DATABASE_URL", ""),
        redis_url=os.environ.get("NEWSPORTAL_REDIS_URL", ""),
        site_url=os.environ.get("NEWSPORTAL_SITE_URL", "http://127.0.0.1:8000").rstrip("/"),
        hot_half_life_hours=_env_float("NEWSPORTAL_HOT_HALF_LIFE_HOURS", 6.0),
        page_cache_seconds=_env_float("NEWSPORTAL_PAGE_CACHE_SECONDS", 1.0),
        fragment_cache_seconds=_env_float("NEWSPORTAL_FRAGMENT_CACHE_SECONDS", 60.0),
        history_days=_env_float("NEWSPORTAL_HISTORY_DAYS", 30.0),
        feed_full_text=os.environ.get("NEWSPORTAL_FEED_FULL_TEXT", "").lower() in ("1", "true", "yes"),
        ingest_embedded=os.environ.get("NEWSPORTAL_INGEST_EMBEDDED", "1").lower() not in ("0", "false", "no"),
        ingest_poll_seconds=_env_float("NEWSPORTAL_INGEST_POLL_SECONDS", 30.0),
        ingest_block_private=os.environ.get("NEWSPORTAL_INGEST_BLOCK_PRIVATE", "").lower()
        in ("1", "true", "yes"),
    )
