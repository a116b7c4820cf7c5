"""Rate limits: receipt codes cannot be enumerated, and a whole class can still take part."""

from __future__ import annotations

import uuid

import pytest

from surveys.api import ReceiptLookupThrottle, SubmissionInviteThrottle
from surveys.models import Response
from tests.surveys.conftest import body, submit_url

pytestmark = pytest.mark.django_db

SCHOOL = "203.0.113.7"
HOME = "198.51.100.20"


def lookup(client, code: str = "ZZZZ-ZZZZ", address: str = SCHOOL, **headers):
    return client.get(f"/api/v1/receipts/{code}/", REMOTE_ADDR=address, headers=headers)


def test_receipt_lookups_are_limited_per_address_with_retry_after(client, db):
    answers = [lookup(client).status_code for _ in range(30)]

    refused = lookup(client)

    assert answers == [404] * 30
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "detail" in refused.json()
    assert lookup(client, address=HOME).status_code == 404


def test_withdrawals_count_as_lookups(client, db):
    for _ in range(30):
        client.delete("/api/v1/receipts/ZZZZ-ZZZZ/", REMOTE_ADDR=SCHOOL)

    assert lookup(client).status_code == 429


def test_a_made_up_forwarded_for_header_does_not_escape_the_limit(client, db):
    for number in range(30):
        lookup(client, **{"X-Forwarded-For": f"10.0.0.{number}"})

    assert lookup(client, **{"X-Forwarded-For": "10.0.1.1"}).status_code == 429


def test_a_class_of_30_behind_one_school_address_all_get_through(post_json, survey, invite):
    statuses = [
        post_json(submit_url(survey.slug), body(invite=invite.code), REMOTE_ADDR=SCHOOL).status_code
        for _ in range(30)
    ]

    assert statuses == [201] * 30
    assert Response.objects.count() == 30


def test_a_class_of_30_without_an_invite_all_gets_through(post_json, survey):
    statuses = [
        post_json(submit_url(survey.slug), body(), REMOTE_ADDR=SCHOOL).status_code
        for _ in range(30)
    ]

    assert statuses == [201] * 30


def test_submissions_are_limited_per_invite_link(post_json, survey, invite, monkeypatch):
    monkeypatch.setitem(SubmissionInviteThrottle.THROTTLE_RATES, "submission_invite", "3/min")
    for _ in range(3):
        post_json(submit_url(survey.slug), body(invite=invite.code), REMOTE_ADDR=SCHOOL)

    refused = post_json(submit_url(survey.slug), body(invite=invite.code), REMOTE_ADDR=HOME)

    assert refused.status_code == 429
    assert refused.has_header("Retry-After")
    assert post_json(submit_url(survey.slug), body(), REMOTE_ADDR=SCHOOL).status_code == 201
    assert Response.objects.count() == 4


def test_a_client_token_sent_over_and_over_is_limited(post_json, survey):
    data = body(client_token=str(uuid.uuid4()))
    statuses = [post_json(submit_url(survey.slug), data).status_code for _ in range(20)]

    refused = post_json(submit_url(survey.slug), data)

    assert statuses == [201] + [200] * 19
    assert refused.status_code == 429
    assert post_json(submit_url(survey.slug), body()).status_code == 201


def test_a_rate_limit_cache_that_is_down_lets_requests_through(client, db, monkeypatch):
    class DownCache:
        def get(self, *args, **kwargs):
            raise ConnectionError("redis is restarting")

        set = get

    monkeypatch.setattr(ReceiptLookupThrottle, "cache", DownCache())

    assert [lookup(client).status_code for _ in range(40)] == [404] * 40
