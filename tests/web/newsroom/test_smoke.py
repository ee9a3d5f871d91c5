def test_smoke(nr):
    c = nr.clients["reporter"]
    r = c.get("/newsroom")
    assert r.status_code == 200, r.text
    r = c.get("/newsroom/articles/new")
    assert r.status_code == 200, r.text
    r = nr.post("reporter", "/newsroom/articles/new", {"title": "测试", "body_html": "<p>正文内容</p>", "channel": "domestic", "source": "shanhai-original"})
    assert r.status_code == 303, r.text
    loc = r.headers["location"]
    for u in (loc, loc.replace("/edit?saved=1", ""), loc.replace("/edit?saved=1", "/history")):
        r = c.get(u)
        assert r.status_code == 200, r.text
