"""The 跟贴 API through a comment's whole life, and every refusal as a 4xx with a Chinese message."""

from __future__ import annotations

import pytest

from newsportal.store.reader_accounts import DELETED_NICKNAME
from tests.web.comments.conftest import mod_post, post


def _visible_ids(client, article):
    body = client.get(f"/api/v1/articles/{article}/comments").json()
    return [c["id"] for c in body["latest"]], body


def _count(site) -> int:
    with site.portal.store.engine.connect() as conn:
        from sqlalchemy import text

        return conn.execute(text("select count(*) from comments")).scalar_one()


def test_life_of_a_comment_through_every_state(site):
    author, csrf, _ = site.reader("作者")
    reporter, rcsrf, _ = site.reader("举报人")
    mod_a, mcsrf_a = site.moderator("moda")
    mod_b, mcsrf_b = site.moderator("modb")
    anon = site.client()

    # posted under 先审后发: stored pending, not shown, the author sees 审核中
    r = post(author, csrf, site.article, "公交线路开通后，早高峰通勤方便多了。")
    assert r.status_code == 201 and r.json()["shown"] is False
    cid = r.json()["id"]
    assert "审核" in r.json()["message"]
    assert _visible_ids(anon, site.article)[0] == []
    mine = author.get("/api/v1/me/comments").json()["items"]
    assert [(m["id"], m["state"]) for m in mine] == [(cid, "pending")] and "审核中" in mine[0]["status"]

    # approved in the moderation queue: shown with nickname, time and IP属地
    assert mod_post(mod_a, mcsrf_a, f"/c/{cid}/approve").status_code == 303
    ids, body = _visible_ids(anon, site.article)
    assert ids == [cid] and body["count"] == 1
    shown = body["latest"][0]
    assert shown["nickname"].startswith("作者") and shown["ip_label"] == "广东" and shown["posted_at"]

    # a reply quotes one level; a like counts once
    r = post(reporter, rcsrf, site.article, "同感，车次也比以前多。", reply_to=cid)
    assert r.status_code == 201 and r.json()["root_id"] == cid
    r = reporter.post(f"/api/v1/comments/{cid}/like", headers={"x-csrf-token": rcsrf})
    assert r.status_code == 200 and r.json()["likes"] == 1
    r = reporter.post(f"/api/v1/comments/{cid}/like", headers={"x-csrf-token": rcsrf})
    assert r.status_code == 409 and "赞过" in r.json()["error"]["message"]

    # reported, then taken down with a reason; the reporter sees the outcome
    r = reporter.post(f"/api/v1/comments/{cid}/report", json={"reason": "abuse", "note": "人身攻击"},
                      headers={"x-csrf-token": rcsrf})
    assert r.status_code == 201
    rid = r.json()["id"]
    assert mod_post(mod_a, mcsrf_a, f"/c/{cid}/reject", reason="abuse").status_code == 303
    assert mod_post(mod_a, mcsrf_a, f"/reports/{rid}", upheld="1", note="已删除").status_code == 303
    outcome = reporter.get("/api/v1/me/reports").json()["items"][0]
    assert outcome["state"] == "upheld" and "属实" in outcome["outcome"]
    assert cid not in _visible_ids(anon, site.article)[0]
    status = author.get("/api/v1/me/comments").json()["items"][0]["status"]
    assert "申诉" in status

    # appeal once; the remover cannot decide it, another moderator can
    r = author.post(f"/api/v1/comments/{cid}/appeal", json={"text": "我只是说通勤方便，没有攻击任何人。"},
                    headers={"x-csrf-token": csrf})
    assert r.status_code == 200
    r = author.post(f"/api/v1/comments/{cid}/appeal", json={"text": "再申诉一次"},
                    headers={"x-csrf-token": csrf})
    assert r.status_code == 409 and "只能申诉一次" in r.json()["error"]["message"]
    same = mod_post(mod_a, mcsrf_a, f"/c/{cid}/appeal", overturn="1")
    assert same.status_code == 403 and "审核员" in same.text
    assert mod_post(mod_b, mcsrf_b, f"/c/{cid}/appeal", overturn="1").status_code == 303
    assert cid in _visible_ids(anon, site.article)[0]

    # the author deletes it; then deletes the account and the reply's author still shows
    r = author.request("DELETE", f"/api/v1/comments/{cid}", headers={"x-csrf-token": csrf})
    assert r.status_code == 200 and r.json()["state"] == "deleted"
    assert cid not in _visible_ids(anon, site.article)[0]


def test_deleting_the_account_shows_comments_as_from_a_deleted_account(site):
    author, csrf, _ = site.reader("将注销")
    mod, mcsrf = site.moderator("modc")
    cid = post(author, csrf, site.article, "这条跟贴的作者随后会注销账号。").json()["id"]
    mod_post(mod, mcsrf, f"/c/{cid}/approve")
    r = author.request("DELETE", "/api/v1/readers/me", json={"password": "错误的密码"},
                       headers={"x-csrf-token": csrf})
    assert r.status_code == 400 and "密码错误" in r.json()["error"]["message"]
    r = author.request("DELETE", "/api/v1/readers/me", json={"password": "海河晨报2026"},
                       headers={"x-csrf-token": csrf})
    assert r.status_code == 200
    latest = site.client().get(f"/api/v1/articles/{site.article}/comments").json()["latest"]
    assert latest[0]["nickname"] == DELETED_NICKNAME


def test_posting_needs_a_verified_reader_session_and_a_csrf_token(site):
    anon = site.client()
    r = anon.post(f"/api/v1/articles/{site.article}/comments", json={"text": "匿名发帖"})
    assert r.status_code == 401 and r.json()["error"]["message"] == "请先登录后再操作。"
    pending, pcsrf, _ = site.reader("待验证", verified=False)
    r = post(pending, pcsrf, site.article, "还没验证")
    assert r.status_code == 403 and "等待身份验证" in r.json()["error"]["message"]
    ok, csrf, _ = site.reader()
    r = ok.post(f"/api/v1/articles/{site.article}/comments", json={"text": "没有令牌"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf"
    r = post(ok, "0" * 64, site.article, "错误令牌")
    assert r.status_code == 403
    assert _count(site) == 0
    me = ok.get("/api/v1/readers/me").json()
    assert me["signed_in"] and me["account"]["verification"] == "verified"


def test_a_session_token_header_needs_no_csrf(site):
    _, _, login = site.reader("令牌")
    token = site.client().post("/api/v1/readers/login", json={"login": login, "password": "海河晨报2026"}
                               ).json()["token"]
    r = site.client().post(f"/api/v1/articles/{site.article}/comments", json={"text": "用令牌发帖"},
                           headers={"x-reader-token": token})
    assert r.status_code == 201


BAD_TEXT = [
    ("", 400, "不能为空"),
    (" \n\t\u3000 ", 400, "空格"),
    ("字" * 501, 400, "最多 500 字"),
    ("\x00\x07\x1b\x7f", 400, "控制字符"),
    (12345, 400, "文字"),
]


@pytest.mark.parametrize(("text", "status", "words"), BAD_TEXT)
def test_bad_comment_text_is_refused_in_chinese_and_nothing_is_stored(site, text, status, words):
    client, csrf, _ = site.reader()
    r = post(client, csrf, site.article, text)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert words in error["message"] and error["code"]
    assert _count(site) == 0


def test_bad_replies_likes_reports_and_closed_threads(site):
    client, csrf, _ = site.reader()
    mod, mcsrf = site.moderator("modd")
    cid = post(client, csrf, site.article, "第一条跟贴").json()["id"]
    mod_post(mod, mcsrf, f"/c/{cid}/approve")
    stored = _count(site)

    # a reply to another article's comment, to a deleted comment, to a missing one
    r = post(client, csrf, site.other, "跨文章回复", reply_to=cid)
    assert r.status_code == 400 and "其他文章" in r.json()["error"]["message"]
    r = post(client, csrf, site.article, "回复不存在的", reply_to=999999)
    assert r.status_code == 404 and "不存在" in r.json()["error"]["message"]
    gone = post(client, csrf, site.article, "将被删除").json()["id"]
    client.request("DELETE", f"/api/v1/comments/{gone}", headers={"x-csrf-token": csrf})
    stored = _count(site)
    r = post(client, csrf, site.article, "回复已删除的", reply_to=gone)
    assert r.status_code == 400 and "删除" in r.json()["error"]["message"]
    r = post(client, csrf, site.article, "坏的回复对象", reply_to="abc")
    assert r.status_code == 400 and "跟贴编号" in r.json()["error"]["message"]

    # reports of a missing comment, or with an unknown reason
    r = client.post("/api/v1/comments/999999/report", json={"reason": "ad"}, headers={"x-csrf-token": csrf})
    assert r.status_code == 404 and "不存在" in r.json()["error"]["message"]
    r = client.post(f"/api/v1/comments/{cid}/report", json={"reason": "no-such"},
                    headers={"x-csrf-token": csrf})
    assert r.status_code == 400 and r.json()["error"]["message"]
    r = client.post("/api/v1/articles/999999/report", json={"reason": "ad"}, headers={"x-csrf-token": csrf})
    assert r.status_code == 404

    # a closed thread refuses posts with 跟贴已关闭-style wording
    site.comments.moderation.set_thread(site.article, closed=True)
    r = post(client, csrf, site.article, "关闭后发帖")
    assert r.status_code == 403 and "关闭" in r.json()["error"]["message"]
    # an unpublished or unknown article
    r = post(client, csrf, 999999, "不存在的文章")
    assert r.status_code == 404 and "文章" in r.json()["error"]["message"]
    assert _count(site) == stored


def test_reader_sign_up_and_login_refusals(site):
    c = site.client()
    for body, words in [
        ({"login": "not-an-email", "nickname": "读者", "password": "海河晨报2026"}, "手机号"),
        ({"login": "a@example.cn", "nickname": "<b>", "password": "海河晨报2026"}, "昵称"),
        ({"login": "a@example.cn", "nickname": "正常昵称", "password": "short"}, "密码"),
        ({"login": "a@example.cn"}, "必填"),
        ([1, 2], "JSON 对象"),
    ]:
        r = c.post("/api/v1/readers/signup", json=body)
        assert 400 <= r.status_code < 500 and words in r.json()["error"]["message"], (body, r.text)
    assert c.post("/api/v1/readers/signup", json={"login": "b@example.cn", "nickname": "读者乙",
                                                  "password": "海河晨报2026"}).status_code == 201
    r = c.post("/api/v1/readers/signup", json={"login": "b@example.cn", "nickname": "读者丙",
                                               "password": "海河晨报2026"})
    assert r.status_code == 409
    r = c.post("/api/v1/readers/login", json={"login": "b@example.cn", "password": "wrong-password"})
    assert r.status_code == 400 and r.json()["error"]["message"] == "账号或密码错误。"


def test_control_characters_inside_text_are_dropped_not_stored(site):
    client, csrf, _ = site.reader()
    r = post(client, csrf, site.article, "控制\x00字符\x07")
    assert r.status_code == 201 and r.json()["text"] == "控制字符"
