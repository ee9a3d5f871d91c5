"""The analytics chart: well-formed, accessible, CSP-safe, deterministic SVG, and the same numbers as rows."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest

from newsportal.newsroom.charts import TABLE_HEADERS, ChartError, Point, TableRow, nice_ceiling, render

NS = "{http://www.w3.org/2000/svg}"
T0 = datetime(2026, 12, 2, 0, 0)  # 08:00 Beijing
DATA = [(120, 30), (340, 62), (280, 49), (90, 11), (40, 0), (15, 0), (8, 0)]
POINTS = [Point(T0 + timedelta(hours=i), v, s) for i, (v, s) in enumerate(DATA)]


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


@pytest.mark.parametrize("kind", ["line", "bar"])
def test_accessible_structure(kind: str) -> None:
    chart = render(POINTS, chart_id="a42", kind=kind)  # type: ignore[arg-type]
    root = _parse(chart.svg)
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "a42-title a42-desc"
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title is not None and title.get("id") == "a42-title" and title.text == "阅读量与分享数"
    assert desc is not None and desc.get("id") == "a42-desc"
    assert desc.text == (
        "2026-12-02 08:00 至 2026-12-02 14:00（北京时间），共 7 个时段。"
        "阅读量合计 893，最高 340（12-02 09:00）。分享数合计 152，最高 62（12-02 09:00）。"
    )
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "时间（北京时间）" in texts and "次数" in texts and "阅读量" in texts and "分享数" in texts
    assert "08:00" in texts and "10:00" in texts  # Beijing, not UTC (00:00)
    assert "00:00" not in texts


@pytest.mark.parametrize("kind", ["line", "bar"])
def test_csp_safe_and_deterministic(kind: str) -> None:
    a = render(POINTS, kind=kind)  # type: ignore[arg-type]
    b = render(list(reversed(POINTS)), kind=kind)  # type: ignore[arg-type]
    assert a == b
    assert "style=" not in a.svg and "<script" not in a.svg and "on" + "load" not in a.svg
    assert "<foreignObject" not in a.svg


def test_golden_line_chart() -> None:
    """Byte-stable output: any change to the drawing shows up here and must be deliberate."""
    svg = render(POINTS).svg
    assert hashlib.sha256(svg.encode()).hexdigest()[:16] == GOLDEN
    root = _parse(svg)
    polylines = list(root.iter(f"{NS}polyline"))
    assert len(polylines) == 2
    views_pts = [tuple(map(float, xy.split(","))) for xy in (polylines[0].get("points") or "").split()]
    assert len(views_pts) == 7
    # y axis tops out at 400 (four steps of 100); 340 views sit at 85 % of the plot height
    plot_top, plot_bottom = 36, 224
    assert views_pts[1][1] == pytest.approx(plot_bottom - (plot_bottom - plot_top) * 340 / 400, abs=0.05)
    assert polylines[1].get("stroke-dasharray") == "6 4"  # shares told apart without colour
    ticks = [t.text for t in root.iter(f"{NS}text") if t.get("text-anchor") == "end"]
    assert ticks == ["0", "100", "200", "300", "400"]


GOLDEN = "da9b6567682695e6"  # the chart checked by eye (rendered with chromium) when this was written


def test_bar_chart_has_a_bar_per_value() -> None:
    root = _parse(render(POINTS, kind="bar").svg)
    series = [g for g in root.iter(f"{NS}g") if "chart-series" in (g.get("class") or "")]
    assert [len(list(g.iter(f"{NS}rect"))) for g in series] == [7, 7]
    heights = [float(r.get("height") or 0) for r in series[0].iter(f"{NS}rect")]
    assert heights.index(max(heights)) == 1


def test_rows_match_points_in_beijing_time() -> None:
    chart = render(POINTS)
    assert chart.headers == TABLE_HEADERS == ("时间（北京时间）", "阅读量", "分享数")
    assert chart.rows[0] == TableRow("2026-12-02 08:00", "2026-12-02T08:00:00+08:00", 120, 30)
    assert [(r.views, r.shares) for r in chart.rows] == DATA


def test_time_gaps_are_spaced_by_time() -> None:
    pts = [Point(T0, 1, 0), Point(T0 + timedelta(hours=1), 2, 0), Point(T0 + timedelta(hours=10), 3, 0)]
    line = next(_parse(render(pts).svg).iter(f"{NS}polyline"))
    xs = [float(xy.split(",")[0]) for xy in (line.get("points") or "").split()]
    assert (xs[2] - xs[1]) == pytest.approx(9 * (xs[1] - xs[0]), abs=1)  # coordinates are rounded to 0.1


def test_multi_day_labels_carry_the_date() -> None:
    pts = [Point(T0 + timedelta(days=d), 5, 1) for d in range(3)]
    texts = [t.text for t in _parse(render(pts).svg).iter(f"{NS}text")]
    assert "12-02 08:00" in texts and "12-04 08:00" in texts


def test_single_point_and_empty() -> None:
    one = render([Point(T0, 0, 0)])
    assert len(one.rows) == 1
    root = _parse(one.svg)
    assert [t.text for t in root.iter(f"{NS}text") if t.get("text-anchor") == "end"] == [
        "0",
        "1",
        "2",
        "3",
        "4",
    ]
    empty = render([])
    assert empty.rows == ()
    root = _parse(empty.svg)
    desc = root.find(f"{NS}desc")
    assert desc is not None and desc.text == "暂无数据。"
    assert "暂无数据" in [t.text for t in root.iter(f"{NS}text")]


def test_title_is_escaped() -> None:
    chart = render(POINTS, title='<script>alert("x")</script>标题')
    assert "<script" not in chart.svg
    title = _parse(chart.svg).find(f"{NS}title")
    assert title is not None and title.text == '<script>alert("x")</script>标题'


@pytest.mark.parametrize("bad_id", ["", "1abc", 'a" onload="x', "a b", "x" * 50])
def test_bad_chart_id(bad_id: str) -> None:
    with pytest.raises(ChartError):
        render(POINTS, chart_id=bad_id)


def test_negative_counts_refused() -> None:
    with pytest.raises(ChartError):
        render([Point(T0, -1, 0)])


@pytest.mark.parametrize(
    ("value", "nice"),
    [
        (0, 1),
        (1, 1),
        (2, 2),
        (3, 5),
        (7, 10),
        (10, 10),
        (11, 20),
        (85, 100),
        (101, 200),
        (499, 500),
        (1001, 2000),
    ],
)
def test_nice_ceiling(value: int, nice: int) -> None:
    assert nice_ceiling(value) == nice
