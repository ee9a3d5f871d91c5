"""published_at bounds: no future dates outside the scheduler, nothing before 1990."""

from datetime import datetime, timedelta

import pytest

from newsportal.domain.limits import EARLIEST_PUBLISHED, published_at_problem
from newsportal.newsroom import ValidationError, save_article
from tests.conftest import sample_draft

NOW = datetime(2026, 11, 25, 12, 0)


@pytest.mark.parametrize(
    "value, scheduled, ok",
    [
        (NOW, False, True),
        (NOW - timedelta(days=3650), False, True),
        (NOW + timedelta(minutes=4), False, True),  # clock skew between partner and server
        (NOW + timedelta(minutes=6), False, False),
        (datetime(2099, 1, 1), False, False),
        (datetime(2099, 1, 1), True, True),  # the scheduler's path
        (EARLIEST_PUBLISHED, False, True),
        (datetime(1989, 12, 31, 23, 59), False, False),
        (datetime(1970, 1, 1), True, False),  # far past is refused even on the scheduler's path
    ],
)
def test_bounds(value, scheduled, ok):
    assert (published_at_problem(value, NOW, scheduled=scheduled) is None) is ok


def test_the_publish_flow_refuses_bad_dates(portal):
    for bad in (NOW + timedelta(days=1), datetime(1900, 1, 1)):
        with pytest.raises(ValidationError) as err:
            save_article(portal, sample_draft(published_at=bad), actor="t", publish_now=True, now=NOW)
        assert err.value.field == "published_at"
    assert portal.store.count_articles() == 0
    future = NOW + timedelta(days=1)
    a, _ = save_article(portal, sample_draft(published_at=future), actor="scheduler", publish_now=True,
                        scheduled=True, now=NOW)
    assert a.published_at == future


def test_the_api_answers_422_for_a_date_far_ahead(portal, client):
    from tests.web.api.helpers import GOOD, assert_error, auth

    _, secret = portal.store.create_token("desk")
    r = client.post("/api/v1/articles", json={**GOOD, "published_at": "2099-01-01T08:00:00+08:00"},
                    headers=auth(secret))
    body = assert_error(r, 422)
    assert body["problems"][0]["field"] == "published_at"
    old = client.post("/api/v1/articles", json={**GOOD, "published_at": "1989-06-01T00:00:00Z"},
                      headers=auth(secret))
    assert_error(old, 422)
    ok = client.post("/api/v1/articles", json={**GOOD, "published_at": "2026-01-05T08:00:00+08:00"},
                     headers=auth(secret))
    assert ok.status_code in (200, 201), ok.text
