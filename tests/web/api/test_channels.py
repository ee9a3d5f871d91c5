"""The channel tree, the sources and a channel's pins, as the API lists them."""

from tests.web.api.helpers import assert_error, auth, ext


def test_channels_and_sources(demo_client, demo_portal):
    chans = demo_client.get("/api/v1/channels").json()
    assert len(chans) == len(demo_portal.channels)
    by_slug = {c["slug"]: c for c in chans}
    assert by_slug["domestic"]["parent"] == "news" and by_slug["news"]["kind"]
    sources = demo_client.get("/api/v1/sources").json()
    assert {s["key"] for s in sources} == set(demo_portal.sources_by_key)


def test_pins_list_in_pin_order_live_only(demo_client, demo_portal, demo_token):
    first, second = ext(demo_portal, "demo-sports-010"), ext(demo_portal, "demo-sports-003")
    for article_id, position in ((first, 0), (second, 1)):
        r = demo_client.post(
            "/api/v1/channels/sports/pins",
            json={"article_id": article_id, "position": position},
            headers=auth(demo_token),
        )
        assert r.status_code == 200
    assert [x["id"] for x in demo_client.get("/api/v1/channels/sports/pins").json()] == [first, second]
    for article_id in (first, second):
        demo_client.delete(f"/api/v1/channels/sports/pins/{article_id}", headers=auth(demo_token))
    assert demo_client.get("/api/v1/channels/sports/pins").json() == []
    assert_error(demo_client.get("/api/v1/channels/nope/pins"), 404)
    assert_error(demo_client.get("/api/v1/channels/" + "x" * 41 + "/pins"), 422)
