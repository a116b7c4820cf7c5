"""On PostgreSQL, in autocommit (as in production), a submission's response and answers are one
statement: stored exactly as the ORM would store them, all or nothing, announced once."""

from __future__ import annotations

import uuid

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from surveys import services
from surveys.models import Answer, Response
from surveys.selectors import survey_get_public
from surveys.services import response_submit
from surveys.signals import response_changed
from tests.surveys.conftest import FULL_ANSWERS, submit_url

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ANSWER_COLUMNS = ("question_id", "option_id", "rank", "number_value", "text_value")
RESPONSE_COLUMNS = ("survey_id", "age_band_id", "language", "invite_link_id", "organisation_id")


def submit(survey, invite, **changes):
    arguments = {
        "survey": survey_get_public(slug=survey.slug),
        "client_token": uuid.uuid4(),
        "language": "nl",
        "age": 10,
        "invite_code": invite.code,
        "assent": True,
        "answers": {**FULL_ANSWERS, "story": "Mail me op jan@example.org, het is fijn."},
    }
    arguments.update(changes)
    return response_submit(**arguments)


def stored(response_id: int) -> tuple[tuple, list[tuple]]:
    response = Response.objects.values_list(*RESPONSE_COLUMNS).get(pk=response_id)
    answers = sorted(
        Answer.objects.filter(response_id=response_id).values_list(*ANSWER_COLUMNS),
        key=repr,
    )
    return response, answers


def test_the_one_statement_stores_what_the_orm_stores(survey, invite):
    assert not connection.in_atomic_block
    one_statement = submit(survey, invite)
    with transaction.atomic():  # inside a transaction the ORM's save and bulk insert are used
        orm = submit(survey, invite)

    assert one_statement.created and orm.created
    assert one_statement.response.pk != orm.response.pk
    assert stored(one_statement.response.pk) == stored(orm.response.pk)
    _response, answers = stored(one_statement.response.pk)
    assert len(answers) == 9  # mood, sport, sport_where, 2 hobbies, hours, story, 2 priorities
    assert [text for *_rest, text in answers if text] == ["Mail me op [email], het is fijn."]
    fresh = Response.objects.get(pk=one_statement.response.pk)
    assert fresh.receipt_code == one_statement.response.receipt_code
    assert fresh.client_token == one_statement.response.client_token
    assert fresh.submitted_at == one_statement.response.submitted_at
    assert fresh.withdrawn_at is None


def test_a_submission_with_every_question_skipped_is_one_response_without_answers(survey, invite):
    result = submit(survey, invite, answers={"mood": None, "story": "  ", "hobbies": []})

    assert result.created
    assert Response.objects.filter(pk=result.response.pk).exists()
    assert not Answer.objects.filter(response_id=result.response.pk).exists()


def test_an_answer_the_database_refuses_leaves_nothing_behind(survey, invite, monkeypatch):
    def with_a_broken_answer(definition, answers, age, errors):
        rows = original(definition, answers, age, errors)
        rows[-1] = rows[-1]._replace(option_id=999_999)  # no such option: the foreign key fails
        return rows

    original = services._answer_rows
    monkeypatch.setattr(services, "_answer_rows", with_a_broken_answer)

    with pytest.raises(IntegrityError):
        submit(survey, invite)

    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0


def test_a_submission_is_one_write_and_announced_once(survey, invite, client):
    announced: list[int] = []

    def receiver(sender, survey_id, **kwargs):
        announced.append(survey_id)

    response_changed.connect(receiver, dispatch_uid="test-one-statement")
    try:
        submit(survey, invite)  # warms the definition cache
        announced.clear()
        with CaptureQueriesContext(connection) as queries:
            reply = client.post(
                submit_url(survey.slug),
                {
                    "client_token": str(uuid.uuid4()),
                    "language": "nl",
                    "age": 10,
                    "invite": invite.code,
                    "assent": True,
                    "answers": FULL_ANSWERS,
                },
                content_type="application/json",
            )
    finally:
        response_changed.disconnect(dispatch_uid="test-one-statement")

    assert reply.status_code == 201
    # The survey, the invite link, the write; then, in tests, the refresh the announcement
    # queued runs in this process.
    survey_read, invite_read, write, *_refresh = (query["sql"].lstrip() for query in queries)
    assert survey_read.startswith("SELECT") and '"surveys_survey"' in survey_read
    assert invite_read.startswith("SELECT") and '"consultations_invitelink"' in invite_read
    assert write.startswith("WITH new_response AS")
    assert not any(sql in ("BEGIN", "COMMIT") for sql in (survey_read, invite_read, write))
    assert announced == [survey.pk]
