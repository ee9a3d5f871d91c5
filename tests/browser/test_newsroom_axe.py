"""axe-core (the reader pages' tags: WCAG 2.0/2.1/2.2 A and AA, target-size on) finds nothing on any
newsroom page, at desktop width and at 390 px, where no page may scroll sideways either. Each page is
opened by a role allowed to see it; forms are also checked in their error state."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, need_chromium, new_context
from tests.browser.helpers import MOBILE, describe, has_horizontal_scroll, run_axe, shoot
from tests.browser.newsroom_server import login, newsroom_server
from tests.web.newsroom.harness import actor, make_article


@pytest.fixture(scope="module")
def nrs(tmp_path_factory):
    need_chromium()
    with newsroom_server(tmp_path_factory) as (base, h):
        from newsportal.web.newsroom import desk

        aid = make_article(
            h,
            "reporter",
            title="老街区夜间集市开张",
            body="<h2>开放时间</h2><p>每周五至周日晚上开放。</p><ul><li>美食</li><li>手作</li></ul>",
        )
        h.svc.accounts  # noqa: B018 (services are built)
        form = desk.ArticleForm(
            title="老街区夜间集市开张",
            channel="domestic",
            source="shanhai-original",
            body_html="<p>每周五至周日晚上开放，共四十个摊位。</p>",
            revision=1,
        )
        desk.save(h.svc, actor(h, "editor"), aid, form)
        desk.run_command(h.svc, actor(h, "editor"), aid, desk.CommandInput(desk.Command.PUBLISH))
        h.svc.workflow.add_correction(aid, "摊位数量应为四十个", at=h.clock(), by_name="李责编")
        sm = make_article(h, "self_media", title="平板电脑选购要点")
        desk.run_command(h.svc, actor(h, "self_media"), sm, desk.CommandInput(desk.Command.SUBMIT))
        yield base, h, aid


PAGES = [
    ("login", None, "/newsroom/login"),
    ("dashboard-editor", "editor", "/newsroom"),
    ("dashboard-reporter", "reporter", "/newsroom"),
    ("articles", "editor", "/newsroom/articles"),
    ("new", "reporter", "/newsroom/articles/new"),
    ("new-errors", "reporter", "POST /newsroom/articles/new"),
    ("article", "editor", "/newsroom/articles/{aid}"),
    ("edit", "editor", "/newsroom/articles/{aid}/edit"),
    ("history", "editor", "/newsroom/articles/{aid}/history?a=1&b=2"),
    ("uploads", "reporter", "/newsroom/uploads"),
    ("account", "self_media", "/newsroom/account"),
    ("queue", "editor", "/newsroom/self-media/queue"),
    ("audit", "admin", "/newsroom/audit"),
    ("users", "admin", "/newsroom/users"),
    ("not-found", "editor", "/newsroom/articles/999999"),
]


@pytest.mark.parametrize("name,role,path", PAGES, ids=[p[0] for p in PAGES])
def test_no_axe_violations_desktop_and_390px(browser, nrs, name, role, path):
    base, h, aid = nrs
    found: dict[str, str] = {}
    errors: list[str] = []
    for label, viewport in (("desktop", DESKTOP), ("390", MOBILE)):
        ctx = new_context(browser, viewport=viewport, base_url=base)
        page = ctx.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        if role:
            login(page, base, role)
        if path.startswith("POST "):
            page.goto(base + path[5:])
            page.click("button:has-text('保存')")  # empty required fields are refused by the browser first
            page.evaluate("document.querySelector('#editor-form').noValidate = true")
            page.click("button:has-text('保存')")
            page.wait_for_selector(".nr-alert")
        else:
            page.goto(base + path.format(aid=aid))
        results = run_axe(page)
        if results["violations"]:
            found[label] = describe(results["violations"])
        if label == "390":
            assert not has_horizontal_scroll(page), f"{name} scrolls sideways at 390 px"
        shoot(page, f"newsroom-{name}-{label}")
        ctx.close()
    assert not found, "\n".join(f"[{k}]\n{v}" for k, v in found.items())
    assert errors == []
