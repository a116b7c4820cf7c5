"""surveys.services.response_submit: stores a response once, and says so on commit."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from config.exceptions import ConflictError, InvalidInputError
from surveys import receipts
from surveys.models import Answer, Response, Survey, SurveyStatus
from surveys.services import response_submit
from surveys.signals import response_changed
from tests.surveys.conftest import FULL_ANSWERS

pytestmark = pytest.mark.django_db


def submit(survey: Survey, **changes: Any):
    arguments: dict[str, Any] = {
        "survey": survey,
        "client_token": uuid.uuid4(),
        "language": "nl",
        "age": 10,
        "invite_code": None,
        "assent": True,
        "answers": dict(FULL_ANSWERS),
    }
    arguments.update(changes)
    return response_submit(**arguments)


@pytest.fixture
def changes():
    """The survey ids response_changed was sent for."""
    sent: list[int] = []

    def receiver(sender, survey_id, **kwargs):
        assert sender is Survey
        sent.append(survey_id)

    response_changed.connect(receiver, dispatch_uid="test-response-submit")
    yield sent
    response_changed.disconnect(dispatch_uid="test-response-submit")


def test_it_stores_the_response_and_returns_its_receipt(survey):
    result = submit(survey)

    assert result.created
    assert result.response == Response.objects.get()
    assert result.receipt == receipts.format_receipt_code(result.response.receipt_code)
    assert Answer.objects.filter(response=result.response).count() == 9


def test_the_same_client_token_returns_the_stored_response_without_storing_again(survey):
    token = uuid.uuid4()
    first = submit(survey, client_token=token)

    again = submit(survey, client_token=token, answers={"mood": 1})

    assert not again.created
    assert (again.response.pk, again.receipt) == (first.response.pk, first.receipt)
    assert Response.objects.count() == 1
    assert Answer.objects.count() == 9


def test_a_client_token_given_as_text_is_accepted(survey):
    token = uuid.uuid4()

    result = submit(survey, client_token=str(token))

    assert result.response.client_token == token


def test_it_announces_the_change_once_the_transaction_commits(
    survey, changes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submit(survey)
        assert changes == []  # nothing before the commit

    assert len(callbacks) == 1
    assert changes == [survey.pk]


def test_a_replay_announces_nothing(survey, changes, django_capture_on_commit_callbacks):
    token = uuid.uuid4()
    submit(survey, client_token=token)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submit(survey, client_token=token)

    assert callbacks == []


def test_refused_input_announces_nothing(survey, changes, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(InvalidInputError),
    ):
        submit(survey, assent=False)

    assert callbacks == []
    assert changes == []


def test_a_failing_subscriber_does_not_fail_the_submission(
    survey, django_capture_on_commit_callbacks
):
    def broken(sender, **kwargs):
        raise RuntimeError("analysis is down")

    response_changed.connect(broken, dispatch_uid="test-broken")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            result = submit(survey)
    finally:
        response_changed.disconnect(dispatch_uid="test-broken")

    assert result.created


def test_a_taken_receipt_code_is_drawn_again(survey, monkeypatch):
    taken = submit(survey).response.receipt_code
    codes = iter([taken, "ZZZZ2222"])
    monkeypatch.setattr("surveys.services.generate_receipt_code", lambda: next(codes))

    result = submit(survey)

    assert result.created
    assert result.receipt == "ZZZZ-2222"
    assert Response.objects.count() == 2


def test_it_names_the_first_offending_field_and_lists_them_all(survey):
    with pytest.raises(InvalidInputError) as caught:
        submit(survey, age=30, answers={"nope": 1, "sport": "tennis"})

    error = caught.value
    assert error.field == "age"
    assert error.extra["errors"] == {
        "age": ["This survey is for young people aged 6 to 17."],
        "answers.nope": ["This survey has no question 'nope'."],
        "answers.sport": ["'tennis' is not an option of this question."],
    }


def test_an_invalid_client_token_is_named(survey):
    with pytest.raises(InvalidInputError) as caught:
        submit(survey, client_token="not-a-uuid")

    assert caught.value.field == "client_token"


def test_a_survey_that_is_not_open_is_a_conflict(survey):
    survey.status = SurveyStatus.CLOSED

    with pytest.raises(ConflictError):
        submit(survey)

    assert Response.objects.count() == 0


def test_answers_of_older_questions_are_taken_at_that_age(survey):
    result = submit(survey, age=12, answers={"say": "yes"})

    assert result.response.age_band.code == "12-14"
    assert Answer.objects.get().option.value == "yes"


def test_numbers_keep_two_decimals(survey):
    submit(survey, answers={"hours": 2.345})

    assert str(Answer.objects.get().number_value) == "2.35"


def test_a_whole_number_given_as_a_float_is_a_scale_point(survey):
    submit(survey, answers={"mood": 3.0})

    assert Answer.objects.get().number_value == 3


def test_text_is_trimmed_and_masked(survey):
    submit(survey, answers={"story": "  mail me: kim@example.org  "})

    assert Answer.objects.get().text_value == "mail me: [email]"


def test_text_with_a_null_character_is_refused_and_nothing_is_stored(survey):
    with pytest.raises(InvalidInputError) as caught:
        submit(survey, answers={"story": "fine\x00"})

    assert caught.value.extra["errors"] == {
        "answers.story": ["The text holds a null character; leave it out."]
    }
    assert Response.objects.count() == 0
