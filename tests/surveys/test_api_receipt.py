"""GET and DELETE /api/v1/receipts/{code}/: the holder of a receipt code sees or withdraws."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone

from surveys.models import Response
from surveys.services import response_submit
from surveys.signals import response_changed
from tests.surveys.conftest import FULL_ANSWERS

pytestmark = pytest.mark.django_db


def url(code: str) -> str:
    return f"/api/v1/receipts/{code}/"


@pytest.fixture
def receipt(survey, campaign) -> str:
    campaign.results_expected_on = datetime.date(2027, 3, 1)
    campaign.save()
    return response_submit(
        survey=survey,
        client_token=uuid.uuid4(),
        language="fr",
        age=10,
        invite_code=None,
        assent=True,
        answers=dict(FULL_ANSWERS),
    ).receipt


def test_the_holder_sees_that_the_answers_were_received(client, receipt):
    response = client.get(url(receipt))

    assert response.status_code == 200
    assert response.json() == {
        "receipt": receipt,
        "status": "received",
        "language": "fr",
        "submitted_on": timezone.localdate().isoformat(),
        "withdrawn_on": None,
        "survey": {"slug": "op-school", "title": "À l'école"},
        "campaign": {
            "slug": "welzijn-op-school",
            "title": "Comment ça va à l'école ?",
            "results_expected_on": "2027-03-01",
        },
        "results_expected_on": "2027-03-01",
        "results": None,
    }


def test_the_code_works_however_it_is_typed_and_lang_chooses_the_titles(client, receipt):
    body = client.get(url(receipt.lower().replace("-", "")), {"lang": "nl"}).json()

    assert body["receipt"] == receipt
    assert body["survey"]["title"] == "Op school"


def test_delete_withdraws_and_the_receipt_then_says_so(
    client, receipt, django_capture_on_commit_callbacks
):
    sent = []
    response_changed.connect(
        lambda sender, survey_id, **kw: sent.append(survey_id), weak=False, dispatch_uid="t"
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.delete(url(receipt))
    finally:
        response_changed.disconnect(dispatch_uid="t")

    assert response.status_code == 204
    assert len(sent) == 1
    assert Response.objects.get().withdrawn_at is not None
    body = client.get(url(receipt)).json()
    assert body["status"] == "withdrawn"
    assert body["withdrawn_on"] == timezone.localdate().isoformat()


def test_withdrawing_again_is_harmless(client, receipt):
    client.delete(url(receipt))

    assert client.delete(url(receipt)).status_code == 204


@pytest.mark.parametrize("code", ["ZZZZ-ZZZZ", "abc", "0000-0000"])
def test_an_unknown_code_is_a_404_for_get_and_delete(client, receipt, code):
    assert client.get(url(code)).status_code == 404
    assert client.delete(url(code)).status_code == 404
    assert Response.objects.get().withdrawn_at is None
