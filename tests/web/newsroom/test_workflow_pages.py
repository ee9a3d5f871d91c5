"""The desk through the pages: submit, return, fix, schedule, publish by the scheduler tick with an
injected clock, 责编 credit, the version check, no-op saves, corrections, withdrawal, restore, and an
expired session that keeps the typed text."""

from __future__ import annotations

import io
import re
import struct
import zlib
from datetime import timedelta

from PIL import Image

from newsportal.newsroom.scheduler import Scheduler
from newsportal.timeutil import to_beijing
from newsportal.web.newsroom import desk
from tests.web.newsroom.harness import make_article

FORM = {
    "title": "江边步道全线贯通",
    "summary": "",
    "body_html": "<p>步道全长十二公里，沿途设有八个驿站。</p>",
    "channel": "domestic",
    "source": "shanhai-original",
    "byline": "",
    "tags": "城市，步道",
    "reporters": "王记者",
    "revision": "1",
}


def _state(nr, aid: int) -> str:
    return nr.svc.workflow.get(aid).state


def _action(nr, role, aid, command, **extra):
    return nr.post(role, f"/newsroom/articles/{aid}/action", {"command": command, **extra})


def test_submit_return_fix_schedule_and_the_scheduler_publishes(nr):
    r = nr.post("reporter", "/newsroom/articles/new", dict(FORM))
    assert r.status_code == 303
    aid = int(re.search(r"/articles/(\d+)/", r.headers["location"]).group(1))
    assert _action(nr, "reporter", aid, "submit").status_code == 303
    assert _state(nr, aid) == "submitted"
    # the editor reads the page and returns it; a reason is required
    r = _action(nr, "editor", aid, "return")
    assert r.status_code == 400 and "请填写退回原因" in r.text
    assert _action(nr, "editor", aid, "return", reason="请补充驿站开放时间").status_code == 303
    page = nr.clients["reporter"].get(f"/newsroom/articles/{aid}")
    assert "请补充驿站开放时间" in page.text and "退回" in page.text
    # the reporter fixes it: a new revision, then resubmits
    fixed = {**FORM, "body_html": FORM["body_html"] + "<p>驿站每天七点至二十二点开放。</p>"}
    assert nr.post("reporter", f"/newsroom/articles/{aid}/edit", fixed).status_code == 303
    assert _action(nr, "reporter", aid, "submit").status_code == 303
    hist = nr.clients["editor"].get(f"/newsroom/articles/{aid}/history?a=1&b=2")
    assert hist.status_code == 200 and "<ins>" in hist.text and "开放" in hist.text
    assert "<td>王记者</td>" in hist.text and "（北京时间）</td>" in hist.text  # every revision: who and when
    # schedule one hour ahead in Beijing time; a past time is refused with the zone named
    past = to_beijing(nr.clock() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    r = _action(nr, "editor", aid, "schedule", when=past)
    assert r.status_code == 400 and "北京时间" in r.text
    when = to_beijing(nr.clock() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    assert _action(nr, "editor", aid, "schedule", when=when).status_code == 303
    assert _state(nr, aid) == "scheduled"
    assert "（北京时间）" in nr.clients["editor"].get(f"/newsroom/articles/{aid}").text
    scheduler = Scheduler(nr.svc.workflow, nr.svc.audit, desk.scheduled_publish(nr.svc))
    assert scheduler.run_due(nr.clock(), "test-worker").fired == ()
    report = scheduler.run_due(nr.clock() + timedelta(hours=1, minutes=1), "test-worker")
    assert [f.article_id for f in report.fired] == [aid]
    article = nr.portal.store.get_article(aid)
    assert article.status.value == "published" and article.editors == ("李责编",)
    reader = nr.clients["anonymous"].get(f"/a/{article.slug}.html")
    assert reader.status_code == 200 and "责编：李责编" in reader.text


def test_stale_save_shows_both_versions_and_noop_save_keeps_review(nr):
    aid = make_article(nr, "reporter", title="老城区改造方案公示")
    form = {
        **FORM,
        "title": "老城区改造方案公示",
        "body_html": "<p>新线路下月开通。</p>",
        "revision": "1",
        "tags": "",
        "reporters": "",
    }
    assert _action(nr, "reporter", aid, "submit").status_code == 303
    # saving the same content (even with a stale revision number) changes nothing, review stays
    assert nr.post("reporter", f"/newsroom/articles/{aid}/edit", form).status_code == 303
    assert _state(nr, aid) == "submitted" and nr.portal.store.get_article(aid).revision == 1
    assert (
        nr.post(
            "editor", f"/newsroom/articles/{aid}/edit", {**form, "title": "老城区改造方案今起公示"}
        ).status_code
        == 303
    )
    r = nr.post("reporter", f"/newsroom/articles/{aid}/edit", {**form, "title": "老城区改造方案公示十天"})
    assert r.status_code == 409
    assert "保存冲突" in r.text and "老城区改造方案公示十天" in r.text and "老城区改造方案今起公示" in r.text
    assert nr.portal.store.get_article(aid).title == "老城区改造方案今起公示"
    assert 'name="revision" value="2"' in r.text


def test_form_errors_keep_the_typed_text(nr):
    typed = {**FORM, "title": "", "body_html": "<p>记者在现场看到的第一段文字</p>", "summary": "摘要保留"}
    r = nr.post("reporter", "/newsroom/articles/new", typed)
    assert r.status_code == 400
    assert "请填写标题" in r.text and "记者在现场看到的第一段文字" in r.text and "摘要保留" in r.text
    r = nr.post("reporter", "/newsroom/articles/new", {**FORM, "channel": "no-such"})
    assert r.status_code == 400 and "请选择有效的频道" in r.text


def test_expired_session_keeps_the_text_and_resumes_after_login(nr):
    c = nr.login("reporter")
    token = nr.token(c)
    nr.clock.advance(hours=3)  # past the idle limit
    typed = {**FORM, "title": "过期后仍保留的标题", "csrf_token": token}
    r = c.post("/newsroom/articles/new", data=typed)
    assert r.status_code == 401 and "登录已过期" in r.text
    assert 'value="过期后仍保留的标题"' in r.text
    login_token = re.search(r'name="csrf_token" value="([^"]+)"', r.text).group(1)
    kept = {k: v for k, v in re.findall(r'name="(keep__[^"]+)" value="([^"]*)"', r.text)}
    r = c.post(
        "/newsroom/login",
        data={
            "username": "ureporter",
            "password": "correct horse battery staple 2026",
            "csrf_token": login_token,
            "next": "/newsroom/articles/new",
            **kept,
        },
    )
    assert r.status_code == 200 and "继续提交" in r.text and "过期后仍保留的标题" in r.text
    resume = r.text.split('action="/newsroom/articles/new"')[1].split("</form>")[0]
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', resume))
    assert fields["title"] == "过期后仍保留的标题" and fields["csrf_token"]
    assert c.post("/newsroom/articles/new", data=fields).status_code == 303
    nr.clock.advance(hours=-3)


def test_withdraw_correct_restore_and_unknown_ids(nr):
    aid = make_article(nr, "editor", title="景区门票价格调整")
    assert _action(nr, "editor", aid, "publish").status_code == 303
    assert _action(nr, "editor", aid, "correct", reason="第二段的开放日期应为周六").status_code == 303
    assert "第二段的开放日期应为周六" in nr.clients["editor"].get(f"/newsroom/articles/{aid}").text
    assert _action(nr, "reporter", aid, "withdraw", reason="x").status_code == 403
    assert _action(nr, "editor", aid, "withdraw", reason="信息来源有误").status_code == 303
    assert nr.portal.store.get_article(aid).status.value == "withdrawn"
    assert _action(nr, "editor", aid, "reopen").status_code == 303
    rev = nr.portal.store.get_article(aid).revision
    form = {
        **FORM,
        "title": "景区门票价格调整（修订）",
        "body_html": "<p>新线路下月开通。</p>",
        "revision": str(rev),
        "tags": "",
        "reporters": "",
    }
    assert nr.post("editor", f"/newsroom/articles/{aid}/edit", form).status_code == 303
    assert nr.post("editor", f"/newsroom/articles/{aid}/restore", {"number": "1"}).status_code == 303
    art = nr.portal.store.get_article(aid)
    assert art.title == "景区门票价格调整" and art.revision == rev + 2
    for path in (
        "/newsroom/articles/999999",
        "/newsroom/articles/abc/edit",
        f"/newsroom/articles/{aid}/history?a=1&b=99",
    ):
        r = nr.clients["editor"].get(path)
        assert r.status_code == 404 and "页面不存在（404）" in r.text


def _png(w: int, h: int) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), (40, 120, 200)).save(buf, "PNG")
    return buf.getvalue()


def test_uploads_refuse_bad_files_with_chinese_messages(nr):
    c = nr.clients["reporter"]
    tok = nr.token(c)
    r = c.post(
        "/newsroom/uploads",
        data={"csrf_token": tok, "alt": "伪装的脚本"},
        files={"image": ("photo.jpg", b"#!/bin/sh\necho hi\n", "image/jpeg")},
    )
    assert r.status_code == 400 and 'value="伪装的脚本"' in r.text
    r = c.post(
        "/newsroom/uploads",
        data={"csrf_token": tok, "alt": "巨大的图片"},
        files={"image": ("big.png", _bomb(), "image/png")},
    )
    assert r.status_code == 400 and 'value="巨大的图片"' in r.text and "nr-alert" in r.text
    r = c.post(
        "/newsroom/uploads",
        data={"csrf_token": tok, "alt": ""},
        files={"image": ("ok.png", _png(800, 600), "image/png")},
    )
    assert r.status_code == 400 and "替代文字" in r.text
    r = c.post(
        "/newsroom/uploads",
        data={"csrf_token": tok, "alt": "江边步道的驿站"},
        files={"image": ("ok.png", _png(800, 600), "image/png")},
    )
    assert r.status_code == 200 and "图片已上传" in r.text
    src = re.search(r'<img src="([^"]+)" alt="江边步道的驿站"', r.text).group(1)
    got = nr.clients["anonymous"].get(src)
    assert got.status_code == 200 and got.headers["content-type"].startswith("image/")
    assert "江边步道的驿站" in c.get("/newsroom/articles/new").text  # offered in the editor's image picker


def _bomb() -> bytes:
    """A tiny PNG whose header claims 20000×20000 pixels (decompression bomb / oversized dimensions)."""
    data = bytearray(_png(8, 8))
    ihdr = 8 + 8  # signature, then length and type of the IHDR chunk
    data[ihdr : ihdr + 8] = struct.pack(">II", 20000, 20000)
    data[ihdr + 13 : ihdr + 17] = struct.pack(">I", zlib.crc32(bytes(data[ihdr - 4 : ihdr + 13])))
    return bytes(data)


def test_an_embargo_refuses_early_publication_in_chinese(nr):
    aid = make_article(nr, "editor", title="年度经济数据发布会")
    when = to_beijing(nr.clock() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    assert _action(nr, "editor", aid, "schedule", when=when, embargo="1").status_code == 303
    page = nr.clients["editor"].get(f"/newsroom/articles/{aid}").text
    assert "禁发" in page and "（北京时间）" in page
    early = _action(nr, "chief_editor", aid, "publish")
    assert early.status_code == 400 and "禁发期" in early.text and "北京时间" in early.text
    assert nr.portal.store.get_article(aid).status.value != "published" and _state(nr, aid) == "scheduled"
    assert _action(nr, "editor", aid, "unschedule").status_code == 303  # lifting it is allowed
    assert _state(nr, aid) == "submitted"
