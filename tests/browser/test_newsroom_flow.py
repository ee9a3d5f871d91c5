"""The newsroom in a real browser: a reporter writes a draft with an image in the rich-text editor and
submits it; an editor reads the word diff and returns it; the reporter fixes it; the editor schedules it
(Beijing time); the scheduler's pass, run with a clock an hour later, publishes it with nobody clicking;
the reader page credits the approver as 责编. Then a self-media submission goes through the queue."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image

from newsportal.newsroom.scheduler import Scheduler
from newsportal.timeutil import to_beijing
from newsportal.web.newsroom import desk
from tests.browser.conftest import need_chromium
from tests.browser.newsroom_server import newsroom_server, signed_in


@pytest.fixture(scope="module")
def nrs(tmp_path_factory):
    need_chromium()
    with newsroom_server(tmp_path_factory) as server:
        yield server


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (1200, 800), (30, 110, 170)).save(buf, "PNG")
    return buf.getvalue()


def _article_id(url: str) -> int:
    return int(url.split("/articles/")[1].split("/")[0])


def test_reporter_editor_scheduler_reader(browser, nrs, tmp_path):
    base, h = nrs
    errors: list[str] = []
    rep_ctx, rep = signed_in(browser, base, "reporter", errors=errors)
    # upload an image with its alt text
    rep.goto(base + "/newsroom/uploads")
    image = tmp_path / "bridge.png"
    image.write_bytes(_png())
    rep.set_input_files("#image", str(image))
    rep.fill("#alt", "新建的人行桥横跨江面")
    rep.click("button:has-text('上传')")
    assert rep.locator("text=图片已上传").count() == 1
    # write the draft in the rich-text editor, insert the image
    rep.goto(base + "/newsroom/articles/new")
    assert rep.locator(".nr-rte").is_visible() and not rep.locator("#body_html").is_visible()
    rep.fill("#title", "江上人行桥今日合龙")
    rep.click("#rte-body")
    rep.keyboard.type("横跨江面的人行桥今天上午完成合龙。")
    rep.click("button[data-cmd=image]")
    rep.keyboard.press("End")
    rep.select_option("#channel", "domestic")
    rep.click("button:has-text('保存')")
    rep.wait_for_url("**/edit?saved=1")
    aid = _article_id(rep.url)
    body = h.portal.store.get_article(aid).body_html
    assert "<img" in body and 'alt="新建的人行桥横跨江面"' in body and "合龙" in body
    # a second revision, then submit
    rep.click("#rte-body")
    rep.keyboard.press("Control+End")
    rep.keyboard.type("大桥预计明年五月通行。")
    rep.click("button:has-text('保存')")
    rep.wait_for_url("**/edit?saved=1")
    rep.goto(f"{base}/newsroom/articles/{aid}")
    rep.click("button:has-text('提交审核')")
    assert h.svc.workflow.get(aid).state == "submitted"

    ed_ctx, ed = signed_in(browser, base, "editor", errors=errors)
    ed.goto(f"{base}/newsroom/articles/{aid}/history?a=1&b=2")
    assert ed.locator(".nr-diff ins", has_text="明年五月").count() >= 1
    ed.goto(f"{base}/newsroom/articles/{aid}")
    ed.fill("#reason-return", "请写明合龙的具体时间")
    ed.click("button:has-text('退回')")
    assert h.svc.workflow.get(aid).state == "returned"

    rep.goto(f"{base}/newsroom/articles/{aid}")
    assert rep.locator("text=请写明合龙的具体时间").count() == 1
    rep.goto(f"{base}/newsroom/articles/{aid}/edit")
    rep.click("#rte-body")
    rep.keyboard.press("Control+End")
    rep.keyboard.type("合龙时间为上午十时。")
    rep.click("button:has-text('保存')")
    rep.wait_for_url("**/edit?saved=1")
    rep.goto(f"{base}/newsroom/articles/{aid}")
    rep.click("button:has-text('提交审核')")

    ed.goto(f"{base}/newsroom/articles/{aid}")
    assert ed.locator("label[for=when]").inner_text().endswith("（北京时间）")
    when = to_beijing(h.clock() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    ed.fill("#when", when)
    ed.click("button:has-text('定时发布')")
    assert h.svc.workflow.get(aid).state == "scheduled"

    scheduler = Scheduler(h.svc.workflow, h.svc.audit, desk.scheduled_publish(h.svc))
    assert scheduler.run_due(h.clock(), "browser-test").fired == ()
    fired = scheduler.run_due(h.clock() + timedelta(hours=1, minutes=1), "browser-test").fired
    assert [f.article_id for f in fired] == [aid]

    reader = ed_ctx.new_page()
    article = h.portal.store.get_article(aid)
    reader.goto(f"{base}/a/{article.slug}.html")
    assert reader.locator("h1").first.inner_text() == "江上人行桥今日合龙"
    assert "责编：李责编" in reader.locator(".editor-credit").inner_text()
    assert reader.locator("img[alt='新建的人行桥横跨江面']").count() == 1
    assert errors == []
    rep_ctx.close()
    ed_ctx.close()


def test_self_media_submission_through_the_queue(browser, nrs):
    base, h = nrs
    sm_ctx, sm = signed_in(browser, base, "self_media", javascript=False, goto="/newsroom/articles/new")
    assert sm.locator("#body_html").is_visible()  # without JS the textarea is the editor
    sm.fill("#title", "三款入门耳机横向对比")
    sm.fill("#body_html", "<p>这次对比三款价格相近的入门耳机，重点看续航和佩戴感。</p>")
    sm.select_option("#channel", "tech")
    sm.click("button:has-text('保存')")
    sm.wait_for_url("**/edit?saved=1")
    aid = _article_id(sm.url)
    sm.goto(f"{base}/newsroom/articles/{aid}")
    sm.click("button:has-text('提交审核')")

    ed_ctx, ed = signed_in(browser, base, "editor")
    ed.goto(base + "/newsroom/self-media/queue")
    item = ed.locator(".nr-queue li", has_text="三款入门耳机横向对比")
    item.locator("button:has-text('审核通过并发布')").click()
    ed.wait_for_url("**/self-media/queue?done=1")
    assert h.portal.store.get_article(aid).status.value == "published"
    assert ed.locator(".nr-queue li", has_text="三款入门耳机横向对比").count() == 0
    sm_ctx.close()
    ed_ctx.close()
