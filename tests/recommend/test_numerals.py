"""Chinese numerals become Arabic before story fingerprints are taken; numeral-built words stay words."""

import pytest

from newsportal.recommend.numerals import figures, to_arabic


@pytest.mark.parametrize(("text", "expected"), [
    ("三千二百名居民", "3200名居民"),
    ("百分之十五的家庭", "15%的家庭"),
    ("百分之三点五", "3.5%"),
    ("两艘渔船", "2艘渔船"),
    ("二〇二五年三月十三日", "2025年3月13日"),
    ("一九九八年", "1998年"),
    ("三千零五十元", "3050元"),
    ("一万二千人", "12000人"),
    ("三点五万人次", "3.5万人次"),
    ("两千多名", "2000多名"),
    ("第二次", "第2次"),
    ("十五公里", "15公里"),
    ("三千二", "3200"),
])
def test_numbers_are_rewritten(text, expected):
    assert to_arabic(text) == expected


@pytest.mark.parametrize("text", ["千万别轻信", "一些市民一样", "统一部署", "万一下雨", "三四个人", "四川"])
def test_words_made_of_numeral_characters_stay(text):
    assert to_arabic(text) == text


def test_figures_are_canonical_whatever_the_spelling():
    spelled = to_arabic("投资三十八亿元，车流一点二万辆次，增长百分之十五")
    assert figures(spelled) == ["3800000000", "12000", "15%"]
    assert figures("投资38亿元，车流1.2万辆次，增长15%") == ["3800000000", "12000", "15%"]
    assert figures("共3,200人") == ["3200"]


def test_empty_and_odd_text():
    assert to_arabic("") == "" and figures("") == []
    assert to_arabic("😀！！？") == "😀！！？"
