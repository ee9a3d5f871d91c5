"""Turn what an IP database says into the IP属地 label a reader sees.

The label is the province for the Chinese mainland ("广东", "内蒙古"), 中国香港 / 中国澳门 / 中国台湾 for
those regions, the country or region's Chinese name elsewhere ("美国"), and 未知 whenever the answer is
missing or the address is not a public one. Databases spell provinces differently ("广东省",
"广西壮族自治区", ISO code "GD" or "CN-GD"); everything funnels through :func:`province_label` so every
backend shows the same names.
"""

from __future__ import annotations

import ipaddress

__all__ = [
    "UNKNOWN",
    "CHINA",
    "PROVINCES",
    "SPECIAL_REGIONS",
    "public_address",
    "province_label",
    "china_label",
    "subdivision_code_label",
    "country_label",
]

UNKNOWN = "未知"
CHINA = "中国"

#: The 31 provincial-level divisions of the mainland, by their short names.
PROVINCES: tuple[str, ...] = (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州",
    "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆",
)  # fmt: skip

SPECIAL_REGIONS: dict[str, str] = {"香港": "中国香港", "澳门": "中国澳门", "台湾": "中国台湾"}

#: ISO 3166-2:CN subdivision codes (as GeoIP-style databases store them, with or without "CN-").
_CN_CODES: dict[str, str] = {
    "BJ": "北京", "TJ": "天津", "HE": "河北", "SX": "山西", "NM": "内蒙古", "LN": "辽宁", "JL": "吉林",
    "HL": "黑龙江", "SH": "上海", "JS": "江苏", "ZJ": "浙江", "AH": "安徽", "FJ": "福建", "JX": "江西",
    "SD": "山东", "HA": "河南", "HB": "湖北", "HN": "湖南", "GD": "广东", "GX": "广西", "HI": "海南",
    "CQ": "重庆", "SC": "四川", "GZ": "贵州", "YN": "云南", "XZ": "西藏", "SN": "陕西", "GS": "甘肃",
    "QH": "青海", "NX": "宁夏", "XJ": "新疆", "HK": "中国香港", "MO": "中国澳门", "TW": "中国台湾",
}  # fmt: skip

#: Chinese names for the countries and regions most often seen, for databases without Chinese names.
_COUNTRY_CODES: dict[str, str] = {
    "CN": CHINA, "HK": "中国香港", "MO": "中国澳门", "TW": "中国台湾", "US": "美国", "JP": "日本",
    "KR": "韩国", "KP": "朝鲜", "SG": "新加坡", "MY": "马来西亚", "TH": "泰国", "VN": "越南", "PH": "菲律宾",
    "ID": "印度尼西亚", "IN": "印度", "PK": "巴基斯坦", "RU": "俄罗斯", "MN": "蒙古", "KZ": "哈萨克斯坦",
    "GB": "英国", "FR": "法国", "DE": "德国", "IT": "意大利", "ES": "西班牙", "PT": "葡萄牙", "NL": "荷兰",
    "BE": "比利时", "CH": "瑞士", "AT": "奥地利", "SE": "瑞典", "NO": "挪威", "DK": "丹麦", "FI": "芬兰",
    "IE": "爱尔兰", "PL": "波兰", "UA": "乌克兰", "TR": "土耳其", "GR": "希腊", "IL": "以色列",
    "AE": "阿联酋", "SA": "沙特阿拉伯", "IR": "伊朗", "EG": "埃及", "ZA": "南非", "NG": "尼日利亚",
    "KE": "肯尼亚", "CA": "加拿大", "MX": "墨西哥", "BR": "巴西", "AR": "阿根廷", "CL": "智利",
    "AU": "澳大利亚", "NZ": "新西兰",
}  # fmt: skip

_NOT_A_PLACE = {"", "0", "保留地址", "内网IP", "局域网", "本机地址", "共享地址", "未知", "unknown"}
_MAX_NAME = 24


def public_address(ip: object) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address to look up, or None for anything that has no place: invalid, private, reserved, …

    IPv4-mapped and 6to4 IPv6 addresses are looked up as the IPv4 address they carry.
    """
    if not isinstance(ip, str) or len(ip) > 64:
        return None
    try:
        addr: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address):
        carried = addr.ipv4_mapped or addr.sixtofour
        if carried is not None:
            addr = carried
    if not addr.is_global or addr.is_multicast or addr.is_reserved or addr.is_unspecified:
        return None
    return addr


def _clean(name: str | None) -> str:
    if not name:
        return ""
    name = name.strip()
    if name in _NOT_A_PLACE or len(name) > _MAX_NAME or not all(ch.isalpha() or ch in "·-" for ch in name):
        return ""
    return name


def province_label(name: str | None) -> str | None:
    """"广东省" → "广东", "香港特别行政区" → "中国香港"; None if it names no province or region."""
    cleaned = _clean(name)
    if not cleaned:
        return None
    if cleaned.startswith(CHINA) and len(cleaned) > 2:
        cleaned = cleaned[2:]
    for short, label in SPECIAL_REGIONS.items():
        if cleaned.startswith(short):
            return label
    for short in PROVINCES:
        if cleaned.startswith(short):
            return short
    return None


def china_label(province: str | None) -> str:
    """A Chinese address: the province when known, else just 中国 (still better than 未知)."""
    return province_label(province) or CHINA


def subdivision_code_label(code: str | None) -> str | None:
    if not code:
        return None
    code = code.strip().upper()
    if code.startswith("CN-"):
        code = code[3:]
    return _CN_CODES.get(code)


def country_label(name_zh: str | None, iso_code: str | None = None) -> str:
    """A place outside the mainland: its Chinese name, with the special regions named as such."""
    code = (iso_code or "").strip().upper()
    if code in ("HK", "MO", "TW"):
        return _COUNTRY_CODES[code]
    cleaned = _clean(name_zh)
    if cleaned:
        special = province_label(cleaned)
        if special is not None and special in SPECIAL_REGIONS.values():
            return special
        if any("\u4e00" <= ch <= "\u9fff" for ch in cleaned):
            return cleaned
    return _COUNTRY_CODES.get(code, UNKNOWN)
