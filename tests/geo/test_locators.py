from pathlib import Path

import pytest
from mmdb_writer import MMDBWriter
from netaddr import IPSet

from newsportal.geo import GeoDatabaseError, GeoSettings, IpLocator, NullLocator, make_locator
from newsportal.geo.backends.ip2region import Ip2RegionLocator, bundled_xdb_path, label_from_region
from newsportal.geo.backends.mmdb import MmdbLocator, label_from_record

PRIVATE_OR_INVALID = [
    "192.168.1.1", "10.0.0.1", "127.0.0.1", "::1", "fe80::1", "", "abc", "999.1.1.1", "1.2.3"
]


@pytest.fixture(scope="module")
def ip2region():
    return Ip2RegionLocator()


def test_bundled_database_is_installed():
    path = bundled_xdb_path()
    assert path is not None and path.stat().st_size > 1_000_000


@pytest.mark.parametrize(
    ("ip", "label"),
    [
        ("202.96.134.133", "广东"),  # Shenzhen Telecom DNS
        ("114.114.114.114", "江苏"),  # public DNS in Nanjing
        ("223.5.5.5", "浙江"),  # Alibaba public DNS, Hangzhou
        ("61.135.169.121", "北京"),
        ("60.30.1.1", "天津"),
        ("203.198.0.1", "中国香港"),
        ("202.175.0.1", "中国澳门"),
        ("8.8.8.8", "美国"),
        ("1.1.1.1", "澳大利亚"),
        ("133.0.0.1", "日本"),
        ("::ffff:202.96.134.133", "广东"),
    ],
)
def test_ip2region_real_lookups(ip2region, ip, label):
    assert ip2region.locate(ip) == label


@pytest.mark.parametrize("ip", PRIVATE_OR_INVALID)
def test_ip2region_private_or_invalid_is_unknown(ip2region, ip):
    assert ip2region.locate(ip) == "未知"


def test_ip2region_ipv6_without_v6_database_is_unknown(ip2region):
    assert ip2region.locate("240e:3b7:3272:d8d0::1") == "未知"


def test_region_string_layouts():
    assert label_from_region("中国|0|广东省|深圳市|电信") == "广东"
    assert label_from_region("中国|广东省|深圳市|电信") == "广东"
    assert label_from_region("中国|0|0|0|0") == "中国"
    assert label_from_region("美国|0|0|0|谷歌") == "美国"
    assert label_from_region("0|0|0|内网IP|内网IP") == "未知"
    assert label_from_region("0|0|内网IP|内网IP") == "未知"
    assert label_from_region("garbage") == "未知"


def test_ip2region_bad_paths_fail_at_start(tmp_path):
    with pytest.raises(GeoDatabaseError):
        Ip2RegionLocator(tmp_path / "missing.xdb")
    junk = tmp_path / "junk.xdb"
    junk.write_bytes(b"\xff" * 300)
    with pytest.raises(GeoDatabaseError):
        Ip2RegionLocator(junk)
    with pytest.raises(GeoDatabaseError):
        # The bundled file is IPv4: refusing it as the IPv6 database.
        Ip2RegionLocator(None, bundled_xdb_path())


def write_mmdb(path: Path) -> Path:
    """A small GeoIP2-shaped database written for the test, with the shapes real databases use."""
    writer = MMDBWriter(ip_version=6, ipv4_compatible=True, database_type="GeoIP2-City")
    writer.insert_network(
        IPSet(["202.96.128.0/18"]),
        {
            "country": {"iso_code": "CN", "names": {"en": "China", "zh-CN": "中国"}},
            "subdivisions": [{"iso_code": "GD", "names": {"en": "Guangdong", "zh-CN": "广东省"}}],
        },
    )
    writer.insert_network(
        IPSet(["61.135.0.0/16"]),
        {
            "country": {"iso_code": "CN", "names": {"zh-CN": "中国"}},
            "subdivisions": [{"names": {"zh-CN": "北京市"}}],
        },
    )
    writer.insert_network(IPSet(["36.0.0.0/16"]), {"country": {"iso_code": "CN"}})
    hong_kong = {"country": {"iso_code": "HK", "names": {"zh-CN": "香港"}}}
    writer.insert_network(IPSet(["203.198.0.0/16"]), hong_kong)
    writer.insert_network(IPSet(["8.8.8.0/24"]), {"country": {"iso_code": "US", "names": {"zh-CN": "美国"}}})
    writer.insert_network(IPSet(["133.0.0.0/16"]), {"country_code": "JP", "country": "Japan"})
    beijing_v6 = {"country": {"iso_code": "CN"}, "subdivisions": [{"iso_code": "BJ"}]}
    writer.insert_network(IPSet(["2400:da00::/32"]), beijing_v6)
    writer.to_db_file(str(path))
    return path


@pytest.fixture(scope="module")
def mmdb(tmp_path_factory):
    locator = MmdbLocator(write_mmdb(tmp_path_factory.mktemp("geo") / "test.mmdb"))
    yield locator
    locator.close()


@pytest.mark.parametrize(
    ("ip", "label"),
    [
        ("202.96.134.133", "广东"),
        ("61.135.169.121", "北京"),
        ("36.0.1.1", "中国"),
        ("203.198.0.1", "中国香港"),
        ("8.8.8.8", "美国"),
        ("133.0.0.1", "日本"),
        ("2400:da00::1", "北京"),
        ("1.0.0.1", "未知"),
    ],
)
def test_mmdb_lookups(mmdb, ip, label):
    assert mmdb.locate(ip) == label


@pytest.mark.parametrize("ip", PRIVATE_OR_INVALID)
def test_mmdb_private_or_invalid_is_unknown(mmdb, ip):
    assert mmdb.locate(ip) == "未知"


def test_mmdb_record_shapes():
    assert label_from_record(None) == "未知"
    assert label_from_record({"city": {}}) == "未知"
    sichuan = {"country": {"iso_code": "CN"}, "subdivisions": [{"iso_code": "CN-SC"}]}
    assert label_from_record(sichuan) == "四川"
    assert label_from_record({"country": {"iso_code": "TW", "names": {"zh-CN": "台湾"}}}) == "中国台湾"
    assert label_from_record({"country": {"iso_code": "FR", "names": {"en": "France"}}}) == "法国"


def test_mmdb_missing_or_bad_file(tmp_path):
    with pytest.raises(GeoDatabaseError):
        MmdbLocator(tmp_path / "none.mmdb")
    bad = tmp_path / "bad.mmdb"
    bad.write_bytes(b"not a database")
    with pytest.raises(GeoDatabaseError):
        MmdbLocator(bad)


def test_null_locator():
    assert NullLocator().locate("8.8.8.8") == "未知"


def test_factory_picks_by_configuration(tmp_path):
    assert isinstance(make_locator(GeoSettings(backend="none")), NullLocator)
    default = make_locator(GeoSettings())
    assert isinstance(default, Ip2RegionLocator) and isinstance(default, IpLocator)
    path = write_mmdb(tmp_path / "f.mmdb")
    from_env = GeoSettings.from_env({"NEWSPORTAL_IP_DB": "MMDB", "NEWSPORTAL_IP_MMDB_PATH": str(path)})
    chosen = make_locator(from_env)
    assert isinstance(chosen, MmdbLocator) and chosen.locate("8.8.8.8") == "美国"
    with pytest.raises(GeoDatabaseError):
        make_locator(GeoSettings(backend="mmdb"))
    with pytest.raises(GeoDatabaseError):
        make_locator(GeoSettings(backend="qqwry"))
    assert GeoSettings.from_env({}).backend == "ip2region"


def test_the_binding_loads_when_a_script_named_ip2region_py_shadows_it(tmp_path):
    """py-ip2region puts an ``ip2region.py`` script in ``bin/``, which is ``sys.path[0]`` for console
    scripts such as ``newsportal serve``; the backend must still find the real package."""
    import subprocess
    import sys

    (tmp_path / "ip2region.py").write_text("# a script of the same name as the package\n", encoding="utf-8")
    code = ("import sys; sys.path.insert(0, sys.argv[1]); "
            "from newsportal.geo.backends.ip2region import Ip2RegionLocator; "
            "print(Ip2RegionLocator().locate('8.8.8.8'))")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip()
