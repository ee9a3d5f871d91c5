import pytest

from newsportal.media.charts import nice_step, number
from newsportal.media.figures import find_figures, plain_text, plan_chart


def test_figures_with_multipliers_labels_and_years():
    figures = find_figures("2024年全市地铁客运量3.2亿人次。2025年客运量3.6亿人次，同比增长12.5%。")
    assert [(f.text, f.unit, f.year) for f in figures] == [
        ("3.2亿人次", "人次", 2024),
        ("3.6亿人次", "人次", 2025),
        ("12.5%", "%", 2025),
    ]
    assert figures[0].value == pytest.approx(3.2e8)
    assert figures[0].label == "全市地铁客运量"
    assert figures[2].label.endswith("同比增长")  # a bare verb borrows the clause's subject


@pytest.mark.parametrize(
    "text",
    [
        "2025年",
        "第90分钟扳平",
        "成绩2小时09分37秒",
        "首发列车G8701次",
        "9时18分出发",
        "三万名跑者",
        "12月5日",
    ],
)
def test_things_that_are_not_figures(text):
    assert find_figures(text) == []


def test_rates_get_their_own_unit_and_thousands_separators_parse():
    figures = find_figures("线路全长286公里，设计时速350公里；全年接待1,250,000人次。")
    assert [f.unit for f in figures] == ["公里", "公里/小时", "人次"]
    assert figures[2].value == 1_250_000


def test_html_bodies_are_read_as_text():
    assert plain_text("<p>增长&nbsp;5%</p><p>下降3%</p>").count("%") == 2
    assert len(find_figures("<p>上证指数微跌0.12%</p><p>深证成指上涨0.35%</p>")) == 2


def test_plan_prefers_a_time_series():
    plan = plan_chart(find_figures("2023年产量12万吨。2024年产量15万吨。2025年产量19万吨。"))
    assert plan is not None and plan.kind == "line" and plan.unit == "吨" and plan.scale_name == "万"
    assert [f.year for f in plan.figures] == [2023, 2024, 2025]
    two = plan_chart(find_figures("2024年产量12万吨。2025年产量15万吨。"))
    assert two is not None and two.kind == "bar"


def test_plan_same_unit_bars_then_key_figures_then_nothing():
    bars = plan_chart(find_figures("上证指数微跌0.12%，深证成指上涨0.35%，创业板指上涨0.81%。"))
    assert bars is not None and bars.kind == "hbar" and len(bars.figures) == 3
    mixed = plan_chart(find_figures("机器人身高1.7米，可搬运15公斤，连续工作4小时。"))
    assert mixed is not None and mixed.kind == "figures" and len(mixed.figures) == 3
    assert plan_chart(find_figures("只有一个数字：5公里。")) is None
    assert plan_chart(find_figures("没有数字的文章。")) is None


@pytest.mark.parametrize(("raw", "step"), [(0.79, 1), (409, 500), (1.7, 2), (23, 25), (0.0, 1.0)])
def test_nice_axis_steps(raw, step):
    assert nice_step(raw) == pytest.approx(step)


def test_number_format():
    assert [number(v) for v in (3.0, 3.25, 0.125, 1860.4)] == ["3", "3.2", "0.12", "1,860"]


def test_ranges_are_not_charted_as_two_values():
    figures = find_figures("达成率分布在52%到69%之间，高速段占比40%。")
    assert [f.text for f in figures] == ["40%"]
