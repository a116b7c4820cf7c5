"""surveys.services.response_withdraw: the receipt code takes the answers out of every count."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone

from config.exceptions import NotFoundError
from surveys.models import Answer, Response
from surveys.services import response_submit, response_withdraw
from surveys.signals import response_changed
from tests.surveys.conftest import FULL_ANSWERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(survey):
    return response_submit(
        survey=survey,
        client_token=uuid.uuid4(),
        language="nl",
        age=10,
        invite_code=None,
        assent=True,
        answers=dict(FULL_ANSWERS),
    )


def test_it_marks_the_response_withdrawn_and_keeps_it_out_of_counts(submitted):
    response_withdraw(code=submitted.receipt)

    stored = Response.objects.get()
    assert stored.withdrawn_at is not None
    assert stored.withdrawn_at >= stored.submitted_at
    assert Response.objects.filter(withdrawn_at__isnull=True).count() == 0


def test_the_code_works_as_typed(submitted):
    response_withdraw(code=submitted.receipt.lower().replace("-", " "))

    assert Response.objects.get().is_withdrawn


def test_withdrawing_twice_changes_nothing(submitted):
    response_withdraw(code=submitted.receipt)
    first = Response.objects.get().withdrawn_at

    response_withdraw(code=submitted.receipt)

    assert Response.objects.get().withdrawn_at == first


def test_the_answers_stay_stored_but_leave_the_counts(submitted):
    response_withdraw(code=submitted.receipt)

    assert Answer.objects.count() == 9
    assert Answer.objects.filter(response__withdrawn_at__isnull=True).count() == 0


def test_an_unknown_code_is_not_found(submitted):
    with pytest.raises(NotFoundError):
        response_withdraw(code="ZZZZ-ZZZZ")


def test_it_announces_the_change_on_commit_once(submitted, django_capture_on_commit_callbacks):
    sent: list[int] = []

    def receiver(sender, survey_id, **kwargs):
        sent.append(survey_id)

    response_changed.connect(receiver, dispatch_uid="test-withdraw")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response_withdraw(code=submitted.receipt)
            assert sent == []
        with django_capture_on_commit_callbacks(execute=True) as again:
            response_withdraw(code=submitted.receipt)
    finally:
        response_changed.disconnect(dispatch_uid="test-withdraw")

    assert sent == [submitted.response.survey_id]
    assert again == []


def test_a_withdrawal_is_never_dated_before_the_submission(submitted):
    later = timezone.now() + timezone.timedelta(minutes=5)
    Response.objects.update(submitted_at=later)  # another server's clock ran ahead

    response_withdraw(code=submitted.receipt)

    assert Response.objects.get().withdrawn_at >= later
