"""Every submission and withdrawal reaches the results, through a debounced task (DESIGN §3)."""

from __future__ import annotations

import json
import uuid
from unittest import mock

import pytest

from analysis.models import ResultSnapshot
from analysis.services import survey_results_refresh, survey_results_refresh_schedule
from analysis.tasks import survey_results_refresh_task

pytestmark = pytest.mark.django_db

ANSWERS = {"mood": 4, "sport": "football", "hobbies": ["music"], "priorities": ["say"]}


def submit(client, slug: str, **changes):
    body = {
        "client_token": str(uuid.uuid4()),
        "language": "nl",
        "age": 13,
        "invite": None,
        "assent": True,
        "answers": ANSWERS,
    }
    body.update(changes)
    return client.post(
        f"/api/v1/surveys/{slug}/responses/", json.dumps(body), content_type="application/json"
    )


def mood_counts(survey) -> dict:
    snapshot = ResultSnapshot.objects.get(survey=survey)
    return next(q for q in snapshot.data["questions"] if q["key"] == "mood")["all"]["counts"]


def test_a_submission_through_the_api_updates_the_snapshot(
    client, survey, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = submit(client, survey.slug)
    assert response.status_code == 201
    assert callbacks, "the submission queued nothing on commit"
    snapshot = ResultSnapshot.objects.get(survey=survey)
    assert snapshot.response_count == 1
    assert mood_counts(survey)["4"] == 1


def test_a_withdrawal_through_the_api_takes_the_answers_out_again(
    client, survey, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        receipt = submit(client, survey.slug).json()["receipt"]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(f"/api/v1/receipts/{receipt}/").status_code == 204
    snapshot = ResultSnapshot.objects.get(survey=survey)
    assert snapshot.response_count == 0
    assert mood_counts(survey)["4"] == 0


def test_a_burst_of_submissions_queues_one_refresh(survey):
    with mock.patch.object(survey_results_refresh_task, "apply_async") as apply_async:
        queued = [survey_results_refresh_schedule(survey_id=survey.pk) for _ in range(30)]
    assert queued.count(True) == 1
    apply_async.assert_called_once()
    assert apply_async.call_args.kwargs["countdown"] >= 1


def test_a_change_after_the_queued_refresh_started_queues_another(survey):
    with mock.patch.object(survey_results_refresh_task, "apply_async") as apply_async:
        survey_results_refresh_schedule(survey_id=survey.pk)
        survey_results_refresh_task.run(survey.pk)  # the worker picks it up
        survey_results_refresh_schedule(survey_id=survey.pk)
    assert apply_async.call_count == 2


def test_the_refresh_task_tolerates_a_deleted_survey(db):
    assert survey_results_refresh_task.run(987654) is False


def test_the_refresh_task_comes_back_later_when_another_refresh_is_running(survey):
    def meanwhile(done: int, total: int) -> None:
        if done == 1:
            with mock.patch.object(survey_results_refresh_task, "apply_async") as apply_async:
                assert survey_results_refresh_task.run(survey.pk) is False
            apply_async.assert_called_once()

    survey_results_refresh(survey=survey, progress=meanwhile)


def test_the_refresh_task_runs_on_the_default_queue_and_retries_database_errors():
    from django.db import OperationalError

    assert survey_results_refresh_task.queue == "default"
    assert OperationalError in survey_results_refresh_task.autoretry_for


def test_a_broker_that_is_down_fails_no_submission(survey):
    with mock.patch.object(
        survey_results_refresh_task, "apply_async", side_effect=ConnectionError("down")
    ):
        assert survey_results_refresh_schedule(survey_id=survey.pk) is False
    # Nothing left behind that would hold back the next change.
    with mock.patch.object(survey_results_refresh_task, "apply_async") as apply_async:
        assert survey_results_refresh_schedule(survey_id=survey.pk) is True
    apply_async.assert_called_once()


def test_a_cache_that_is_down_queues_nothing_and_fails_no_submission(survey):
    """The cache is Redis, and so is the broker: a publish would fail too, or hang with Redis."""
    with (
        mock.patch("analysis.services.cache.add", side_effect=ConnectionError("down")),
        mock.patch.object(survey_results_refresh_task, "apply_async") as apply_async,
    ):
        assert survey_results_refresh_schedule(survey_id=survey.pk) is False
    apply_async.assert_not_called()


def test_in_process_tasks_do_not_loop_while_another_refresh_runs(survey):
    def meanwhile(done: int, total: int) -> None:
        if done == 1:
            with mock.patch.object(survey_results_refresh_task, "apply_async") as apply_async:
                result = survey_results_refresh_task.apply((survey.pk,))  # eager, in-process
            assert result.get() is False
            apply_async.assert_not_called()

    survey_results_refresh(survey=survey, progress=meanwhile)
