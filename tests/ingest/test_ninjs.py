"""ninjs 1.x and 2.x pushes: valid ones map to IngestItem, invalid ones list every field problem."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from newsportal.ingest.ninjs import (
    MAX_PUSH_BYTES,
    NinjsInvalid,
    detect_version,
    ninjs_to_item,
    parse_ninjs,
    schema,
    validate_ninjs,
)
from tests.ingest.conftest import FIXTURES


def _load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text("utf-8"))


V1 = _load("ninjs_v1_valid.json")
V2 = _load("ninjs_v2_valid.json")


def _problems(data: Any, **kwargs: Any) -> dict[str, str]:
    with pytest.raises(NinjsInvalid) as info:
        ninjs_to_item(data, "partner", **kwargs)
    dicts = info.value.as_dicts()
    assert all(set(d) == {"field", "problem"} for d in dicts)
    return {d["field"]: d["problem"] for d in dicts}


def _with(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(base)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


@pytest.mark.parametrize("version", ["1", "2"])
def test_shipped_schemas_are_valid_draft_2020_12(version) -> None:
    Draft202012Validator.check_schema(schema(version))


def test_valid_2x_push_maps_to_an_ingest_item() -> None:
    item = ninjs_to_item(V2, "youth-daily")
    assert (item.source_key, item.origin) == ("youth-daily", "ninjs")
    assert item.guid == "urn:partner:youth-daily:2026-11-28:0031"
    assert item.original_url == "http://partner.test/youth/2026/11/28/volunteer.html"
    assert item.title == "青年志愿者服务站在滨江地铁口揭牌"  # the "main" headline, not the short one
    assert item.summary == "服务站每天有四名志愿者值守，为乘客提供问路和应急帮助。"
    assert item.byline == "记者 苏青"
    assert item.tags == ("志愿服务", "交通")
    assert item.original_time == datetime(2026, 11, 28, 1, 0)
    assert item.updated_time == datetime(2026, 11, 28, 2, 15)
    assert item.language == "zh-CN" and item.status == "usable"
    assert "站内备有轮椅" in item.body_html
    for bad in ("<script", "track()", "<iframe", "evil.test"):
        assert bad not in item.body_html


def test_valid_1x_push_maps_to_an_ingest_item() -> None:
    item = ninjs_to_item(V1, "radio")
    assert item.guid == item.original_url == "http://partner.test/radio/2026/11/27/weather.html"
    assert item.title == "本周末气温回升 适合户外活动"
    assert item.byline == "江州广播电台 气象组"
    assert item.body_html == ("<p>气象台预计，受暖湿气流影响，本周六和周日最高气温将回升到十八摄氏度。</p>\n"
                              "<p>早晚温差仍然较大，外出时请注意增减衣物。</p>")
    assert item.tags == ("天气",)
    assert item.original_time == item.updated_time == datetime(2026, 11, 27, 16, 0)


def test_versions_are_detected_from_standard_and_field_names() -> None:
    assert detect_version(V1) == "1"
    assert detect_version(V2) == "2"
    assert detect_version({"uri": "urn:x", "headline": "h", "body_html": "<p>b</p>"}) == "1"
    assert detect_version({"uri": "urn:x", "headlines": [{"value": "h"}]}) == "2"
    assert validate_ninjs(_with(V2, standard=None)) == "2"


def test_wrong_types_are_named_by_json_path() -> None:
    data = _with(V2, uri=42, headlines="标题", urgency="高", bodies=[{"value": ["<p>正文</p>"]}])
    problems = _problems(data)
    assert problems["$.uri"] == "类型错误：应为字符串"
    assert problems["$.headlines"] == "类型错误：应为数组"
    assert problems["$.urgency"] == "类型错误：应为数字"
    assert problems["$.bodies[0].value"] == "类型错误：应为字符串"


def test_unknown_enum_values_list_the_allowed_ones() -> None:
    problems = _problems(_with(V2, type="poem", pubstatus="deleted", representationtype="complete"))
    assert problems["$.type"].startswith("取值无效：'poem'")
    assert "usable、withheld、canceled" in problems["$.pubstatus"]
    assert "full、partial" in problems["$.representationtype"]  # 1.x value in a 2.x item


def test_missing_required_fields() -> None:
    problems = _problems(_with(V2, uri=None, bodies=[{"role": "main"}]))
    assert problems == {"$.uri": "缺少必填字段", "$.bodies[0].value": "缺少必填字段"}


def test_portal_needs_a_headline_and_a_body() -> None:
    v2 = _problems(_with(V2, headlines=[], bodies=None))
    assert v2 == {"$.headlines": "缺少标题", "$.bodies": "缺少正文"}
    v1 = _problems(_with(V1, headline=None, body_text=None))
    assert v1 == {"$.headline": "缺少标题", "$.body_html": "缺少正文"}


def test_pictures_are_not_articles() -> None:
    assert _problems(_with(V2, type="picture")) == {"$.type": "只接受文字稿件（text 或 composite）"}


def test_unknown_fields_and_bad_formats() -> None:
    problems = _problems(_with(V2, colour="红色", versioncreated="2026-11-28 10:15", firstcreated="昨天",
                               renditions=[{"name": "web", "href": "不是网址"}]))
    assert problems["$.colour"] == "未知字段（不属于该版本的 ninjs）"
    assert problems["$.versioncreated"] == "格式无效：应为带时区的 RFC 3339 日期时间"
    assert problems["$.firstcreated"] == "格式无效：应为带时区的 RFC 3339 日期时间"
    assert problems["$.renditions[0].href"] == "格式无效：应为URI（需带协议头）"


def test_1x_fields_in_a_2x_item_are_unknown() -> None:
    problems = _problems(_with(V2, headline="旧式标题"), version="2")
    assert problems == {"$.headline": "未知字段（不属于该版本的 ninjs）"}


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(NinjsInvalid) as info:
        ninjs_to_item({"uri": 1, "type": "x", "urgency": 99, "language": 5, "headlines": [{}]}, "p")
    fields = [p.field for p in info.value.problems]
    assert fields == sorted(fields)
    assert set(fields) == {"$.uri", "$.type", "$.urgency", "$.language", "$.headlines[0].value"}
    assert "ninjs 内容不合格" in info.value.message


def test_body_that_is_only_script_is_refused() -> None:
    hostile = "<script>alert(1)</script><iframe></iframe>"
    data = _with(V2, bodies=[{"contenttype": "text/html", "value": hostile}])
    assert _problems(data) == {"$.bodies": "正文清理后为空（只含脚本或不允许的标签）"}


def test_canceled_and_embargoed_pushes_carry_their_state() -> None:
    item = ninjs_to_item(_with(V2, pubstatus="canceled", embargoed="2026-12-01T00:00:00+08:00"), "p")
    assert item.status == "canceled"
    assert item.embargoed_until == datetime(2026, 11, 30, 16, 0)


@pytest.mark.parametrize(
    ("body", "code"),
    [(b"{not json", "json"), (b"\xff\xfe\x00garbage", "json"), (b"[1, 2]", "type"), (b'"text"', "type")],
)
def test_bodies_that_are_not_a_json_object(body: bytes, code: str) -> None:
    with pytest.raises(NinjsInvalid) as info:
        validate_ninjs(parse_ninjs(body))
    assert [p.code for p in info.value.problems] == [code]
    assert info.value.problems[0].field == "$"


def test_oversized_push_is_refused_before_parsing() -> None:
    with pytest.raises(NinjsInvalid) as info:
        parse_ninjs(b" " * (MAX_PUSH_BYTES + 1))
    assert info.value.problems[0].code == "too_large"


def test_round_trip_through_json_text() -> None:
    item = ninjs_to_item(parse_ninjs(json.dumps(V2, ensure_ascii=False).encode("utf-8")), "p")
    assert item.title == "青年志愿者服务站在滨江地铁口揭牌"
