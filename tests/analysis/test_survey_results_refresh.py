"""The snapshot holds exactly what the responses say, in a fixed number of queries."""

from __future__ import annotations

import random
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analysis.models import ResultSnapshot
from analysis.services import RefreshAlreadyRunning, survey_results_refresh
from surveys.models import QuestionKind, Response, Survey, SurveyStatus
from surveys.services import response_submit
from tests.analysis.conftest import KINDS, add_question, reference_groups, reference_stats

pytestmark = pytest.mark.django_db


def approx_stats(stats: dict) -> dict:
    return {
        name: pytest.approx(value) if name in ("mean", "median") and value is not None else value
        for name, value in stats.items()
    }


@pytest.mark.parametrize("seed", [7, 2024])
def test_the_snapshot_equals_the_answers_counted_one_by_one(seed_responses, invites, seed):
    seeded = seed_responses(count=150, seed=seed)
    assert any(response.withdrawn for response in seeded.responses)

    snapshot = survey_results_refresh(survey=seeded.survey)

    data = snapshot.data
    counted = seeded.counted
    assert snapshot.response_count == data["response_count"] == len(counted)
    assert snapshot.max_response_id == max(
        Response.objects.filter(withdrawn_at__isnull=True).values_list("id", flat=True)
    )
    organisations = [str(invite.organisation_id) for invite in invites] + ["none"]
    groups = reference_groups(seeded, organisations)
    questions = {question["key"]: question for question in data["questions"]}
    assert list(questions) == list(KINDS)
    for key in KINDS:
        assert questions[key]["all"] == approx_stats(reference_stats(key, counted)), key
        for dimension, members in groups.items():
            for group, responses in members.items():
                expected = approx_stats(reference_stats(key, responses))
                assert questions[key]["by"][dimension][group] == expected, (key, dimension, group)
    for dimension, members in groups.items():
        assert data["responses"]["by"][dimension] == {
            group: len(responses) for group, responses in members.items()
        }


def test_a_question_shown_only_after_an_answer_counts_only_those_who_saw_it(seed_responses):
    seeded = seed_responses(count=60, seed=3)
    data = survey_results_refresh(survey=seeded.survey).data
    sport_where = next(q for q in data["questions"] if q["key"] == "sport_where")
    assert sport_where["by"]["sport"]["swimming"]["n"] == 0
    assert sport_where["all"]["n"] == sport_where["by"]["sport"]["football"]["n"] > 0


def test_refreshing_twice_changes_nothing_but_the_time(seed_responses):
    seeded = seed_responses(count=40)
    first = survey_results_refresh(survey=seeded.survey)
    second = survey_results_refresh(survey=seeded.survey)
    assert ResultSnapshot.objects.count() == 1
    assert second.pk == first.pk and second.data == first.data


def test_a_withdrawn_response_leaves_the_snapshot(seed_responses):
    seeded = seed_responses(count=30, withdraw_share=0)
    before = survey_results_refresh(survey=seeded.survey)
    Response.objects.filter(pk=before.max_response_id).update(
        withdrawn_at=Response.objects.get(pk=before.max_response_id).submitted_at
    )
    after = survey_results_refresh(survey=seeded.survey)
    assert after.response_count == before.response_count - 1
    assert after.max_response_id < before.max_response_id


def test_a_survey_without_responses_has_an_empty_snapshot(survey):
    snapshot = survey_results_refresh(survey=survey)
    assert snapshot.response_count == 0 and snapshot.max_response_id is None
    assert all(question["all"]["n"] == 0 for question in snapshot.data["questions"])


def test_a_second_refresh_of_the_same_survey_at_the_same_time_is_refused(survey):
    refused = []

    def meanwhile(done: int, total: int) -> None:
        if done == 1:
            with pytest.raises(RefreshAlreadyRunning):
                survey_results_refresh(survey=survey)
            refused.append(True)

    survey_results_refresh(survey=survey, progress=meanwhile)
    assert refused == [True]
    # The lock is released afterwards: the next refresh runs.
    survey_results_refresh(survey=survey)


def test_a_lock_held_by_another_process_is_respected(survey):
    cache.add(f"analysis:refresh-lock:{survey.pk}", "another-worker", timeout=60)
    with pytest.raises(RefreshAlreadyRunning):
        survey_results_refresh(survey=survey)
    assert cache.get(f"analysis:refresh-lock:{survey.pk}") == "another-worker"
    assert not ResultSnapshot.objects.filter(survey=survey).exists()


def _survey_with(campaign, question_count: int, slug: str) -> Survey:
    survey = Survey.objects.create(
        campaign=campaign, slug=slug, title_nl=slug, status=SurveyStatus.OPEN
    )
    kinds = [
        QuestionKind.SINGLE,
        QuestionKind.MULTIPLE,
        QuestionKind.SCALE,
        QuestionKind.NUMBER,
        QuestionKind.TEXT,
        QuestionKind.RANKING,
    ]
    for index in range(question_count):
        kind = kinds[index % len(kinds)]
        options = ["a", "b", "c"] if kind in ("single", "multiple", "ranking") else []
        add_question(survey, f"q{index}", kind, options=options)
    rng = random.Random(question_count)
    for _ in range(12):
        answers = {}
        for index in range(question_count):
            kind = kinds[index % len(kinds)]
            answers[f"q{index}"] = {
                QuestionKind.SINGLE: rng.choice("abc"),
                QuestionKind.MULTIPLE: rng.sample("abc", 2),
                QuestionKind.SCALE: rng.randint(1, 5),
                QuestionKind.NUMBER: rng.randint(0, 9),
                QuestionKind.TEXT: "ok",
                QuestionKind.RANKING: rng.sample("abc", 3),
            }[kind]
        response_submit(
            survey=survey,
            client_token=uuid.uuid4(),
            language="nl",
            age=rng.randint(6, 17),
            invite_code=None,
            assent=True,
            answers=answers,
        )
    return Survey.objects.get(pk=survey.pk)


def test_a_refresh_takes_as_many_queries_for_60_questions_as_for_10(campaign):
    small = _survey_with(campaign, 10, "small")
    large = _survey_with(campaign, 60, "large")
    counts = []
    for survey in (small, large):
        with CaptureQueriesContext(connection) as queries:
            survey_results_refresh(survey=survey)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 16, "\n".join(q["sql"][:100] for q in queries.captured_queries)
