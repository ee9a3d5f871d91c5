"""The hostile corpus through every newsroom text field and query parameter: the reader pages and the
newsroom pages that show the result contain none of it live, and the database is unharmed."""

from __future__ import annotations

import pytest

from tests.web.newsroom.harness import make_article
from tests.web.newsroom.hostile import HOSTILE, PAYLOADS, count, live_problems

SAFE_BODY = "<p>社区图书馆延长开放时间，周末也可借阅。</p>"


def _few(items: tuple[str, ...]) -> str:
    """Six list items (the lists are split at spaces and commas, and hold at most ten names)."""
    return "，".join(p.replace(" ", "")[:30] for p in items)


def _baseline(nr, client, path: str) -> tuple[int, int]:
    page = client.get(path).text
    return count(page, "svg"), count(page, "form")


def test_every_article_field_and_reason_is_inert_on_reader_and_newsroom_pages(nr):
    reference = make_article(nr, "editor", title="社区图书馆延长开放时间", body=SAFE_BODY)
    nr.post("editor", f"/newsroom/articles/{reference}/action", {"command": "publish"})
    anon = nr.clients["anonymous"]
    ref_slug = nr.portal.store.get_article(reference).slug
    ref_svgs, ref_forms = _baseline(nr, anon, f"/a/{ref_slug}.html")

    form = {
        "title": (PAYLOADS[13] + HOSTILE)[:118],
        "summary": HOSTILE[:400],
        "body_html": SAFE_BODY + HOSTILE,
        "channel": "domestic",
        "source": "shanhai-original",
        "byline": HOSTILE[:90],
        "tags": _few(PAYLOADS[:5]),
        "reporters": _few(PAYLOADS[8:11]) + "，" + _few(PAYLOADS[14:17]),
        "original": "1",
    }
    r = nr.post("reporter", "/newsroom/articles/new", form)
    assert r.status_code == 303, r.text.split('role="alert"')[1][:300]
    aid = int(r.headers["location"].split("/")[3])
    assert nr.post("reporter", f"/newsroom/articles/{aid}/action", {"command": "submit"}).status_code == 303
    assert (
        nr.post(
            "editor", f"/newsroom/articles/{aid}/action", {"command": "return", "reason": HOSTILE[:480]}
        ).status_code
        == 303
    )
    edited = {
        **form,
        "title": ("改" + HOSTILE)[:118],
        "revision": str(nr.portal.store.get_article(aid).revision),
    }
    assert nr.post("reporter", f"/newsroom/articles/{aid}/edit", edited).status_code == 303
    assert nr.post("reporter", f"/newsroom/articles/{aid}/action", {"command": "submit"}).status_code == 303
    assert nr.post("editor", f"/newsroom/articles/{aid}/action", {"command": "publish"}).status_code == 303
    assert (
        nr.post(
            "editor", f"/newsroom/articles/{aid}/action", {"command": "correct", "reason": HOSTILE[:480]}
        ).status_code
        == 303
    )
    article = nr.portal.store.get_article(aid)
    assert article.status.value == "published"
    assert "DROP TABLE" in nr.portal.store.revisions(aid)[0].title  # kept as text, nothing executed
    assert nr.portal.store.count_articles() >= 2

    reader = anon.get(f"/a/{article.slug}.html")
    assert reader.status_code == 200
    assert live_problems(reader.text, allowed_svgs=ref_svgs, allowed_forms=ref_forms) == []
    for path in ("/", "/channel/domestic", "/channel/news"):
        page = anon.get(path)
        assert page.status_code == 200
        base = count(page.text, "svg"), count(page.text, "form")
        assert live_problems(page.text, allowed_svgs=base[0], allowed_forms=base[1]) == [], path

    editor = nr.clients["editor"]
    for path in (
        f"/newsroom/articles/{aid}",
        f"/newsroom/articles/{aid}/edit",
        f"/newsroom/articles/{aid}/history?a=1&b=2",
        "/newsroom/articles",
        "/newsroom",
    ):
        page = editor.get(path)
        assert page.status_code == 200, path
        own_svgs = 1 if path == f"/newsroom/articles/{aid}" else 0
        assert (
            live_problems(page.text, allowed_svgs=own_svgs, allowed_forms=count(page.text, "form")) == []
        ), path
    preview = nr.post("reporter", "/newsroom/preview", form)
    assert preview.status_code == 200
    assert live_problems(preview.text, allowed_svgs=ref_svgs, allowed_forms=ref_forms) == []


def test_a_refused_editor_form_shows_the_typed_text_back_inert(nr):
    typed = {"title": "", "summary": HOSTILE[:400], "body_html": SAFE_BODY + HOSTILE, "channel": "domestic",
             "byline": HOSTILE[:90]}
    r = nr.post("reporter", "/newsroom/articles/new", typed)
    assert r.status_code == 400 and "请填写标题" in r.text
    assert "社区图书馆延长开放时间" in r.text and "DROP TABLE" in r.text  # the text is kept, as text
    assert live_problems(r.text, allowed_forms=count(r.text, "form")) == []


def test_the_scheduled_update_form_is_inert_before_and_after_it_fires(nr):
    """定时更新 takes title, summary and body of a live article: refused input is shown back inert, and
    the text the scheduler puts live is as harmless on the reader page as any other save."""
    from datetime import timedelta

    from newsportal.timeutil import to_beijing

    aid = make_article(nr, "editor", title="河滨公园夜间照明改造", body=SAFE_BODY)
    assert nr.post("editor", f"/newsroom/articles/{aid}/action", {"command": "publish"}).status_code == 303
    anon = nr.clients["anonymous"]
    slug = nr.portal.store.get_article(aid).slug
    ref_svgs, ref_forms = _baseline(nr, anon, f"/a/{slug}.html")
    typed = {"title": ("夜" + HOSTILE)[:118], "summary": HOSTILE[:400], "body_html": SAFE_BODY + HOSTILE,
             "revision": str(nr.portal.store.get_article(aid).revision)}
    path = f"/newsroom/articles/{aid}/schedule-update"
    refused = nr.post("editor", path, {**typed, "update_at": HOSTILE[:60]})
    assert refused.status_code == 400 and "无法识别的时间" in refused.text
    assert live_problems(refused.text, allowed_svgs=1, allowed_forms=count(refused.text, "form")) == []
    when = to_beijing(nr.clock() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    r = nr.post("editor", path, {**typed, "update_at": when})
    assert r.status_code == 303, r.text
    pending = nr.clients["editor"].get(f"/newsroom/articles/{aid}").text
    assert live_problems(pending, allowed_svgs=1, allowed_forms=count(pending, "form")) == []
    fired = nr.portal.newsroom.scheduler.run_due(nr.clock() + timedelta(hours=1, minutes=1), "worker-h")
    assert [f.article_id for f in fired.fired] == [aid]
    article = nr.portal.store.get_article(aid)
    assert article.title.startswith("夜") and article.status.value == "published"
    reader = anon.get(f"/a/{article.slug}.html")
    assert reader.status_code == 200
    assert live_problems(reader.text, allowed_svgs=ref_svgs, allowed_forms=ref_forms) == []


def test_self_media_fields_and_admin_forms_are_inert(nr):
    fields = {
        "name": "老周" + HOSTILE[:30],
        "intro": (PAYLOADS[15] + HOSTILE)[:490],
        "operator": "周" + HOSTILE[:100],
        "category": "科技",
        "contact": HOSTILE[:110],
    }
    r = nr.post("self_media", "/newsroom/account", fields)
    # control characters (bidi, zero-width) are refused with a message; the typed text stays in the form
    assert r.status_code == 400 and "不可见的控制字符" in r.text
    assert live_problems(r.text, allowed_forms=count(r.text, "form")) == []
    clean = {
        k: v.replace("\u202e", "")
        .replace("\u202c", "")
        .replace("\u200b", "")
        .replace("\u2066", "")
        .replace("\u2069", "")
        for k, v in fields.items()
    }
    assert nr.post("self_media", "/newsroom/account", clean).status_code == 303
    page = nr.clients["self_media"].get("/newsroom/account")
    assert live_problems(page.text, allowed_forms=count(page.text, "form")) == []
    r = nr.post(
        "admin",
        "/newsroom/users",
        {"username": HOSTILE[:60], "display_name": HOSTILE[:40], "role": "reporter"},
    )
    assert r.status_code == 400 and "用户名" in r.text
    assert live_problems(r.text, allowed_forms=count(r.text, "form")) == []


@pytest.mark.parametrize("role", ["editor", "chief_editor", "admin", "self_media"])
def test_hostile_query_parameters(nr, role):
    aid = make_article(nr, "self_media" if role == "self_media" else "editor", title="夜市开放时间调整")
    src = nr.portal.sources_by_key["shuma-laozhou"].id
    client = nr.clients[role]
    params = {
        k: HOSTILE[:300]
        for k in (
            "state",
            "channel",
            "mine",
            "a",
            "b",
            "span",
            "actor",
            "action",
            "target",
            "from",
            "to",
            "ip",
            "page",
            "done",
            "saved",
            "next",
        )
    }
    for path in (
        "/newsroom",
        "/newsroom/articles",
        f"/newsroom/articles/{aid}",
        f"/newsroom/articles/{aid}/edit",
        f"/newsroom/articles/{aid}/history",
        "/newsroom/uploads",
        "/newsroom/audit",
        "/newsroom/users",
        f"/newsroom/account?source_id={src}",
        "/newsroom/self-media/queue",
        "/newsroom/login",
    ):
        r = client.get(path, params=params)
        assert r.status_code < 500, (path, r.status_code)
        if r.status_code in (200, 400, 404):
            assert (
                live_problems(
                    r.text,
                    allowed_svgs=count(r.text, "svg") if "/articles/" in path else 0,
                    allowed_forms=count(r.text, "form"),
                )
                == []
            ), path
