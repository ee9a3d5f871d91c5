"""The dashboard's review-queue length and scheduled items (publications and updates of live articles, in
Beijing time), and every newsroom page under the site's CSP: the header is sent and the markup has no
inline script, style or handler that the policy would block."""

from __future__ import annotations

import re
from datetime import timedelta

from newsportal.timeutil import to_beijing
from newsportal.web.security import CSP
from tests.web.newsroom.harness import make_article
from tests.web.test_security import INLINE_HANDLER, INLINE_SCRIPT, INLINE_STYLE, JS_URL

QUEUE = re.compile(r"待审稿件</a><strong>(\d+)</strong>")
SCHEDULED = re.compile(r"定时发布</a><strong>(\d+)</strong>")


def _numbers(nr) -> tuple[int, int, str]:
    page = nr.clients["editor"].get("/newsroom").text
    return int(QUEUE.search(page).group(1)), int(SCHEDULED.search(page).group(1)), page


def _local(nr, hours: float) -> str:
    return to_beijing(nr.clock() + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def test_dashboard_counts_the_queue_and_lists_scheduled_items(nr):
    queue, scheduled, _ = _numbers(nr)
    waiting = make_article(nr, "reporter", title="区图书馆夜间自习室试运行")
    r = nr.post("reporter", f"/newsroom/articles/{waiting}/action", {"command": "submit"})
    assert r.status_code == 303
    later = make_article(nr, "editor", title="春节期间公交末班车延后")
    r = nr.post("editor", f"/newsroom/articles/{later}/action",
                {"command": "schedule", "when": _local(nr, 5)})
    assert r.status_code == 303
    live = make_article(nr, "editor", title="江滩公园灯光秀时间公布")
    assert nr.post("editor", f"/newsroom/articles/{live}/action", {"command": "publish"}).status_code == 303
    r = nr.post("editor", f"/newsroom/articles/{live}/schedule-update",
                {"title": "江滩公园灯光秀延长至元宵", "summary": "", "body_html": "<p>灯光秀延长两周。</p>",
                 "revision": str(nr.portal.store.get_article(live).revision), "update_at": _local(nr, 6)})
    assert r.status_code == 303
    queue2, scheduled2, page = _numbers(nr)
    assert (queue2, scheduled2) == (queue + 1, scheduled + 1)
    assert "春节期间公交末班车延后" in page and _local(nr, 5).replace("T", " ") + "（北京时间）" in page
    assert "江滩公园灯光秀时间公布</a>（已发布稿件的定时更新）" in page
    assert _local(nr, 6).replace("T", " ") + "（北京时间）" in page


def test_every_newsroom_page_is_served_under_the_csp_without_inline_code(nr):
    aid = make_article(nr, "editor", title="城区新增二十处直饮水点")
    assert nr.post("editor", f"/newsroom/articles/{aid}/action", {"command": "publish"}).status_code == 303
    src = nr.portal.sources_by_key["shuma-laozhou"].id
    pages = {
        "anonymous": ["/newsroom/login"],
        "editor": ["/newsroom", "/newsroom/articles", "/newsroom/articles/new", f"/newsroom/articles/{aid}",
                   f"/newsroom/articles/{aid}/edit", f"/newsroom/articles/{aid}/history", "/newsroom/uploads",
                   "/newsroom/self-media/queue", "/newsroom/articles/999999"],
        "chief_editor": ["/newsroom/audit", f"/newsroom/account?source_id={src}"],
        "admin": ["/newsroom/users"],
        "self_media": ["/newsroom/account"],
    }
    for role, paths in pages.items():
        for path in paths:
            r = nr.clients[role].get(path)
            assert r.status_code in (200, 404), (role, path, r.status_code)
            assert r.headers["content-security-policy"] == CSP, path
            for pattern in (INLINE_SCRIPT, INLINE_STYLE, INLINE_HANDLER, JS_URL):
                found = pattern.search(r.text)
                assert found is None, f"{path}: {found.group(0) if found else ''}"
    typed = {"title": "预览页也不含内联代码", "channel": "domestic", "source": "shanhai-original",
             "body_html": "<p>正文。</p>"}
    preview = nr.post("editor", "/newsroom/preview", typed)
    assert preview.status_code == 200 and preview.headers["content-security-policy"] == CSP
    assert INLINE_SCRIPT.search(preview.text) is None and INLINE_STYLE.search(preview.text) is None
