import pytest

from newsportal.geo.labels import (
    PROVINCES,
    UNKNOWN,
    china_label,
    country_label,
    province_label,
    public_address,
    subdivision_code_label,
)


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("广东省", "广东"),
        ("广东", "广东"),
        ("内蒙古自治区", "内蒙古"),
        ("广西壮族自治区", "广西"),
        ("新疆维吾尔自治区", "新疆"),
        ("宁夏回族自治区", "宁夏"),
        ("西藏自治区", "西藏"),
        ("黑龙江省", "黑龙江"),
        ("北京市", "北京"),
        ("香港", "中国香港"),
        ("香港特别行政区", "中国香港"),
        ("中国香港", "中国香港"),
        ("澳门", "中国澳门"),
        ("台湾省", "中国台湾"),
        ("陕西省", "陕西"),
        ("山西省", "山西"),
    ],
)
def test_province_names_normalised(name, label):
    assert province_label(name) == label


@pytest.mark.parametrize("name", [None, "", "0", "内网IP", "加利福尼亚", "x" * 40, "<b>广东</b>"])
def test_non_provinces_give_none(name):
    assert province_label(name) is None


def test_all_31_provinces_known():
    assert len(PROVINCES) == 31 and len(set(PROVINCES)) == 31


def test_china_without_province_is_china():
    assert china_label("0") == "中国"
    assert china_label("广东省") == "广东"


def test_subdivision_codes():
    assert subdivision_code_label("GD") == "广东"
    assert subdivision_code_label("CN-SN") == "陕西"
    assert subdivision_code_label("cn-sx") == "山西"
    assert subdivision_code_label("HK") == "中国香港"
    assert subdivision_code_label("ZZ") is None
    assert subdivision_code_label(None) is None


def test_country_labels():
    assert country_label("美国") == "美国"
    assert country_label(None, "JP") == "日本"
    assert country_label("Japan", "JP") == "日本"
    assert country_label("香港", "HK") == "中国香港"
    assert country_label("香港") == "中国香港"
    assert country_label(None, "TW") == "中国台湾"
    assert country_label("0") == UNKNOWN
    assert country_label(None, "ZZ") == UNKNOWN
    assert country_label("<script>", None) == UNKNOWN


@pytest.mark.parametrize(
    "ip",
    [
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "127.0.0.1",
        "169.254.1.1",
        "100.64.0.1",
        "0.0.0.0",
        "255.255.255.255",
        "224.0.0.1",
        "192.0.2.1",
        "::1",
        "fe80::1%eth0",
        "fc00::1",
        "2001:db8::1",
        "::ffff:192.168.0.1",
        "",
        "not-an-ip",
        "1.2.3",
        "256.1.1.1",
        "1.2.3.4\x00",
        "<script>",
        "8.8.8.8" * 20,
        None,
        12345,
    ],
)
def test_non_public_or_invalid_addresses(ip):
    assert public_address(ip) is None


def test_public_addresses_and_embedded_ipv4():
    assert str(public_address(" 8.8.8.8 ")) == "8.8.8.8"
    assert str(public_address("::ffff:8.8.8.8")) == "8.8.8.8"
    assert str(public_address("2002:0808:0808::1")) == "8.8.8.8"
    assert str(public_address("240e::1")) == "240e::1"
