"""The database is the truth: the sweeper re-queues every survey whose snapshot is behind."""

from __future__ import annotations

from unittest import mock

import pytest
from django.utils import timezone

from analysis.selectors import survey_ids_with_stale_snapshot
from analysis.services import survey_results_refresh
from analysis.tasks import survey_results_refresh_task, sweep_stale_snapshots
from surveys.models import Response

pytestmark = pytest.mark.django_db


def test_a_survey_with_responses_and_no_snapshot_is_stale(seed_responses):
    seeded = seed_responses(count=5, withdraw_share=0)
    assert survey_ids_with_stale_snapshot() == [seeded.survey.pk]


def test_a_fresh_snapshot_is_left_alone(seed_responses):
    seeded = seed_responses(count=5)
    survey_results_refresh(survey=seeded.survey)
    assert survey_ids_with_stale_snapshot() == []


def test_a_new_response_makes_the_snapshot_stale(seed_responses):
    seeded = seed_responses(count=5, withdraw_share=0)
    survey_results_refresh(survey=seeded.survey)
    seed_responses(count=1, seed=99, withdraw_share=0)  # a message lost on its way
    assert survey_ids_with_stale_snapshot() == [seeded.survey.pk]


def test_a_withdrawal_makes_the_snapshot_stale(seed_responses):
    seeded = seed_responses(count=5, withdraw_share=0)
    survey_results_refresh(survey=seeded.survey)
    first = Response.objects.order_by("id").first()
    Response.objects.filter(pk=first.pk).update(withdrawn_at=timezone.now())
    assert survey_ids_with_stale_snapshot() == [seeded.survey.pk]


def test_withdrawing_every_response_makes_the_snapshot_stale(seed_responses):
    seeded = seed_responses(count=3, withdraw_share=0)
    survey_results_refresh(survey=seeded.survey)
    Response.objects.update(withdrawn_at=timezone.now())
    assert survey_ids_with_stale_snapshot() == [seeded.survey.pk]


def test_the_sweeper_queues_a_refresh_per_stale_survey_and_the_refresh_catches_up(
    seed_responses,
):
    seeded = seed_responses(count=5, withdraw_share=0)
    with mock.patch.object(survey_results_refresh_task, "apply_async") as apply_async:
        assert sweep_stale_snapshots.run() == 1
    apply_async.assert_called_once()
    assert apply_async.call_args.args[0] == (seeded.survey.pk,)
    survey_results_refresh_task.run(seeded.survey.pk)
    assert survey_ids_with_stale_snapshot() == []
