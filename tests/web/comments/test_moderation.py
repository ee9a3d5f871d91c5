"""The moderation pages: role check, CSRF, the queue's filters and pre-check reasons, decisions, reports,
bans with an end date, thread and channel modes, the banned-word list and reader verification."""

from __future__ import annotations

from newsportal.comments.credit import Grade, SkipPolicy
from newsportal.comments.service import CommentPolicy
from newsportal.newsroom.roles import Role
from tests.web.comments.conftest import mod_post, post


def test_only_staff_with_moderate_comments_get_in(site):
    assert site.client().get("/newsroom/moderation").status_code == 401
    reporter, _ = site.moderator("reporter1", Role.REPORTER)
    r = reporter.get("/newsroom/moderation")
    assert r.status_code == 403 and "无权" in r.text
    editor, csrf = site.moderator("editor1")
    for path in ("", "/reports", "/bans", "/settings", "/readers"):
        r = editor.get(f"/newsroom/moderation{path}")
        assert r.status_code == 200 and r.headers["cache-control"].startswith("private"), path
    stolen = site.client()
    stolen.cookies.set("np_newsroom", "not-a-session")
    assert stolen.get("/newsroom/moderation").status_code == 401


def test_decisions_need_the_session_csrf_token(site):
    author, csrf, _ = site.reader()
    cid = post(author, csrf, site.article, "等待审核").json()["id"]
    mod, _ = site.moderator("editor2")
    r = mod_post(mod, "0" * 64, f"/c/{cid}/approve")
    assert r.status_code == 403 and "页面已过期" in r.text
    assert site.comments.stores.comments.get(cid).state.value == "pending"


def test_queue_filters_flags_and_one_key_reasons(site):
    mod, mcsrf = site.moderator("editor3")
    assert mod_post(mod, mcsrf, "/settings/words", word="假药").status_code == 303
    a, acsrf, _ = site.reader("甲")
    b, bcsrf, _ = site.reader("乙")
    flagged = post(a, acsrf, site.article, "这里有便宜的假药，详见 http://spam.example").json()["id"]
    plain = post(b, bcsrf, site.other, "图书馆延长开放，周末也能去自习了。").json()["id"]

    queue = mod.get("/newsroom/moderation").text
    assert f"跟贴 #{flagged}" in queue and f"跟贴 #{plain}" in queue
    assert "假药" in queue and "mod-flags" in queue  # the named reasons of the pre-checks
    by_article = mod.get(f"/newsroom/moderation?article={site.other}").text
    assert f"跟贴 #{plain}" in by_article and f"跟贴 #{flagged}" not in by_article
    reader_id = site.comments.stores.comments.get(flagged).author_id
    by_reader = mod.get(f"/newsroom/moderation?reader={reader_id}").text
    assert f"跟贴 #{flagged}" in by_reader and f"跟贴 #{plain}" not in by_reader
    assert mod.get("/newsroom/moderation?status=nonsense").status_code == 400
    for value, label in (("ad", "广告"),):
        assert f'name="reason" value="{value}"' in queue and label in queue

    r = mod_post(mod, mcsrf, f"/c/{flagged}/reject", reason="ad")
    assert r.status_code == 303 and "notice=" in r.headers["location"]
    assert site.comments.stores.comments.get(flagged).removal.reason.value == "ad"
    r = mod_post(mod, mcsrf, f"/c/{plain}/reject", reason="other")
    assert r.status_code == 400 and "其他" in r.text  # 其他 needs a note
    assert mod_post(mod, mcsrf, f"/c/{plain}/approve").status_code == 303
    again = mod_post(mod, mcsrf, f"/c/{plain}/approve")
    assert again.status_code == 409
    assert mod_post(mod, mcsrf, "/settings/words/remove", word="假药").status_code == 303
    assert "假药" not in mod.get("/newsroom/moderation/settings").text


def test_reports_bans_modes_and_verification(site):
    mod, mcsrf = site.moderator("editor4")
    author, acsrf, login = site.reader("被禁")
    reporter, rcsrf, _ = site.reader("举报者")
    cid = post(author, acsrf, site.article, "一条会被举报的跟贴").json()["id"]
    mod_post(mod, mcsrf, f"/c/{cid}/approve")
    rep = reporter.post(f"/api/v1/articles/{site.article}/report",
                        json={"reason": "rumour", "note": "标题不实"}, headers={"x-csrf-token": rcsrf})
    assert rep.status_code == 201
    page = mod.get("/newsroom/moderation/reports?kind=article").text
    assert "标题不实" in page and f"文章 #{site.article}" in page
    r = mod_post(mod, mcsrf, f"/reports/{rep.json()['id']}", upheld="0", note="经核实内容属实")
    assert r.status_code == 303
    outcome = reporter.get("/api/v1/me/reports").json()["items"][0]
    assert outcome["state"] == "dismissed" and "暂未发现违规" in outcome["outcome"]

    # a ban with an end date stops posting with a Chinese message; lifting it lets the reader post again
    reader_id = site.comments.stores.comments.get(cid).author_id
    bad = mod_post(mod, mcsrf, "/bans", reader_id=str(reader_id), ends="明天", reason="abuse")
    assert bad.status_code == 400 and "年-月-日" in bad.text
    assert mod_post(mod, mcsrf, "/bans", reader_id=str(reader_id), ends="2099-12-31", reason="abuse"
                    ).status_code == 303
    r = post(author, acsrf, site.article, "禁言期间")
    assert r.status_code == 403 and "禁言" in r.json()["error"]["message"]
    bans = mod.get(f"/newsroom/moderation/bans?reader={reader_id}").text
    assert "2099-12-31" in bans and "解除禁言" in bans
    ban_id = site.comments.moderation.bans_of(reader_id)[0].id
    assert mod_post(mod, mcsrf, f"/bans/{ban_id}/lift").status_code == 303
    assert post(author, acsrf, site.article, "解禁后").status_code == 201

    # per-article close and 发后审, per-channel mode
    assert mod_post(mod, mcsrf, "/settings/thread", article_id=str(site.other), closed="0",
                    mode="post_review").status_code == 303
    # new readers wait for review even under 发后审 by default; this site trusts them (a configurable policy)
    trusting = SkipPolicy(post_review=set(Grade) - {Grade.RESTRICTED})
    site.comments.service.policy = CommentPolicy(skip_policy=trusting)
    fresh, fcsrf, _ = site.reader("新手")
    shown = post(fresh, fcsrf, site.other, "发后审立即显示")
    assert shown.status_code == 201 and shown.json()["shown"] is True
    assert "发后审立即显示" in site.client().get(f"/comments/{site.other}/section").text
    assert mod_post(mod, mcsrf, "/settings/thread", article_id=str(site.other), closed="1").status_code == 303
    assert "跟贴已关闭" in site.client().get(f"/comments/{site.other}/section").text
    assert mod_post(mod, mcsrf, "/settings/thread", article_id="999999", closed="1").status_code == 400
    channel = site.portal.channel_of(site.article)
    assert mod_post(mod, mcsrf, "/settings/channel", channel_id=str(channel), mode="post_review"
                    ).status_code == 303
    assert "发后审" in mod.get("/newsroom/moderation/settings").text

    # reader verification: the embedded verifier is this approval
    pending, pcsrf, plogin = site.reader("新读者", verified=False)
    page = mod.get("/newsroom/moderation/readers").text
    assert plogin in page and "新读者" in page
    pid = site.comments.readers.accounts.by_login(plogin).id
    assert mod_post(mod, mcsrf, f"/readers/{pid}", verify="1").status_code == 303
    assert post(pending, pcsrf, site.article, "验证后发帖").status_code == 201
