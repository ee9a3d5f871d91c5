"""Bytes from partners to text, without mojibake.

Chinese partner sites declare their charset in the HTTP header, the XML declaration or a ``<meta>`` tag, often
more than one of them, and the declarations are regularly wrong (a CMS template says utf-8 while the
articles are saved in GBK). A declaration is therefore a *candidate*, never the answer:

1. a byte-order mark wins outright;
2. every declared charset is normalised (gb2312/gbk/cp936 decode as GB18030, their superset; big5 as
   Big5-HKSCS, then cp950) and must decode the whole document strictly, without U+FFFD, or it loses;
3. text that is valid UTF-8 and not pure ASCII is UTF-8 even when a legacy charset was declared, because
   legacy CJK text is practically never valid UTF-8 by accident, while UTF-8 often decodes "strictly" as
   GB18030 nonsense;
4. when several declared candidates survive, charset-normalizer's mess score picks among them;
5. with no usable declaration, charset-normalizer detects the charset from the bytes.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Literal

import charset_normalizer

from newsportal.ingest.items import IngestError

Source = Literal["bom", "http", "xml", "meta", "utf8", "detected", "ascii"]

# How far into the document declarations are looked for (HTML requires meta charset in the first 1024 bytes;
# real CMS templates put it later, after long comment banners).
SNIFF_BYTES = 8192

_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
    "euc-cn": "gb18030", "csgb2312": "gb18030", "chinese": "gb18030", "ms936": "gb18030",
    "windows-936": "gb18030",
    "gb18030": "gb18030", "gb-18030": "gb18030",
    "big5": "big5hkscs", "big-5": "big5hkscs", "x-x-big5": "big5hkscs", "cn-big5": "big5hkscs",
    "csbig5": "big5hkscs", "big5-hkscs": "big5hkscs", "big5hkscs": "big5hkscs", "cp950": "cp950",
    "utf8": "utf-8", "utf-8": "utf-8", "unicode-1-1-utf-8": "utf-8",
    "us-ascii": "ascii", "ascii": "ascii",
}
# Charsets that decode every byte sequence, so a strict decode proves nothing about them.
_PERMISSIVE = {"latin-1", "iso8859-1", "cp1252", "ascii", "iso8859-15"}
_FALLBACK = {"big5hkscs": ("cp950",)}
_CJK_FAMILIES = {"gb18030": "gb", "big5hkscs": "big5", "cp950": "big5"}
_PUA = re.compile("[\ue000-\uf8ff]")


def _family(codec: str) -> str:
    return _CJK_FAMILIES.get(codec, codec)

_CT_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:\-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:\-]+)["']""", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.I)


class UndecodableError(IngestError):
    """Nothing, declared or detected, turns these bytes into text: most likely binary, not a page."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # Python codec name that produced ``text``
    source: Source  # what decided it
    declared: tuple[str, ...]  # every charset the document or header named, normalised, in order


def normalise_charset(name: str) -> str | None:
    """Map a declared label to the Python codec that decodes it best, or None when Python has no codec."""
    label = name.strip().strip("\"'").lower()
    if label in _ALIASES:
        return _ALIASES[label]
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _CT_CHARSET.search(content_type)
    return match.group(1) if match else None


def declared_charsets(data: bytes, content_type: str | None = None) -> list[tuple[Source, str]]:
    """Every (where, codec) the header and the document head declare, in priority order, deduplicated."""
    found: list[tuple[Source, str]] = []
    head = data[:SNIFF_BYTES]
    raw: list[tuple[Source, str | None]] = [("http", charset_from_content_type(content_type))]
    xml = _XML_DECL.match(head)
    raw.append(("xml", xml.group(1).decode("ascii") if xml else None))
    raw.extend(("meta", m.group(1).decode("ascii")) for m in _META_CHARSET.finditer(head))
    seen: set[str] = set()
    for where, label in raw:
        codec = normalise_charset(label) if label else None
        if codec and codec not in seen:
            seen.add(codec)
            found.append((where, codec))
    return found


def _decode_allowing_cut_end(data: bytes, name: str) -> str:
    """Strict decode, except that a multibyte character cut off by the end of the data is dropped: a
    truncated download must still decode so the feed parser can report it as truncated."""
    try:
        return data.decode(name)
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 4 and ("end of data" in exc.reason or "incomplete" in exc.reason):
            return data[: exc.start].decode(name)
        raise


def _strict(data: bytes, codec: str) -> str | None:
    for name in (codec, *_FALLBACK.get(codec, ())):
        try:
            text = _decode_allowing_cut_end(data, name)
        except (UnicodeDecodeError, LookupError):
            continue
        # U+FFFD means the bytes were not in this charset; private-use characters are what GB18030 and
        # Big5 map their unassigned code points to, i.e. another charset's bytes read as this one.
        if "\ufffd" not in text and (name.startswith("utf") or not _PUA.search(text)):
            return text
    return None


def _codec_used(data: bytes, codec: str) -> str:
    """Which of ``codec`` and its fallbacks decoded ``data`` (for reporting)."""
    for name in (codec, *_FALLBACK.get(codec, ())):
        try:
            data.decode(name)
            return name
        except (UnicodeDecodeError, LookupError):
            continue
    return codec


def _bom(data: bytes) -> tuple[str, str] | None:
    for mark, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                        (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                        (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(mark):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                return None
    return None


def _detect(data: bytes, only: list[str] | None = None) -> tuple[str, str] | None:
    matches = charset_normalizer.from_bytes(data, cp_isolation=only)
    best = matches.best()
    if best is None:
        return None
    codec = normalise_charset(best.encoding) or best.encoding
    text = _strict(data, codec)
    if text is None:  # the detector's pick as a superset failed: trust its own decoding
        text, codec = str(best), best.encoding
    return text, _codec_used(data, codec)


def decode_bytes(data: bytes, content_type: str | None = None) -> Decoded:
    """Decode a feed or page body; raises :class:`UndecodableError` for bytes that are not text."""
    declared = declared_charsets(data, content_type)
    names = tuple(codec for _, codec in declared)
    bom = _bom(data)
    if bom:
        return Decoded(bom[0], bom[1], "bom", names)
    if data.isascii():
        return Decoded(data.decode("ascii"), "ascii", "ascii", names)
    survivors: list[tuple[Source, str, str]] = []
    for where, codec in declared:
        if codec in _PERMISSIVE:
            continue  # proves nothing on non-ASCII bytes; detection decides below
        text = _strict(data, codec)
        if text is not None:
            survivors.append((where, _codec_used(data, codec), text))
    utf8 = _strict(data, "utf-8")
    if utf8 is not None:
        decided: Source = next((src for src, codec, _ in survivors if codec == "utf-8"), "utf8")
        return Decoded(utf8, "utf-8", decided, names)
    if survivors:
        # A wrong legacy declaration can still decode strictly (GBK bytes read as Big5 give real but
        # meaningless characters), so the declared charsets are checked against the other CJK families with
        # charset-normalizer: a declared charset stands unless its decoding is so messy that the detector
        # drops it from its list of plausible matches (short texts keep their declaration).
        isolation = list(dict.fromkeys([codec for _, codec, _ in survivors] + list(_CJK_FAMILIES)))
        matches = charset_normalizer.from_bytes(data, cp_isolation=isolation)
        plausible = {_family(normalise_charset(m.encoding) or m.encoding) for m in matches}
        for where, codec, text in survivors:
            if not plausible or _family(codec) in plausible:
                return Decoded(text, codec, where, names)
        picked = _detect(data, only=isolation)
        if picked is not None:
            return Decoded(picked[0], picked[1], "detected", names)
        where, codec, text = survivors[0]
        return Decoded(text, codec, where, names)
    detected = _detect(data)
    if detected is None:
        raise UndecodableError("undecodable", "无法识别内容的字符编码，可能不是文本")
    return Decoded(detected[0], detected[1], "detected", names)


_XML_DECL_TEXT = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>", re.I)


def strip_xml_declaration(text: str) -> str:
    """Drop a leading ``<?xml … encoding=…?>``: once decoded, its encoding is a lie parsers would obey."""
    return _XML_DECL_TEXT.sub("", text, count=1).lstrip()
