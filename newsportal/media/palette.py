"""Channel names, colour palettes and the site's credit line for drawn images."""

from __future__ import annotations

from dataclasses import dataclass

SITE_CREDIT = "山海新闻制图"

RGB = tuple[int, int, int]


def hex_rgb(value: str) -> RGB:
    value = value.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


@dataclass(frozen=True, slots=True)
class Palette:
    """Sky/background top and bottom, a main colour, a second colour and a small accent."""

    top: RGB
    bottom: RGB
    main: RGB
    second: RGB
    accent: RGB


def _p(*colours: str) -> Palette:
    return Palette(*(hex_rgb(c) for c in colours))


# slug -> (Chinese channel name, palette, short description of the motif for alt text)
CHANNELS: dict[str, tuple[str, Palette, str]] = {
    "news": ("新闻", _p("#fdf1ec", "#f6d5c8", "#b8322a", "#e07a5f", "#2b2d42"), "向外扩散的同心圆与信号条"),
    "domestic": ("国内", _p("#fff4e6", "#ffd8b0", "#c0392b", "#2e6f95", "#f4a259"), "层叠的山峦与海面"),
    "world": ("国际", _p("#e8f4fb", "#c3e0f2", "#1d5f8a", "#3fa7d6", "#f26419"), "带经纬线的地球与航线弧线"),
    "society": ("社会", _p("#e9f6f4", "#bfe3df", "#147a78", "#4fb3a9", "#f2a541"), "层层起伏的海浪"),
    "sports": ("体育", _p("#2f8f46", "#237a3a", "#f5f5f0", "#3aa655", "#ffd166"), "俯视的绿茵球场与足球"),
    "ent": ("娱乐", _p("#2a1640", "#4b1f5e", "#e84393", "#a66cff", "#ffd166"), "舞台聚光灯与闪烁的光点"),
    "money": ("财经", _p("#f5f3ea", "#e6e0c8", "#1f3a5f", "#c9a227", "#d1495b"), "上扬的走势线与柱形"),
    "tech": ("科技", _p("#0b1d33", "#10294a", "#36c5f0", "#2ec4b6", "#ff9f1c"), "芯片与电路走线"),
    "auto": ("汽车", _p("#fdebd3", "#f7b267", "#3d405b", "#e07a5f", "#f4f1de"), "伸向远方的道路与速度线"),
    "mobile": ("手机", _p("#eef0ff", "#d5d9ff", "#3a3f99", "#6c63ff", "#ff6b9a"), "手机轮廓与应用图块"),
    "house": ("房产", _p("#fdf0e0", "#f9d4a8", "#5b4a6b", "#c0775a", "#ffd27f"), "城市楼群天际线"),
    "edu": ("教育", _p("#eef7ea", "#cfe8c4", "#2d6a4f", "#f4a261", "#e9c46a"), "书架上的书本与台灯"),
    "homedeco": (
        "家居",
        _p("#f7f1e8", "#eadbc8", "#8a6e4b", "#6b8f71", "#d9a05b"),
        "带拱窗、吊灯和绿植的房间一角",
    ),
    "war": ("军事航空", _p("#1e2a1e", "#2c3a2a", "#9bc53d", "#5c7a45", "#e3b23c"), "雷达扫描圈与飞行器航迹"),
}
DEFAULT_CHANNEL = ("新闻", _p("#f2f4f7", "#d9e0ea", "#34495e", "#5d8aa8", "#e67e22"), "抽象的几何圆形与色带")


def channel_style(slug: str) -> tuple[str, Palette, str]:
    """Name, palette and motif description for a channel slug (unknown slugs get a neutral style)."""
    return CHANNELS.get(slug, DEFAULT_CHANNEL)


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """Linear blend from a (t=0) to b (t=1)."""
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


def luminance(colour: RGB) -> float:
    """Relative brightness 0..1 (Rec. 709 weights), to pick light or dark text on a colour."""
    r, g, b = colour
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255
