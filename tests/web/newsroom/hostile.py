"""A hostile corpus and a checker that says whether any of it is *live* on a rendered page.

"Live" means the browser would act on it: a script element, an event-handler attribute, a javascript:,
vbscript: or data: URL in a link or source, an SVG or MathML element, an iframe/object/embed/form/style/
base element, or an invisible bidi/zero-width character. Shown as escaped text it is harmless and allowed.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

PAYLOADS = (
    "<script>alert('标题')</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">点我</a>',
    '<a href="JaVaScRiPt&#58;alert(1)">实体编码</a>',
    '<a href="&#106;avascript:alert(1)">十进制实体</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">数据链接</a>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    "<svg onload=alert(1)><script>alert(2)</script></svg>",
    '<math><mtext><a xlink:href="javascript:alert(1)">公式</a></mtext></math>',
    '<iframe src="javascript:alert(1)"></iframe>',
    "<p <b>残缺标签</p><scr<script>ipt>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '"><script>alert(1)</script>',
    "'; DROP TABLE articles; --",
    "1 OR 1=1 UNION SELECT password_hash FROM newsroom_users",
    "\u202e反转文字\u202c与\u200b零宽\u2066隔离\u2069",
    "<style>body{display:none}</style>",
    '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>提交</button></form>',
    '<a href=" java\tscript:alert(1)">空白</a>',
    '<base href="https://evil.example/">',
)
HOSTILE = "".join(PAYLOADS)
BAD_TAGS = {"iframe", "object", "embed", "math", "base", "style", "frame", "frameset", "applet"}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data"}
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.I)


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def tags_of(page: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    p = _Collect()
    p.feed(page)
    return p.tags


def _own_preview_frame(attrs: list[tuple[str, str | None]]) -> bool:
    """The editor's own preview frame, exactly: sandbox with no allowances, no source, nothing granted."""
    a = dict(attrs)
    return (a.get("class") == "nr-preview-frame" and "sandbox" in a and not a["sandbox"]
            and not ({"src", "srcdoc", "allow", "name"} & a.keys()))


def live_problems(page: str, *, allowed_svgs: int = 0, allowed_forms: int = 0) -> list[str]:
    """Every live piece of hostile content on ``page`` (empty when the page is clean).

    ``allowed_svgs``/``allowed_forms``: how many the page itself has (QR code, its own forms)."""
    out: list[str] = []
    svgs = forms = frames = 0
    for tag, attrs in tags_of(page):
        if tag == "iframe" and _own_preview_frame(attrs) and frames == 0:
            frames += 1  # the editor's live-preview frame: sandboxed, empty until the page's script fills it
        elif tag in BAD_TAGS:
            out.append(f"<{tag}>")
        if tag == "svg":
            svgs += 1
        if tag == "form":
            forms += 1
        if tag == "script":
            src, kind = dict(attrs).get("src") or "", dict(attrs).get("type") or ""
            if not src.startswith("/static/") and kind != "application/ld+json":  # JSON-LD is data, not run
                out.append("<script> without a site src")
        for name, value in attrs:
            if name.startswith("on"):
                out.append(f"{tag} {name}=")
            if name in URL_ATTRS and value:
                squeezed = re.sub(r"[\s\x00-\x1f]+", "", value)
                if BAD_SCHEME.match(squeezed) and squeezed != "data:,":
                    out.append(f"{tag} {name}={value[:40]}")
    if svgs > allowed_svgs:
        out.append(f"{svgs} svg elements (page has {allowed_svgs})")
    if forms > allowed_forms:
        out.append(f"{forms} forms (page has {allowed_forms})")
    if INVISIBLE.search(page):
        out.append("invisible bidi/zero-width character")
    return out


def count(page: str, tag: str) -> int:
    return sum(1 for t, _ in tags_of(page) if t == tag)
