"""IPTC ninjs (News in JSON) pushes, 1.x and 2.x: validate, then map to :class:`IngestItem`.

The schemas in ``schemas/`` were written for this project from the ninjs field definitions. They follow
the standard (only ``uri`` is required by it, unknown top-level fields are refused), and the portal adds what
it needs to publish an article: a text or composite item with a headline and a body. Every problem is
reported, not just the first, as ``{field, problem}`` with the field as a JSON path (``$.headlines[0].value``)
so a partner's developer can fix a push from one 422 response.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any, Literal

from jsonschema import Draft202012Validator, FormatChecker, ValidationError

from newsportal.ingest.items import IngestError, IngestItem, normalise_text
from newsportal.text.sanitize import BodyTooLarge, html_to_text, paragraphs_to_html, sanitize_html
from newsportal.timeutil import to_utc_naive

Version = Literal["1", "2"]
MAX_PUSH_BYTES = 2 * 1024 * 1024
SUMMARY_CHARS = 300
ARTICLE_TYPES = {"text", "composite"}

_TYPE_NAMES = {"string": "字符串", "number": "数字", "integer": "整数", "array": "数组", "object": "对象",
               "boolean": "布尔值", "null": "null"}
_V2_KEYS = {"headlines", "bodies", "descriptions", "subjects", "people", "organisations", "places", "events",
            "objects", "infosources", "genres", "by", "trustindicators", "standard"}
_V1_KEYS = {"headline", "byline", "subject", "person", "organisation", "place", "event", "object",
            "infosource", "genre", "trustindicator", "$standard", "mimetype"}
_V1_PATTERN = re.compile(r"^(body|description|headline)_")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")
_URL_ROLES = {"url", "weburl", "web", "canonical", "link"}

_formats = FormatChecker(formats=())


@_formats.checks("date-time", raises=ValueError)
def _is_datetime(value: object) -> bool:
    """RFC 3339 needs a UTC offset; a naive time would be guessed, so it is refused."""
    if not isinstance(value, str):
        return True
    return _parse_dt(value) is not None


@_formats.checks("uri")
def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or bool(_SCHEME.match(value))


def _parse_dt(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


@dataclass(frozen=True)
class FieldProblem:
    field: str  # JSON path, "$" for the document itself
    problem: str  # Chinese, for the partner's developer
    code: str  # stable: type, enum, required, unknown_field, format, range, empty, json, profile

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "problem": self.problem}


class NinjsInvalid(IngestError):
    """The push is not a usable ninjs item; ``problems`` is the body of the 422 response."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("ninjs_invalid", "ninjs 内容不合格：" + "；".join(
            f"{p.field} {p.problem}" for p in problems[:5]))
        self.problems = problems

    def as_dicts(self) -> list[dict[str, str]]:
        return [p.as_dict() for p in self.problems]


@cache
def schema(version: Version) -> dict[str, Any]:
    text = resources.files("newsportal.ingest").joinpath(f"schemas/ninjs-{version}.json").read_text("utf-8")
    return json.loads(text)


@cache
def _validator(version: Version) -> Draft202012Validator:
    return Draft202012Validator(schema(version), format_checker=_formats)


def detect_version(data: dict[str, Any]) -> Version:
    """Which ninjs generation a push is written in: an explicit ``standard``/``$standard`` version wins,
    then the field names (2.x pluralised them and replaced ``renditions``/``associations`` maps by arrays)."""
    std2, std1 = data.get("standard"), data.get("$standard")
    if isinstance(std2, dict) and str(std2.get("version", "")).startswith("2"):
        return "2"
    if isinstance(std1, dict) and str(std1.get("version", "")).startswith("1"):
        return "1"
    keys = set(data)
    ones = len(keys & _V1_KEYS) + sum(1 for k in keys if _V1_PATTERN.match(k))
    ones += sum(1 for k in ("renditions", "associations") if isinstance(data.get(k), dict))
    twos = len(keys & _V2_KEYS)
    twos += sum(1 for k in ("renditions", "associations") if isinstance(data.get(k), list))
    return "1" if ones > twos else "2"


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if re.fullmatch(r"[A-Za-z_$][\w$]*", name) else f"{path}[{json.dumps(name)}]"


def _problems(error: ValidationError) -> list[FieldProblem]:
    path = error.json_path
    kind = error.validator
    if kind == "required":
        present = error.instance if isinstance(error.instance, dict) else {}
        missing = [r for r in error.validator_value if r not in present]
        return [FieldProblem(_join(path, name), "缺少必填字段", "required") for name in missing]
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        known = set(error.schema.get("properties", {}))
        patterns = [re.compile(p) for p in error.schema.get("patternProperties", {})]
        extra = [k for k in error.instance if k not in known and not any(p.search(k) for p in patterns)]
        problem = "未知字段（不属于该版本的 ninjs）"
        return [FieldProblem(_join(path, k), problem, "unknown_field") for k in extra]
    if kind == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        names = "或".join(_TYPE_NAMES.get(str(t), str(t)) for t in wanted)
        return [FieldProblem(path, f"类型错误：应为{names}", "type")]
    if kind == "enum":
        allowed = "、".join(str(v) for v in error.validator_value)
        return [FieldProblem(path, f"取值无效：{error.instance!r}，可选值为 {allowed}", "enum")]
    if kind == "format":
        what = "带时区的 RFC 3339 日期时间" if error.validator_value == "date-time" else "URI（需带协议头）"
        return [FieldProblem(path, f"格式无效：应为{what}", "format")]
    if kind in ("minimum", "maximum"):
        return [FieldProblem(path, "数值超出范围（1–9）", "range")]
    if kind == "minLength":
        return [FieldProblem(path, "不能为空", "empty")]
    if kind == "oneOf":
        return [FieldProblem(path, "linkedrights 与 encodedrights 必须且只能提供一个", "one_of")]
    return [FieldProblem(path, error.message, kind or "invalid")]


def _profile(data: dict[str, Any], version: Version) -> list[FieldProblem]:
    """What the portal needs beyond the standard to publish an article."""
    found: list[FieldProblem] = []
    if data.get("type", "text") not in ARTICLE_TYPES:
        found.append(FieldProblem("$.type", "只接受文字稿件（text 或 composite）", "profile"))
    if not _headline(data, version):
        field = "$.headline" if version == "1" else "$.headlines"
        found.append(FieldProblem(field, "缺少标题", "required"))
    if not _raw_body(data, version)[0]:
        field = "$.body_html" if version == "1" else "$.bodies"
        found.append(FieldProblem(field, "缺少正文", "required"))
    return found


def validate_ninjs(data: Any, *, version: Version | None = None) -> Version:
    """Validate a decoded push; returns the version it was checked against or raises :class:`NinjsInvalid`."""
    if not isinstance(data, dict):
        raise NinjsInvalid([FieldProblem("$", "ninjs 内容必须是一个 JSON 对象", "type")])
    version = version or detect_version(data)
    problems = [p for e in _validator(version).iter_errors(data) for p in _problems(e)]
    if not problems:
        problems = _profile(data, version)
    if problems:
        unique = {(p.field, p.problem): p for p in problems}
        raise NinjsInvalid(sorted(unique.values(), key=lambda p: (p.field, p.code)))
    return version


def parse_ninjs(body: bytes | str) -> Any:
    """JSON text of a push to Python data; oversize or non-JSON bodies become :class:`NinjsInvalid`."""
    if len(body) > MAX_PUSH_BYTES:
        raise NinjsInvalid([FieldProblem("$", f"内容过大，上限 {MAX_PUSH_BYTES} 字节", "too_large")])
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise NinjsInvalid([FieldProblem("$", f"不是合法的 JSON：{exc}", "json")]) from exc


def _pick(blocks: Any, roles: tuple[str, ...]) -> dict[str, Any] | None:
    if not isinstance(blocks, list) or not blocks:
        return None
    for role in roles:
        for block in blocks:
            if block.get("role") == role and block.get("value"):
                return block
    return next((b for b in blocks if b.get("value")), None)


def _headline(data: dict[str, Any], version: Version) -> str:
    if version == "1":
        return normalise_text(data.get("headline", ""))
    block = _pick(data.get("headlines"), ("main", "headline", ""))
    return normalise_text(block["value"]) if block else ""


def _raw_body(data: dict[str, Any], version: Version) -> tuple[str, bool]:
    """(body, is_html)."""
    if version == "1":
        if data.get("body_html"):
            return data["body_html"], True
        if data.get("body_text"):
            return data["body_text"], False
        other = next((v for k, v in data.items() if k.startswith("body_") and v), "")
        return other, False
    bodies = data.get("bodies") or []
    html_block = next((b for b in bodies if "html" in (b.get("contenttype") or "") and b.get("value")), None)
    if html_block:
        return html_block["value"], True
    block = _pick(bodies, ("main", "body", ""))
    if block is None:
        return "", False
    return block["value"], "html" in (block.get("contenttype") or "")


def _summary(data: dict[str, Any], version: Version) -> str:
    if version == "1":
        keys = ("description_text", "description_html", "description_summary")
        raw = next((data[k] for k in keys if data.get(k)), "")
    else:
        block = _pick(data.get("descriptions"), ("summary", "abstract", ""))
        raw = block["value"] if block else ""
    return normalise_text(html_to_text(sanitize_html(raw)) if "<" in raw else raw)


def _tags(data: dict[str, Any], version: Version) -> tuple[str, ...]:
    concepts = data.get("subject" if version == "1" else "subjects") or []
    names = (normalise_text(c.get("name") or c.get("code") or c.get("literal") or "") for c in concepts)
    return tuple(dict.fromkeys(n for n in names if n))


def _web_url(data: dict[str, Any], version: Version) -> str | None:
    altids = data.get("altids")
    pairs = altids.items() if isinstance(altids, dict) else ((a.get("role", ""), a.get("value", "")) for a in
                                                               altids or [])
    for role, value in pairs:
        if str(role).lower() in _URL_ROLES and isinstance(value, str) and value.startswith(("http://", "https://")):
            return value
    uri = data.get("uri", "")
    return uri if uri.startswith(("http://", "https://")) else None


def _time(data: dict[str, Any], key: str) -> datetime | None:
    value = data.get(key)
    parsed = _parse_dt(value) if isinstance(value, str) else None
    return to_utc_naive(parsed) if parsed else None


def ninjs_to_item(data: Any, source_key: str, *, version: Version | None = None) -> IngestItem:
    """Validate and map one push. Raises :class:`NinjsInvalid` (422) for anything unusable."""
    version = validate_ninjs(data, version=version)
    raw, is_html = _raw_body(data, version)
    try:
        body_html = sanitize_html(raw if is_html else paragraphs_to_html(raw.splitlines()))
    except BodyTooLarge as exc:
        raise NinjsInvalid([FieldProblem("$.body_html" if version == "1" else "$.bodies", str(exc),
                                         "too_large")]) from exc
    if not html_to_text(body_html).strip():
        field = "$.body_html" if version == "1" else "$.bodies"
        raise NinjsInvalid([FieldProblem(field, "正文清理后为空（只含脚本或不允许的标签）", "empty")])
    summary = _summary(data, version) or normalise_text(html_to_text(body_html))
    return IngestItem(
        source_key=source_key, origin="ninjs", guid=data["uri"], original_url=_web_url(data, version),
        original_time=_time(data, "firstcreated") or _time(data, "versioncreated"),
        updated_time=_time(data, "versioncreated"), title=_headline(data, version),
        summary=summary[:SUMMARY_CHARS], body_html=body_html,
        byline=normalise_text(data.get("byline" if version == "1" else "by", "")),
        tags=_tags(data, version), language=data.get("language") or "zh",
        status=data.get("pubstatus", "usable"), embargoed_until=_time(data, "embargoed"),
    )
