"""Backup and restore of a whole installation: every table of the store and the data directory's files.

Why a logical dump rather than only ``pg_dump`` or a copy of the SQLite file: one archive format for both
databases, so a backup of the embedded SQLite installation restores onto PostgreSQL (the way an operator
moves up when the site outgrows one machine) and back; and a digest of every table, written into the
archive, that a restore is checked against. For a very large PostgreSQL store, ``pg_dump`` remains the
faster tool; docs/operations.md says when to use which.

The archive is a directory (tar it to move it):

* ``manifest.json`` — format version, migration revision, the source database kind, when it was made, and
  per table its row count and digest; per file its size and SHA-256.
* ``tables/<table>.jsonl.gz`` — one JSON object per row, ordered by primary key, values encoded by column
  type (times as ISO 8601, bytes as base64) so that both databases read them back identically.
* ``files/`` — the data directory's stored images (``media/``) and the site secret (``secret_key``), which
  signs reader ids and sessions. The search index and the embedding cache are not kept: a start rebuilds
  them from the store.

Restore refuses a database that already holds rows (it never merges into or overwrites a live site) or that
is at another migration revision than the backup, and checks every table's digest after loading; the load
runs in one transaction, so a failed restore leaves the target as empty as it was.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, LargeBinary, MetaData, Table, func, select, text
from sqlalchemy.types import Date, DateTime, TypeEngine

from newsportal.store.migrate import current
from newsportal.timeutil import utcnow

FORMAT = 1
MANIFEST = "manifest.json"
#: What of the data directory goes into a backup (everything else there is rebuilt from the store).
DATA_FILES = ("media", "secret_key")
SKIPPED_TABLES = {"alembic_version", "sqlite_sequence"}
#: The job engine's queue (procrastinate, newsportal.jobs): transient work, remade by the next tick and
#: created by the engine itself on start, so neither saved nor expected in a restored database.
SKIPPED_PREFIXES = ("procrastinate_",)
BATCH = 2000

Progress = Callable[[str, int], None]


class BackupError(RuntimeError):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class TableSummary:
    name: str
    rows: int
    digest: str


# -- values ------------------------------------------------------------------------------------------
def _encode(value: Any, kind: TypeEngine[Any]) -> Any:
    if value is None:
        return None
    if isinstance(kind, DateTime) or isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat() if isinstance(value, datetime) else str(value)
    if isinstance(kind, Date) or isinstance(value, date):
        return value.isoformat() if isinstance(value, date) else str(value)
    if isinstance(kind, LargeBinary) or isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _decode(value: Any, kind: TypeEngine[Any]) -> Any:
    if value is None:
        return None
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, LargeBinary):
        return base64.b64decode(value)
    return value


def _line(row: dict[str, Any]) -> bytes:
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


class RowDigest:
    """A digest of a table's rows that does not depend on their order.

    The sum (mod 2**256) of each row's SHA-256: PostgreSQL sorts text keys by its collation and SQLite by
    bytes, so an ordered digest would differ between the two for the same rows.
    """

    MOD = 1 << 256

    def __init__(self) -> None:
        self.total = 0
        self.rows = 0

    def add(self, line: bytes) -> None:
        one = int.from_bytes(hashlib.sha256(line.rstrip(b"\n")).digest(), "big")
        self.total = (self.total + one) % self.MOD
        self.rows += 1

    def hexdigest(self) -> str:
        return f"{self.total:064x}"


# -- reading a store ---------------------------------------------------------------------------------
def _tables(conn: Connection) -> list[Table]:
    meta = MetaData()
    meta.reflect(conn, only=lambda name, _meta: not name.startswith(SKIPPED_PREFIXES))
    return [t for t in meta.sorted_tables if t.name not in SKIPPED_TABLES]


def _rows(conn: Connection, table: Table) -> Iterator[dict[str, Any]]:
    """Every row as encoded values, in primary-key order (parents before children in self-referencing
    tables such as channels and comment replies, whose parents always have the smaller id)."""
    order = list(table.primary_key.columns) or list(table.columns)
    result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(
        select(table).order_by(*order))
    kinds = {c.name: c.type for c in table.columns}
    for row in result.mappings():
        yield {name: _encode(value, kinds[name]) for name, value in row.items()}


def summarize(engine: Engine) -> list[TableSummary]:
    """Row count and SHA-256 digest of every table, computed the same way on SQLite and PostgreSQL."""
    out = []
    with engine.connect() as conn:
        for table in _tables(conn):
            digest = RowDigest()
            for row in _rows(conn, table):
                digest.add(_line(row))
            out.append(TableSummary(table.name, digest.rows, digest.hexdigest()))
    return out


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _data_files(data_dir: Path) -> Iterator[Path]:
    for name in DATA_FILES:
        top = data_dir / name
        if top.is_file():
            yield top
        elif top.is_dir():
            yield from sorted(p for p in top.rglob("*") if p.is_file() and not p.name.startswith(".tmp"))


# -- backup ------------------------------------------------------------------------------------------
def create_backup(engine: Engine, data_dir: Path, dest: Path, progress: Progress | None = None,
                  clock: Callable[[], datetime] = utcnow) -> dict[str, Any]:
    """Write a backup of the store behind ``engine`` and of ``data_dir`` into the new directory ``dest``.

    The tables are read in one transaction (a consistent snapshot on PostgreSQL; on SQLite a read
    transaction, which WAL keeps consistent while the site goes on writing). The archive is written under a
    temporary name and renamed at the end, so a half-written backup is never mistaken for a whole one.
    """
    if dest.exists():
        raise BackupError(f"{dest} already exists: back up into a new directory")
    partial = dest.with_name(dest.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
    (partial / "tables").mkdir(parents=True)
    tables: dict[str, dict[str, Any]] = {}
    with engine.connect() as conn, conn.begin():
        if engine.dialect.name == "postgresql":
            conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
        revision = _revision(conn)
        for table in _tables(conn):
            digest = RowDigest()
            with gzip.open(partial / "tables" / f"{table.name}.jsonl.gz", "wb", compresslevel=6) as out:
                for row in _rows(conn, table):
                    line = _line(row)
                    out.write(line + b"\n")
                    digest.add(line)
            tables[table.name] = {"rows": digest.rows, "digest": digest.hexdigest()}
            if progress:
                progress(table.name, digest.rows)
    files: dict[str, dict[str, Any]] = {}
    for path in _data_files(data_dir):
        rel = path.relative_to(data_dir).as_posix()
        target = partial / "files" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        files[rel] = {"bytes": target.stat().st_size, "sha256": _sha256(target)}
    manifest = {"format": FORMAT, "revision": revision, "database": engine.dialect.name,
                "created_at": clock().replace(microsecond=0).isoformat() + "Z", "tables": tables,
                "files": files}
    (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    _fsync_tree(partial)
    partial.rename(dest)
    return manifest


def _revision(conn: Connection) -> str | None:
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return row[0] if row else None


def _fsync_tree(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            with path.open("rb") as fh:
                os.fsync(fh.fileno())


def read_manifest(src: Path) -> dict[str, Any]:
    path = src / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{src} is not a backup (no {MANIFEST}); a backup still being written ends in "
                          ".partial") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{path} is damaged: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise BackupError(f"{path}: unknown backup format {found!r} (this version reads format {FORMAT})")
    return manifest


def verify_backup(src: Path) -> list[str]:
    """Problems found by re-reading every table file and data file against the manifest ([] = sound)."""
    manifest = read_manifest(src)
    problems = []
    for name, info in manifest["tables"].items():
        path = src / "tables" / f"{name}.jsonl.gz"
        digest = RowDigest()
        try:
            with gzip.open(path, "rb") as fh:
                for line in fh:
                    digest.add(line)
        except (OSError, EOFError) as exc:
            problems.append(f"table {name}: {exc}")
            continue
        if digest.rows != info["rows"] or digest.hexdigest() != info["digest"]:
            problems.append(f"table {name}: {digest.rows} rows read, digest does not match the manifest")
    for rel, info in manifest["files"].items():
        path = src / "files" / rel
        if not path.is_file():
            problems.append(f"file {rel}: missing")
        elif _sha256(path) != info["sha256"]:
            problems.append(f"file {rel}: content does not match the manifest")
    return problems


# -- restore -----------------------------------------------------------------------------------------
def restore_backup(engine: Engine, data_dir: Path, src: Path,
                   progress: Progress | None = None) -> dict[str, Any]:
    """Load the backup in ``src`` into the empty, migrated store behind ``engine`` and into ``data_dir``.

    Checked before anything is written: the archive against its manifest, the target's revision against
    the backup's, and that the target holds no rows. Rows load in one transaction (on PostgreSQL the id
    sequences are moved past the loaded ids); files are copied only after the tables are in.
    """
    manifest = read_manifest(src)
    problems = verify_backup(src)
    if problems:
        raise BackupError("the backup is damaged: " + "; ".join(problems[:5]))
    here = current(engine)
    if here != manifest["revision"]:
        raise BackupError(f"the backup is at migration {manifest['revision']}, this database at {here}: "
                          "run `newsportal db upgrade` on an empty database of the same version as the "
                          "backup, restore, then upgrade")
    with engine.begin() as conn:
        tables = {t.name: t for t in _tables(conn)}
        if set(tables) != set(manifest["tables"]):
            raise BackupError("the backup's tables differ from this database's: "
                              f"{sorted(set(tables) ^ set(manifest['tables']))}")
        occupied = [name for name, t in tables.items()
                    if conn.execute(select(func.count()).select_from(t)).scalar_one()]
        if occupied:
            raise BackupError(f"the target database is not empty ({', '.join(occupied[:5])} hold rows): "
                              "restore into a new, migrated database")
        for table in tables.values():  # already in dependency order
            kinds = {c.name: c.type for c in table.columns}
            batch: list[dict[str, Any]] = []
            n = 0
            with gzip.open(src / "tables" / f"{table.name}.jsonl.gz", "rb") as fh:
                for line in fh:
                    row = json.loads(line)
                    batch.append({k: _decode(v, kinds[k]) for k, v in row.items()})
                    if len(batch) >= BATCH:
                        conn.execute(table.insert(), batch)
                        n += len(batch)
                        batch = []
            if batch:
                conn.execute(table.insert(), batch)
                n += len(batch)
            if progress:
                progress(table.name, n)
        if engine.dialect.name == "postgresql":
            _advance_sequences(conn, list(tables.values()))
    mismatched = [s.name for s in summarize(engine) if s.digest != manifest["tables"][s.name]["digest"]]
    if mismatched:
        raise BackupError(f"restored tables do not match the backup: {mismatched}")
    for rel in manifest["files"]:
        target = data_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".tmp-restore-{target.name}")
        shutil.copy2(src / "files" / rel, tmp)
        os.replace(tmp, target)
    return manifest


def _advance_sequences(conn: Connection, tables: list[Table]) -> None:
    """Explicit ids do not move PostgreSQL's sequences; set each past its table's largest id."""
    for table in tables:
        for column in table.primary_key.columns:
            seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                               {"t": table.name, "c": column.name}).scalar()
            if seq:
                conn.execute(text(f"SELECT setval('{seq}', COALESCE((SELECT MAX({column.name}) FROM "
                                  f'"{table.name}"), 0) + 1, false)'))
