"""跟贴 pages: the thread page and section fragment escape everything, the cached article page is the same
for every reader, and posting, replying, liking and reporting work through plain form posts (no JS)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from markupsafe import escape

from newsportal.timeutil import utcnow
from newsportal.web.context import web_context
from tests.comments.test_text import HOSTILE
from tests.web.comments.conftest import CSRF_RE, mod_post, post


class _Scan(HTMLParser):
    """Collects every element or attribute a browser would act on that our templates never write."""

    BAD_TAGS = {"iframe", "object", "embed", "svg", "math", "style", "img", "body", "base", "meta"}

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script" and not (dict(attrs).get("src") or "").startswith("/static/"):
            if dict(attrs).get("type") != "application/ld+json":
                self.found.append(f"<script {attrs}>")
        if tag in self.BAD_TAGS:
            self.found.append(f"<{tag} {attrs}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                    ("javascript:", "data:")):
                self.found.append(f"{tag}[{name}={value}]")


def live_markup(body: str) -> list[str]:
    """Dangerous markup in the page's main part (from ``<main``; the whole text for a fragment)."""
    scan = _Scan()
    scan.feed(body[body.find("<main"):] if "<main" in body else body)
    return scan.found


def _escaped_only(body: str, text: str) -> None:
    """The stored text appears escaped, and never raw when it has tag characters (an ``&lt;`` typed by a
    reader may legitimately match another comment's escaped ``<``, so entities alone are not checked)."""
    assert str(escape(text)) in body, text
    if "<" in text or ">" in text:
        assert text not in body, text


def test_hostile_input_in_every_comment_field_is_inert(site):
    author, csrf, _ = site.reader("作者")
    reporter, rcsrf, _ = site.reader("举报")
    mod, mcsrf = site.moderator("mode")
    anon = site.client()
    stored = []
    for h in HOSTILE:
        r = post(author, csrf, site.article, h)
        if r.status_code != 201:  # refused with its message (e.g. nothing visible left)
            assert 400 <= r.status_code < 500 and r.json()["error"]["message"]
            continue
        cid = r.json()["id"]
        mod_post(mod, mcsrf, f"/c/{cid}/approve")
        reply = post(reporter, rcsrf, site.article, h + "（回复）", reply_to=cid)
        assert reply.status_code == 201
        mod_post(mod, mcsrf, f"/c/{reply.json()['id']}/approve")
        note = reporter.post(f"/api/v1/comments/{cid}/report", json={"reason": "other", "note": h},
                             headers={"x-csrf-token": rcsrf})
        assert note.status_code in (201, 400), note.text
        stored.append(site.comments.stores.comments.get(cid).text)
    assert len(stored) >= len(HOSTILE) - 6

    pages = [anon.get(f"/comments/{site.article}?page={p}").text for p in (1, 2, 3)]
    queues = [mod.get(f"/newsroom/moderation?status=all&page={p}").text for p in (1, 2, 3, 4)]
    thread, queue = "".join(pages), "".join(queues)
    section = anon.get(f"/comments/{site.article}/section").text
    for text in stored:
        _escaped_only(thread, text)
        _escaped_only(queue, text)
    latest = site.comments.service.section(site.article, utcnow()).latest
    for c in latest:  # the section shows the newest and hottest few
        _escaped_only(section, c.text)
    for body in (*pages, *queues, section):
        assert live_markup(body) == []
    # hostile nicknames are refused at sign-up with a Chinese message, never stored
    for h in HOSTILE[:6]:
        r = anon.post("/api/v1/readers/signup", json={"login": "x@example.cn", "nickname": h,
                                                      "password": "海河晨报2026"})
        assert r.status_code == 400 and "昵称" in r.json()["error"]["message"]


def test_section_fragment_escapes_and_is_shared(site):
    author, csrf, _ = site.reader()
    mod, mcsrf = site.moderator("modf")
    cid = post(author, csrf, site.article, '<img src=x onerror="alert(1)">好评').json()["id"]
    mod_post(mod, mcsrf, f"/c/{cid}/approve")
    r = site.client().get(f"/comments/{site.article}/section")
    assert r.status_code == 200 and r.headers["cache-control"] == "public, max-age=5"
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;好评" in r.text and "<img src=x" not in r.text
    assert "热门跟贴" in r.text and "最新跟贴" in r.text and "IP属地：广东" in r.text
    # no per-reader state: a signed-in reader gets the same bytes, and no CSRF token is in it
    assert author.get(f"/comments/{site.article}/section").content == r.content
    assert not re.search(r'name="csrf" value="[0-9a-f]+"', r.text)


def test_the_cached_article_page_is_byte_identical_for_two_readers(site):
    a, _, _ = site.reader("甲")
    b, _, _ = site.reader("乙")
    first = a.get(f"/article/{site.article}")
    second = b.get(f"/article/{site.article}")
    anon = site.client().get(f"/article/{site.article}")
    assert first.status_code == 200 and first.content == second.content == anon.content
    assert 'data-comments-section="/comments/' in first.text
    assert f'href="/comments/{site.article}"' in first.text
    assert "甲" not in first.text and "np_reader" not in first.headers.get("set-cookie", "")
    care = a.get(f"/care/article/{site.article}")
    assert care.content == b.get(f"/care/article/{site.article}").content
    assert f'data-comments-section="/care/comments/{site.article}/section"' in care.text


def test_section_is_invalidated_when_a_comment_is_approved(site):
    author, csrf, _ = site.reader()
    mod, mcsrf = site.moderator("modg")
    anon = site.client()
    assert "共 <strong>0</strong> 条跟贴" in anon.get(f"/comments/{site.article}/section").text
    cid = post(author, csrf, site.article, "审核通过后立即出现").json()["id"]
    assert "审核通过后立即出现" not in anon.get(f"/comments/{site.article}/section").text
    mod_post(mod, mcsrf, f"/c/{cid}/approve")
    section = anon.get(f"/comments/{site.article}/section").text
    assert "审核通过后立即出现" in section and "共 <strong>1</strong> 条跟贴" in section


def _csrf(page: str) -> str:
    m = CSRF_RE.search(page)
    assert m, "no CSRF token in the page"
    return m.group(1)


def test_post_reply_like_and_report_with_plain_forms(site):
    client, _, _ = site.reader("无脚本")
    other, ocsrf, _ = site.reader("对方")
    mod, mcsrf = site.moderator("modh")
    page = client.get(f"/comments/{site.article}")
    assert page.status_code == 200 and page.headers["cache-control"].startswith("private")
    assert "无脚本" in page.text  # the reader's own nickname, on the private page only
    token = _csrf(page.text)
    r = client.post(f"/comments/{site.article}/post", data={"csrf": token, "text": "表单发帖"},
                    follow_redirects=False)
    assert r.status_code == 303 and "notice=pending" in r.headers["location"]
    assert "审核通过后显示" in client.get(r.headers["location"]).text
    reader = site.comments.readers.current(client.cookies.get("np_reader"), utcnow())
    cid = site.comments.stores.comments.by_reader(reader.id)[0][0].id
    mod_post(mod, mcsrf, f"/c/{cid}/approve")

    # reply, like, report from the other reader's thread page
    page = other.get(f"/comments/{site.article}").text
    token = _csrf(page)
    assert f'name="reply_to" value="{cid}"' in page
    r = other.post(f"/comments/{site.article}/post",
                   data={"csrf": token, "text": "表单回复", "reply_to": str(cid)}, follow_redirects=False)
    assert r.status_code == 303
    r = other.post(f"/comments/c/{cid}/like", data={"csrf": token}, follow_redirects=False)
    assert r.status_code == 303 and "notice=liked" in r.headers["location"]
    again = other.post(f"/comments/c/{cid}/like", data={"csrf": token})
    assert again.status_code == 409 and "赞过" in again.text
    r = other.post(f"/comments/c/{cid}/report", data={"csrf": token, "reason": "ad"}, follow_redirects=False)
    assert r.status_code == 303 and "notice=reported" in r.headers["location"]
    account = other.get("/readers/account").text
    assert "正在处理" in account and "我的举报（1）" in account

    # a form without the token is refused and nothing is stored
    before = site.comments.stores.comments.count_visible(site.article)
    r = other.post(f"/comments/{site.article}/post", data={"text": "没有令牌"})
    assert r.status_code == 403 and "页面已过期" in r.text
    r = other.post(f"/comments/{site.article}/post", data={"csrf": token, "text": "   "})
    assert r.status_code == 400 and "只有空格" in r.text
    assert site.comments.stores.comments.count_visible(site.article) == before


def test_thread_page_states_pagination_and_care_mode(site):
    author, csrf, _ = site.reader()
    mod, mcsrf = site.moderator("modi")
    anon = site.client()
    for i in range(23):
        cid = post(author, csrf, site.article, f"第 {i} 条跟贴").json()["id"]
        mod_post(mod, mcsrf, f"/c/{cid}/approve")
    first = anon.get(f"/comments/{site.article}")
    assert "第 1 / 2 页" in first.text and "下一页" in first.text and "登录</a>后发表跟贴" in first.text
    assert "第 0 条跟贴" in anon.get(f"/comments/{site.article}?page=2").text
    assert anon.get(f"/comments/{site.article}?page=0").status_code == 404
    assert anon.get(f"/comments/{site.article}?order=weird").status_code == 404
    assert anon.get("/comments/999999").status_code == 404
    care = anon.get(f"/care/comments/{site.article}")
    assert care.status_code == 200 and 'class="care"' in care.text
    site.comments.moderation.set_thread(site.article, closed=True)
    closed = anon.get(f"/comments/{site.article}").text
    assert "跟贴已关闭" in closed and "comment-post" not in closed
    pending, _, _ = site.reader("待审读者", verified=False)
    assert "等待身份验证" in pending.get(f"/comments/{site.other}").text


def test_reader_pages_sign_up_log_in_appeal_and_delete_without_js(site):
    c = site.client()
    page = c.get("/readers/signup")
    token = _csrf(page.text)
    form = {"csrf": token, "login": "form@example.cn", "nickname": "表单读者", "password": "海河晨报2026",
            "password2": "海河晨报2026"}
    r = c.post("/readers/signup", data={**form, "password2": "不一样的密码"})
    assert r.status_code == 400 and "不一致" in r.text
    r = c.post("/readers/signup", data={**form, "csrf": "bad"})
    assert r.status_code == 403
    r = c.post("/readers/signup", data=form, follow_redirects=False)
    assert r.status_code == 303
    login = c.get(r.headers["location"]).text
    assert "等待身份验证" in login
    r = c.post("/readers/login", data={"csrf": _csrf(login), "login": "form@example.cn", "password": "错"})
    assert r.status_code == 400 and "账号或密码错误" in r.text
    r = c.post("/readers/login", data={"csrf": _csrf(login), "login": "form@example.cn",
                                       "password": "海河晨报2026", "next": "//evil.example/"},
               follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/readers/account")
    account = c.get("/readers/account").text
    assert "表单读者" in account and "待验证" in account

    # an operator verifies; a comment is rejected; the reader appeals once from the account page
    site.comments.readers.approve("form@example.cn", "cli:test", utcnow())
    mod, mcsrf = site.moderator("modj")
    thread = c.get(f"/comments/{site.article}").text
    c.post(f"/comments/{site.article}/post", data={"csrf": _csrf(thread), "text": "会被拒绝的跟贴"})
    cid = site.comments.moderation.queue("pending")[0][0].comment.id
    mod_post(mod, mcsrf, f"/c/{cid}/reject", reason="off_topic")
    account = c.get("/readers/account").text
    assert "未通过审核" in account and "提交申诉" in account
    r = c.post(f"/readers/comments/{cid}/appeal",
               data={"csrf": _csrf(account), "text": "我的跟贴与文章有关。"}, follow_redirects=False)
    assert r.status_code == 303
    again = c.post(f"/readers/comments/{cid}/appeal", data={"csrf": _csrf(account), "text": "再来"})
    assert again.status_code == 409 and "只能申诉一次" in again.text
    r = c.post("/readers/account/delete", data={"csrf": _csrf(account), "password": "海河晨报2026"},
               follow_redirects=False)
    assert r.status_code == 303
    assert c.get("/readers/account", follow_redirects=False).status_code == 303


def test_the_cached_article_page_shows_the_new_count_at_once(site):
    """The page's own part is cached for a minute, and it carries the 跟贴 count: a comment shown or taken
    down purges that article's pages (both URL forms, both modes) and only those."""
    author, csrf, _ = site.reader()
    mod, mcsrf = site.moderator("modh")
    anon = site.client()
    slug = site.portal.store.get_article(site.article).slug
    paths = [f"/article/{site.article}", f"/a/{slug}.html", f"/care/article/{site.article}",
             f"/care/a/{slug}.html"]
    for path in paths:
        assert "查看全部跟贴（0 条）" in anon.get(path).text, path
    other = anon.get(f"/article/{site.other}").content
    pages = web_context(site.app).pages
    cached = len(pages)

    cid = post(author, csrf, site.article, "新线路开通，出行更方便。").json()["id"]
    assert len(pages) == cached  # held for review: no reader sees it, nothing is purged
    mod_post(mod, mcsrf, f"/c/{cid}/approve")
    assert len(pages) == cached - len(paths)  # the other article's page stays cached
    for path in paths:
        assert "查看全部跟贴（1 条）" in anon.get(path).text, path
    assert anon.get(f"/article/{site.other}").content == other

    mod_post(mod, mcsrf, f"/c/{cid}/reject", reason="ad")
    for path in paths:
        assert "查看全部跟贴（0 条）" in anon.get(path).text, path
