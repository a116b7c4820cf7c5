"""What staff are shown: the snapshot's numbers, with every small cell hidden (DESIGN §4)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analysis.selectors import survey_results
from analysis.services import survey_results_refresh
from config.exceptions import InvalidInputError
from consultations.models import Campaign
from tests.analysis.conftest import KINDS, reference_groups, reference_stats

pytestmark = pytest.mark.django_db

DIMENSIONS = ["age_band", "organisation", "language", "sport", "sport_where", "say"]


def published_counts(results: dict) -> dict[str, int | None]:
    """{value: count} of a question's results, whatever its kind."""
    cells = results.get("counts") or results.get("first_choice") or []
    return {cell["value"]: cell["count"] for cell in cells}


def reference_counts(key: str, stats: dict) -> dict[str, int]:
    if KINDS[key] == "ranking":
        return stats["first"]
    return stats.get("counts", {})


def assert_protected(published: dict, exact: dict, n: int, k: int) -> None:
    for value, count in published.items():
        if count is not None:
            assert count == exact[value]
            assert not 0 < count < k
    hidden = [exact[value] for value, count in published.items() if count is None]
    assert len([count for count in hidden if count]) != 1 or n != sum(exact.values())


@pytest.mark.parametrize("k", [5, 10])
@pytest.mark.parametrize("by", DIMENSIONS)
def test_published_numbers_are_exact_or_hidden_when_small(seed_responses, invites, k, by):
    seeded = seed_responses(count=150, seed=11)
    survey = seeded.survey
    Campaign.objects.filter(pk=survey.campaign_id).update(min_cell_size=k)
    survey.campaign.refresh_from_db()
    survey_results_refresh(survey=survey)

    results = survey_results(survey=survey, by=by)

    counted = seeded.counted
    assert results["min_cell_size"] == k
    assert results["response_count"] == len(counted)
    organisations = [str(invite.organisation_id) for invite in invites] + ["none"]
    groups = reference_groups(seeded, organisations)[by]
    assert [group["key"] for group in results["groups"]] == list(groups)
    for group in results["groups"]:
        size = len(groups[group["key"]])
        assert group["n"] in (size, None)
        assert group["suppressed"] == (group["n"] is None)
        assert group["suppressed"] or not 0 < size < k
    for question in results["questions"]:
        key = question["key"]
        overall = reference_stats(key, counted)
        assert question["n"] == overall["n"]  # overall totals are exact
        assert_protected(
            published_counts(question["results"]),
            reference_counts(key, overall),
            overall["n"],
            k,
        )
        seen_published_group = False
        for entry in question["breakdown"]:
            exact = reference_stats(key, groups[entry["key"]])
            if exact["n"] < k:
                assert entry["suppressed"] and entry["results"] is None
            if entry["suppressed"]:
                assert entry["results"] is None
                continue
            seen_published_group = True
            assert entry["n"] == exact["n"] >= k
            assert_protected(
                published_counts(entry["results"]), reference_counts(key, exact), exact["n"], k
            )
            if KINDS[key] in ("scale", "number"):
                assert entry["results"]["mean"] == pytest.approx(exact["mean"])
                assert entry["results"]["median"] == pytest.approx(exact["median"])
        hidden_sizes = [e for e in question["breakdown"] if e["n"] is None]
        assert len(hidden_sizes) != 1 or all(
            e["n"] == 0 for e in question["breakdown"] if e["n"] is not None
        )
        if by == "language" and KINDS[key] != "text":
            assert seen_published_group, key


def test_a_larger_k_hides_more_at_once_without_a_new_snapshot(seed_responses):
    seeded = seed_responses(count=80, seed=5)
    survey = seeded.survey
    survey_results_refresh(survey=survey)

    def published_numbers() -> int:
        survey.campaign.refresh_from_db()
        results = survey_results(survey=survey, by="age_band")
        return sum(
            bool(entry["n"]) + sum(bool(cell["count"]) for cell in cells)
            for question in results["questions"]
            for entry in question["breakdown"]
            for cells in [entry["results"].get("counts", []) if entry["results"] else []]
        )

    before = published_numbers()
    Campaign.objects.filter(pk=survey.campaign_id).update(min_cell_size=15)
    assert published_numbers() < before


def test_an_unknown_breakdown_is_refused_naming_by(survey):
    with pytest.raises(InvalidInputError) as refused:
        survey_results(survey=survey, by="shoe_size")
    assert refused.value.field == "by"


def test_a_survey_without_a_snapshot_yet_says_so(survey):
    results = survey_results(survey=survey, by="age_band")
    assert results["computed_at"] is None
    assert results["questions"] == [] and results["groups"] == []


def test_reading_results_never_touches_the_answers(seed_responses):
    seeded = seed_responses(count=20)
    survey_results_refresh(survey=seeded.survey)
    with CaptureQueriesContext(connection) as queries:
        survey_results(survey=seeded.survey, by="sport")
    assert not any("surveys_answer" in query["sql"] for query in queries.captured_queries)
    assert len(queries) <= 3


def test_options_keep_their_order_and_numbers_go_from_low_to_high(seed_responses):
    seeded = seed_responses(count=40)
    survey_results_refresh(survey=seeded.survey)
    questions = {q["key"]: q for q in survey_results(survey=seeded.survey)["questions"]}
    assert [c["value"] for c in questions["sport"]["results"]["counts"]] == [
        "football",
        "swimming",
        "dance",
    ]
    hours = [c["value"] for c in questions["hours"]["results"]["counts"]]
    assert hours == sorted(hours, key=float) and "2.5" in hours and "10" in hours
