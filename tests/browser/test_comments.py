"""跟贴 in a real browser: post, reply, like and report by keyboard alone (with and without JavaScript),
axe-core on the comment section, the thread page, the reader pages and the moderation pages in both modes,
and care-mode comments at care sizes with targets of at least 60 × 60 px."""

from __future__ import annotations

import itertools

import pytest

from newsportal.timeutil import utcnow
from newsportal.web.readers.section import invalidate
from newsportal.web.security import SESSION_COOKIE
from tests.browser.conftest import new_context
from tests.browser.helpers import describe, run_axe, shoot

PASSWORD = "海河晨报2026"


@pytest.fixture(scope="module")
def seeded(live_server):
    """A verified reader to type as, two shown comments (one with a reply) and a moderator session."""

    portal = live_server.portal
    comments = portal.comments
    article = portal.store.get_article_by_external_id("demo-news-001")
    now = utcnow()
    for login, nick in (("kbd@example.cn", "键盘读者"), ("seed@example.cn", "先来的读者")):
        comments.readers.sign_up(login, nick, PASSWORD, now)
        comments.readers.approve(login, "cli:browser-test", now)
    seed = comments.readers.accounts.by_login("seed@example.cn")
    first = comments.service.post(seed, article.id, "公交开通后通勤方便了许多。", "127.0.0.1", now)
    comments.moderation.approve(first.id, 1, now)
    reply = comments.service.post(seed, article.id, "补充一句：末班车也延后了。", "127.0.0.1", now,
                                  reply_to=first.id)
    comments.moderation.approve(reply.id, 1, now)
    pending = comments.service.post(seed, article.id, "等待审核的一条跟贴。", "127.0.0.1", now)
    # The comments were approved behind the web layer's back; an earlier test module may have fetched this
    # article's section within the fragment's TTL, so drop it as the web's own approve does.
    invalidate(comments, article.id)
    accounts = portal.newsroom.accounts
    user = accounts.create_user(None, "browsermod", "editor", display_name="审核员甲",
                                password="Moderation-Pass-2026!").user
    session = portal.newsroom.sessions.start(user.id)
    return {"article": article, "first": first.id, "pending": pending.id, "staff": session.session_id}


_rounds = itertools.count(1)


@pytest.fixture
def keyboard_case(live_server, seeded):
    """Fresh people and a fresh shown comment for one run of the keyboard test.

    A like is once per reader and a report once per target, and the per-reader rate limit counts every
    post, so each run gets its own typist, its own commenter and its own comment (with a reply) to like,
    answer and report: the test can run any number of times in one session and in any order.
    """
    n = next(_rounds)
    comments = live_server.portal.comments
    article = seeded["article"]
    now = utcnow()
    typist, author = f"kbd-run{n}@example.cn", f"seed-run{n}@example.cn"
    for login, nick in ((typist, f"键盘读者{n}"), (author, f"先来的读者{n}")):
        comments.readers.sign_up(login, nick, PASSWORD, now)
        comments.readers.approve(login, "cli:browser-test", now)
    seed = comments.readers.accounts.by_login(author)
    ip = "192.0.2.7"  # not the browser's 127.0.0.1, so the seeds never count against its per-IP limit
    first = comments.service.post(seed, article.id, f"第 {n} 轮：地铁新线开通，换乘方便了。", ip, now)
    comments.moderation.approve(first.id, 1, now)
    reply = comments.service.post(seed, article.id, f"第 {n} 轮补充：首班车也提前了。", ip, now,
                                  reply_to=first.id)
    comments.moderation.approve(reply.id, 1, now)
    invalidate(comments, article.id)
    return {"login": typist, "nickname": f"键盘读者{n}", "first": first.id, "round": n, "slug": article.slug}


#: How many Tab presses a walk may take: the article page has about a hundred stops, and a walk may wrap.
TAB_LIMIT = 400
#: The ceiling for an explicit condition to come true (a loaded CI machine answers slowly, never wrongly).
WAIT_MS = 30_000

_FOCUSED = "s => !!document.activeElement && document.activeElement.matches(s)"
_WHERE = ("() => { const a = document.activeElement;"
          " return a ? a.outerHTML.slice(0, 120) : 'nothing'; }")


def tab_to(page, selector: str, limit: int = TAB_LIMIT) -> None:
    """Press Tab until the focused element matches ``selector`` (the keyboard is the only input).

    Each press is followed by a look at ``document.activeElement``, so the walk stops exactly on its
    target however many stops the page has; a target that never comes is reported with where focus was.
    """
    for _ in range(limit):
        if page.evaluate(_FOCUSED, selector):
            return
        page.keyboard.press("Tab")
    if page.evaluate(_FOCUSED, selector):
        return
    raise AssertionError(f"Tab never reached {selector} in {limit} presses; focus on {page.evaluate(_WHERE)}")


def log_in_by_keyboard(page, base: str = "", login: str = "kbd@example.cn") -> None:
    page.goto(f"{base}/readers/login")
    tab_to(page, "#li-login")
    page.keyboard.type(login)
    tab_to(page, "#li-pw")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/readers/account**", timeout=WAIT_MS)


def _status(page, text: str) -> None:
    """Wait for the section's status line to say ``text``; on failure say what it said instead."""
    script = "t => (document.querySelector('[data-comments-status]') || {}).textContent?.includes(t)"
    try:
        page.wait_for_function(script, arg=text, timeout=WAIT_MS)
    except Exception:
        said = page.text_content("[data-comments-status]")
        where = page.evaluate(_WHERE)
        raise AssertionError(f"status is {said!r}, focus on {where}, url {page.url}") from None


_SECTION_READY = """([first, nick]) => {
  const box = document.querySelector('[data-comments-section]');
  if (!box || !box.querySelector('#l' + first)) return false;  // the fetched section is in place
  const who = box.querySelector('[data-comments-who]');
  if (!who || !who.textContent.includes(nick)) return false;  // the reader line is filled
  const tokens = box.querySelectorAll('input[name=csrf]');
  return tokens.length > 0 && Array.from(tokens).every(i => i.value.length > 0);  // and every CSRF token
}"""


def test_post_reply_like_and_report_by_keyboard_with_js(browser, live_server, keyboard_case):
    case = keyboard_case
    ctx = new_context(browser, base_url=live_server.base_url)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    first = f"#l{case['first']}"
    try:
        log_in_by_keyboard(page, login=case["login"])
        page.goto(f"/a/{case['slug']}.html")
        # The walk starts only when the page script is done: section fetched, reader line and tokens in.
        page.wait_for_function(_SECTION_READY, arg=[case["first"], case["nickname"]], timeout=WAIT_MS)

        tab_to(page, ".comment-post textarea")
        page.keyboard.type(f"用键盘发表的跟贴（第 {case['round']} 轮）。")
        tab_to(page, ".comment-post button[type=submit]")
        page.keyboard.press("Enter")
        _status(page, "审核通过后显示")

        tab_to(page, f"{first} .comment-like button")
        page.keyboard.press("Enter")
        _status(page, "已点赞")
        assert page.text_content(f"{first} .comment-likes") == "1"

        reply_summary = f"{first} details:first-of-type summary"
        tab_to(page, reply_summary)
        page.keyboard.press("Enter")
        tab_to(page, f"{first}-reply")
        page.keyboard.type("用键盘回复。")
        tab_to(page, f"{first} details:first-of-type button[type=submit]")
        page.keyboard.press("Enter")
        _status(page, "审核通过后显示")
        # the script closes the reply form and gives focus back to its summary, not to the page top
        assert page.evaluate(_FOCUSED, reply_summary), page.evaluate(_WHERE)

        tab_to(page, f"{first} details:last-of-type summary")
        page.keyboard.press("Enter")
        tab_to(page, f"{first}-reason")
        before = page.input_value(f"{first}-reason")
        page.keyboard.press("ArrowDown")  # the second reason in the list
        assert page.input_value(f"{first}-reason") != before
        tab_to(page, f"{first}-note")
        page.keyboard.type("键盘举报说明")
        tab_to(page, f"{first} details:last-of-type button[type=submit]")
        page.keyboard.press("Enter")
        _status(page, "正在处理")
        shoot(page, "comments-keyboard-js", full_page=False)
    finally:
        ctx.close()
    assert errors == []
    mine = live_server.portal.comments.readers.accounts.by_login(case["login"])
    rows, _ = live_server.portal.comments.service.my_comments(mine)
    assert {(m.comment.text, m.comment.root_id) for m in rows} == {
        (f"用键盘发表的跟贴（第 {case['round']} 轮）。", None),
        ("用键盘回复。", case["first"]),
    }
    reports, _ = live_server.portal.comments.service.my_reports(mine)
    assert [(r.report.target_id, r.report.note) for r in reports] == [(case["first"], "键盘举报说明")]


def test_focus_on_the_fallback_link_survives_the_section_arriving(browser, live_server, seeded):
    """A keyboard user on the placeholder's link keeps focus when the fetched section replaces it."""
    ctx = new_context(browser, base_url=live_server.base_url)
    page = ctx.new_page()
    held: list = []
    # hold the fragment until focus is on the link
    page.route("**/comments/*/section", lambda route: held.append(route))
    try:
        page.goto(f"/a/{seeded['article'].slug}.html")
        for _ in range(WAIT_MS // 50):
            if held:
                break
            page.wait_for_timeout(50)  # lets Playwright deliver the held request; the loop waits for it
        assert held, "the page never asked for its 跟贴 section"
        tab_to(page, "#comments .comments-fallback a")
        held[0].continue_()
        page.wait_for_selector("#comments .comments-more-link a", timeout=WAIT_MS)
        assert page.evaluate(_FOCUSED, "#comments .comments-more-link a"), page.evaluate(_WHERE)
    finally:
        ctx.close()


def test_thread_page_by_keyboard_without_js(browser, live_server, seeded):
    ctx = new_context(browser, base_url=live_server.base_url, javascript=False)
    page = ctx.new_page()
    try:
        log_in_by_keyboard(page)
        article = seeded["article"]
        page.goto(f"/a/{article.slug}.html")
        link = page.locator(f"#comments a[href='/comments/{article.id}']")
        assert "条" in link.text_content()
        tab_to(page, f"#comments a[href='/comments/{article.id}']")
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/comments/{article.id}")
        tab_to(page, "#t-text")
        page.keyboard.type("不用脚本也能发表。")
        page.keyboard.press("Tab")  # to 发表
        page.keyboard.press("Enter")
        page.wait_for_url("**notice=pending**")
        assert "审核通过后显示" in page.text_content("main")
    finally:
        ctx.close()


def _check(page, name: str, found: dict) -> None:
    results = run_axe(page)
    if results["violations"]:
        found[name] = describe(results["violations"])
    shoot(page, f"comments-{name}")


@pytest.mark.parametrize("care", [False, True], ids=["std", "care"])
def test_no_axe_violations_on_comment_pages(browser, live_server, seeded, care):
    ctx = new_context(browser, base_url=live_server.base_url)
    page = ctx.new_page()
    found: dict[str, str] = {}
    pre = "/care" if care else ""
    mode = "care" if care else "std"
    article = seeded["article"]
    try:
        page.goto(f"{pre}/a/{article.slug}.html")
        page.wait_for_selector(".comments-body .comment")
        # a reply form open too (关怀版 shows a few comments in one list, the hot ones first, so the first
        # comment there need not carry the 最新跟贴 id)
        first = ".comments-body .comment" if care else f"#l{seeded['first']}"
        page.click(f"{first} details summary >> nth=0")
        _check(page, f"section-{mode}", found)
        page.goto(f"{pre}/comments/{article.id}")
        _check(page, f"thread-{mode}", found)
        for path in ("/readers/signup", "/readers/login"):
            page.goto(pre + path)
            _check(page, f"{path.rsplit('/', 1)[1]}-{mode}", found)
        log_in_by_keyboard(page, pre)
        _check(page, f"account-{mode}", found)
        page.goto(f"{pre}/comments/{article.id}")
        _check(page, f"thread-signed-in-{mode}", found)
        if not care:
            ctx.add_cookies([{"name": SESSION_COOKIE, "value": seeded["staff"], "url": live_server.base_url}])
            for path in ("", "?status=all", "/reports", "/bans?reader=1", "/settings?article=1", "/readers"):
                page.goto(f"/newsroom/moderation{path}")
                assert page.locator("h1").count() == 1
                _check(page, "moderation" + path.replace("/", "-").replace("?", "-"), found)
    finally:
        ctx.close()
    assert not found, "\n".join(f"{k}:\n{v}" for k, v in found.items())


def test_care_mode_comments_use_care_sizes_and_big_targets(browser, live_server, seeded):
    ctx = new_context(browser, base_url=live_server.base_url)
    page = ctx.new_page()
    try:
        for path in (f"/care/a/{seeded['article'].slug}.html", f"/care/comments/{seeded['article'].id}"):
            page.goto(path)
            page.wait_for_selector("#comments .comment")
            sizes = page.evaluate("""() => {
                const out = [];
                for (const el of document.querySelectorAll('#comments a, #comments button, #comments summary,'
                        + ' #comments textarea, #comments select, #comments input:not([type=hidden])')) {
                    const r = el.getBoundingClientRect();
                    if (r.width === 0 && r.height === 0) continue;  // inside a closed <details>
                    out.push([el.outerHTML.slice(0, 80), r.width, r.height]);
                }
                return out;
            }""")
            assert sizes, path
            small = [s for s in sizes if s[1] < 60 or s[2] < 60]
            assert not small, small
            text_px = page.evaluate("() => parseFloat(getComputedStyle("
                                    "document.querySelector('#comments .comment-text')).fontSize)")
            assert text_px >= 20, text_px
    finally:
        ctx.close()
