"""IP属地 from an operator-supplied MaxMind-format ``.mmdb`` file, read with ``maxminddb``.

Any database in the MaxMind DB format works: MaxMind GeoIP2/GeoLite2 City or Country (which carry ``zh-CN``
names and ISO subdivision codes), DB-IP's lite databases, or IPinfo's lite country database (``country_code``
only). None of these may be redistributed inside this project, so the operator downloads one under its own
licence, stores it on the server, and sets ``NEWSPORTAL_IP_DB=mmdb`` and ``NEWSPORTAL_IP_MMDB_PATH``;
to update, replace the file and restart the workers (the file is opened once per process).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import maxminddb

from newsportal.geo.backends.ip2region import GeoDatabaseError
from newsportal.geo.labels import (
    UNKNOWN,
    china_label,
    country_label,
    public_address,
    subdivision_code_label,
)

__all__ = ["MmdbLocator", "label_from_record"]


def _names_zh(node: Any) -> str | None:
    if isinstance(node, Mapping):
        names = node.get("names")
        if isinstance(names, Mapping):
            value = names.get("zh-CN")
            return value if isinstance(value, str) else None
    return None


def label_from_record(record: Any) -> str:
    """The IP属地 label for one record of a GeoIP2-style or IPinfo-style database."""
    if not isinstance(record, Mapping):
        return UNKNOWN
    country = record.get("country")
    iso = None
    if isinstance(country, Mapping) and isinstance(country.get("iso_code"), str):
        iso = country["iso_code"]
    elif isinstance(record.get("country_code"), str):
        iso = record["country_code"]
    if iso is None:
        return UNKNOWN
    if iso.upper() == "CN":
        subdivisions = record.get("subdivisions")
        if isinstance(subdivisions, list) and subdivisions and isinstance(subdivisions[0], Mapping):
            first = subdivisions[0]
            code = first.get("iso_code")
            by_code = subdivision_code_label(code if isinstance(code, str) else None)
            return by_code or china_label(_names_zh(first))
        return china_label(None)
    return country_label(_names_zh(country), iso)


class MmdbLocator:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise GeoDatabaseError(f"MaxMind database not found: {self.path} (set NEWSPORTAL_IP_MMDB_PATH)")
        try:
            self._reader = maxminddb.open_database(str(self.path))
        except (OSError, ValueError, maxminddb.InvalidDatabaseError) as exc:
            raise GeoDatabaseError(f"cannot open MaxMind database {self.path}: {exc}") from exc

    def locate(self, ip: str) -> str:
        addr = public_address(ip)
        if addr is None:
            return UNKNOWN
        try:
            record = self._reader.get(str(addr))
        except (ValueError, maxminddb.InvalidDatabaseError):
            return UNKNOWN
        return label_from_record(record)

    def close(self) -> None:
        self._reader.close()
