"""Reading findings: the staff list, one finding with its evidence, what can be attached, and
``findings_for_report`` — the end report's input, whose numbers are the suppressed snapshot's
(analysis.selectors.survey_results), never a count of their own."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from analysis.coding import answer_coding_save, code_create
from analysis.findings import (
    evidence_add_outcome_point,
    evidence_add_question,
    evidence_add_quote,
    finding_create,
)
from analysis.findings_selectors import (
    evidence_choices,
    finding_detail,
    finding_list,
    findings_for_report,
)
from analysis.models import AnswerCoding, FindingEvidence
from analysis.selectors import survey_results
from analysis.services import survey_results_refresh
from consultations.models import Campaign
from roundtables.models import Outcome, OutcomePoint, Roundtable, RoundtableStatus
from surveys.models import Answer, Question, Survey
from surveys.services import response_submit, response_withdraw
from tests.analysis.conftest import make_campaign, submit_open_answer

pytestmark = pytest.mark.django_db


# --- Helpers (also used by the other findings tests) ---------------------------------------------


def submit_many(survey: Survey, count: int, *, age: int, answers: dict[str, Any]) -> list[str]:
    """``count`` young people of ``age`` who gave the same ``answers``; their receipts."""
    return [
        response_submit(
            survey=survey,
            client_token=uuid.uuid4(),
            language="nl",
            age=age,
            invite_code=None,
            assent=True,
            answers=answers,
        ).receipt
        for _ in range(count)
    ]


def add_outcome_points(
    campaign: Campaign, author, texts: list[str], *, slug: str = "rondetafel-1"
) -> list[OutcomePoint]:
    """A roundtable of the campaign, held last week, whose outcome has these key points."""
    starts = timezone.now() - datetime.timedelta(days=7)
    roundtable = Roundtable.objects.create(
        campaign=campaign,
        slug=slug,
        title_nl=f"Rondetafel {slug}",
        title_en=f"Roundtable {slug}",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        capacity=20,
        venue="Brussel",
        status=RoundtableStatus.PUBLISHED,
    )
    outcome = Outcome.objects.create(roundtable=roundtable, summary="Samenvatting", author=author)
    return [
        OutcomePoint.objects.create(outcome=outcome, text=text, order=index)
        for index, text in enumerate(texts)
    ]


def mark_quote(campaign: Campaign, answer: Answer, author, labels: list[str] = ()) -> AnswerCoding:
    codes = [code_create(campaign=campaign, label=label, user=author) for label in labels]
    return answer_coding_save(
        answer_id=answer.pk,
        campaign=campaign,
        code_ids=[code.pk for code in codes],
        is_quote=True,
        user=author,
    )


def answer_sport_survey(survey: Survey) -> Survey:
    """The conftest survey (k = 5) answered by 23 young people: 12 chose football (8 of them
    aged 13), 6 swimming, 2 dance, 3 (aged 10) skipped sport. Dance is below k, and so swimming
    is hidden as well. By age band: 2, 3, 8 and 10 young people; the two small bands hide each
    other (together they are k). The snapshot is computed."""
    submit_many(survey, 8, age=13, answers={"sport": "football", "mood": 4})
    submit_many(survey, 4, age=16, answers={"sport": "football", "mood": 5})
    submit_many(survey, 6, age=16, answers={"sport": "swimming", "mood": 2})
    submit_many(survey, 2, age=7, answers={"sport": "dance", "mood": 3})
    submit_many(survey, 3, age=10, answers={"mood": 1})
    survey_results_refresh(survey=survey)
    return survey


@pytest.fixture
def sport_survey(survey) -> Survey:
    return answer_sport_survey(survey)


def question(survey: Survey, key: str) -> Question:
    return survey.questions.get(key=key)


def counts(results: dict) -> dict[str, int | None]:
    return {cell["value"]: cell["count"] for cell in results["counts"]}


# --- findings_for_report -------------------------------------------------------------------------


def test_it_lists_findings_by_priority_then_in_staff_order_with_their_articles(campaign, analyst):
    low = finding_create(campaign=campaign, title="Laag", statement="S", priority=3, user=analyst)
    first = finding_create(
        campaign=campaign,
        title="Inspraak",
        statement="Kinderen willen meebeslissen.",
        article_numbers=[12, "6(2)"],
        priority=1,
        user=analyst,
    )
    second = finding_create(
        campaign=campaign, title="Tweede", statement="S", priority=1, user=analyst
    )

    report = findings_for_report(campaign=campaign)

    assert [item["id"] for item in report] == [first.pk, second.pk, low.pk]
    assert report[0]["title"] == "Inspraak"
    assert report[0]["statement"] == "Kinderen willen meebeslissen."
    assert report[0]["priority"] == 1
    assert report[0]["priority_label"] == "High"
    assert report[2]["priority_label"] == "Low"
    assert [
        (article["code"], article["number"], article["cluster_id"])
        for article in report[0]["articles"]
    ] == [("6(2)", 6, "GP"), ("12", 12, "GP")]
    assert report[0]["articles"][1]["title"] == "Respect for the views of the child"
    assert report[0]["evidence"] == []


def test_it_leaves_out_other_campaigns_findings(campaign, analyst):
    other = make_campaign("ander")
    finding_create(campaign=other, title="Elders", statement="S", user=analyst)

    assert findings_for_report(campaign=campaign) == []


def test_question_evidence_carries_the_snapshots_numbers_with_suppression(sport_survey, analyst):
    finding = finding_create(
        campaign=sport_survey.campaign, title="Sport", statement="Voetbal", user=analyst
    )
    sport = question(sport_survey, "sport")
    evidence_add_question(finding=finding, question_id=sport.pk, note="Vooral voetbal")

    [item] = findings_for_report(campaign=sport_survey.campaign)[0]["evidence"]

    assert item["kind"] == "question"
    assert item["note"] == "Vooral voetbal"
    shown = item["question"]
    snapshot_entry = next(
        q for q in survey_results(survey=sport_survey)["questions"] if q["key"] == "sport"
    )
    assert shown["results"] == snapshot_entry
    assert shown["key"] == "sport"
    assert shown["text"] == "Question sport"
    assert shown["survey_slug"] == "op-school"
    assert shown["n"] == 20  # overall totals are exact
    assert shown["breakdown"] is None
    assert shown["groups"] == []
    assert shown["min_cell_size"] == 5
    # 12 football (the database's count), and 2 dance below k hide swimming as well.
    assert counts(shown["results"]["results"]) == {
        "football": 12,
        "swimming": None,
        "dance": None,
    }
    assert Answer.objects.filter(question=sport, option__value="football").count() == 12


def test_a_broken_down_question_shows_each_groups_suppressed_numbers(sport_survey, analyst):
    finding = finding_create(
        campaign=sport_survey.campaign, title="Humeur", statement="S", user=analyst
    )
    mood = question(sport_survey, "mood")
    evidence_add_question(finding=finding, question_id=mood.pk, breakdown="age_band")

    [item] = findings_for_report(campaign=sport_survey.campaign)[0]["evidence"]

    shown = item["question"]
    snapshot_entry = next(
        q
        for q in survey_results(survey=sport_survey, by="age_band")["questions"]
        if q["key"] == "mood"
    )
    assert shown["results"] == snapshot_entry
    assert shown["breakdown"] == "age_band"
    assert shown["breakdown_label"] == "Age band"
    groups = {group["key"]: group for group in shown["groups"]}
    assert groups == {group["key"]: group for group in snapshot_entry["breakdown"]}
    # 12-14: eight young people, all in a good mood (4); 15-17: ten. 6-8 has two: hidden whole,
    # and 9-11 (three) with it.
    by_label = {group["label"]: group for group in shown["groups"]}
    assert by_label["12-14"]["n"] == 8
    # Mood 2 is hidden in every other band (two hidden whole, 15-17 below): its row is
    # protected as a table, which here also hides the 0 of 12-14 (analysis.suppression).
    assert counts(by_label["12-14"]["results"]) == {"1": 0, "2": None, "3": 0, "4": 8, "5": 0}
    assert by_label["15-17"]["n"] == 10
    # 15-17: six in mood 2, four in mood 5 (below k), so both hidden.
    assert counts(by_label["15-17"]["results"]) == {
        "1": 0,
        "2": None,
        "3": 0,
        "4": 0,
        "5": None,
    }
    assert by_label["6-8"]["suppressed"] is True
    assert by_label["6-8"]["n"] is None
    assert by_label["6-8"]["results"] is None
    assert by_label["9-11"]["suppressed"] is True


def test_a_breakdown_by_another_question_is_labelled_with_that_question(sport_survey, analyst):
    finding = finding_create(campaign=sport_survey.campaign, title="T", statement="S", user=analyst)
    evidence_add_question(
        finding=finding, question_id=question(sport_survey, "mood").pk, breakdown="sport"
    )

    [item] = findings_for_report(campaign=sport_survey.campaign)[0]["evidence"]

    assert item["question"]["breakdown"] == "sport"
    assert item["question"]["breakdown_label"] == "Answer to: Question sport"
    assert [group["key"] for group in item["question"]["groups"]] == [
        "football",
        "swimming",
        "dance",
    ]


def test_a_breakdown_that_no_longer_exists_falls_back_to_the_overall_numbers(sport_survey, analyst):
    finding = finding_create(campaign=sport_survey.campaign, title="T", statement="S", user=analyst)
    evidence = evidence_add_question(
        finding=finding, question_id=question(sport_survey, "mood").pk, breakdown="say"
    )
    # (A survey with responses keeps its questions; a row edited by hand may still say so.)
    FindingEvidence.objects.filter(pk=evidence.pk).update(breakdown="gone")

    [item] = findings_for_report(campaign=sport_survey.campaign)[0]["evidence"]

    assert item["question"]["breakdown"] is None
    assert item["question"]["groups"] == []
    assert item["question"]["n"] == 23


def test_a_question_without_a_snapshot_yet_has_no_numbers(survey, analyst):
    finding = finding_create(campaign=survey.campaign, title="T", statement="S", user=analyst)
    evidence_add_question(finding=finding, question_id=question(survey, "sport").pk)

    [item] = findings_for_report(campaign=survey.campaign)[0]["evidence"]

    assert item["question"]["results"] is None
    assert item["question"]["n"] is None
    assert item["question"]["computed_at"] is None
    assert item["question"]["text"] == "Question sport"


def test_quote_evidence_shows_the_words_age_band_language_and_codes(survey, analyst):
    answer = submit_open_answer(survey, "De speelplaats is te klein.", age=10, language="fr")
    coding = mark_quote(survey.campaign, answer, analyst, ["Speelplaats", "Ruimte"])
    finding = finding_create(campaign=survey.campaign, title="T", statement="S", user=analyst)
    evidence_add_quote(finding=finding, coding_id=coding.pk, note="Typisch")

    [item] = findings_for_report(campaign=survey.campaign)[0]["evidence"]

    assert item["kind"] == "quote"
    assert item["note"] == "Typisch"
    assert item["quote"]["text"] == "De speelplaats is te klein."
    assert item["quote"]["age_band"] == "9-11"
    assert item["quote"]["language"] == "fr"
    assert item["quote"]["codes"] == ["Ruimte", "Speelplaats"]
    assert item["quote"]["id"] == coding.pk


def test_a_withdrawn_or_unmarked_quote_leaves_the_report_but_shows_as_unusable_to_staff(
    survey, analyst
):
    kept = mark_quote(survey.campaign, submit_open_answer(survey, "Blijft"), analyst)
    withdrawn_answer = submit_open_answer(survey, "Trek ik in")
    withdrawn = mark_quote(survey.campaign, withdrawn_answer, analyst)
    unmarked = mark_quote(survey.campaign, submit_open_answer(survey, "Toch niet"), analyst)
    finding = finding_create(campaign=survey.campaign, title="T", statement="S", user=analyst)
    for coding in (kept, withdrawn, unmarked):
        evidence_add_quote(finding=finding, coding_id=coding.pk)
    response_withdraw(code=withdrawn_answer.response.receipt_code)
    AnswerCoding.objects.filter(pk=unmarked.pk).update(is_quote=False)

    report = findings_for_report(campaign=survey.campaign)
    detail = finding_detail(finding=finding)

    assert [item["quote"]["text"] for item in report[0]["evidence"]] == ["Blijft"]
    assert [item["usable"] for item in detail["evidence"]] == [True, False, False]
    assert detail["evidence"][1]["quote"] is None
    assert "Trek ik in" not in str(detail)


def test_outcome_point_evidence_names_the_roundtable_and_its_date(campaign, analyst):
    [point] = add_outcome_points(campaign, analyst, ["Scholen moeten leerlingenraden hebben."])
    finding = finding_create(campaign=campaign, title="T", statement="S", user=analyst)
    evidence_add_outcome_point(finding=finding, point_id=point.pk)

    [item] = findings_for_report(campaign=campaign)[0]["evidence"]

    assert item["kind"] == "outcome_point"
    assert item["outcome_point"]["text"] == "Scholen moeten leerlingenraden hebben."
    assert item["outcome_point"]["roundtable"] == "Roundtable rondetafel-1"
    assert item["outcome_point"]["date"] == timezone.localdate(point.outcome.roundtable.starts_at)


def test_evidence_keeps_staffs_order(sport_survey, analyst):
    campaign = sport_survey.campaign
    [point] = add_outcome_points(campaign, analyst, ["Punt"])
    coding = mark_quote(campaign, submit_open_answer(sport_survey, "Citaat"), analyst)
    finding = finding_create(campaign=campaign, title="T", statement="S", user=analyst)
    evidence_add_outcome_point(finding=finding, point_id=point.pk)
    evidence_add_question(finding=finding, question_id=question(sport_survey, "sport").pk)
    evidence_add_quote(finding=finding, coding_id=coding.pk)

    kinds = [item["kind"] for item in findings_for_report(campaign=campaign)[0]["evidence"]]

    assert kinds == ["outcome_point", "question", "quote"]


def _report_queries(campaign: Campaign) -> int:
    with CaptureQueriesContext(connection) as queries:
        findings_for_report(campaign=campaign)
    return len(queries)


def _add_finding_with_everything(survey: Survey, analyst, index: int) -> None:
    campaign = survey.campaign
    [point] = add_outcome_points(campaign, analyst, [f"Punt {index}"], slug=f"rt-{index}")
    coding = mark_quote(campaign, submit_open_answer(survey, f"Citaat {index}"), analyst)
    finding = finding_create(
        campaign=campaign, title=f"T{index}", statement="S", article_numbers=[12, 3], user=analyst
    )
    evidence_add_question(finding=finding, question_id=question(survey, "sport").pk)
    evidence_add_question(
        finding=finding, question_id=question(survey, "mood").pk, breakdown="age_band"
    )
    evidence_add_quote(finding=finding, coding_id=coding.pk)
    evidence_add_outcome_point(finding=finding, point_id=point.pk)


def test_the_report_takes_as_many_queries_for_ten_findings_as_for_one(sport_survey, analyst):
    _add_finding_with_everything(sport_survey, analyst, 0)
    one = _report_queries(sport_survey.campaign)
    for index in range(1, 10):
        _add_finding_with_everything(sport_survey, analyst, index)

    assert _report_queries(sport_survey.campaign) == one
    assert len(findings_for_report(campaign=sport_survey.campaign)) == 10


# --- The list and the choices --------------------------------------------------------------------


def test_the_list_counts_evidence_in_a_constant_number_of_queries(sport_survey, analyst):
    _add_finding_with_everything(sport_survey, analyst, 0)
    with CaptureQueriesContext(connection) as one:
        [(found, articles)] = [
            (item, [a.code for a in item.articles.all()])
            for item in finding_list(campaign=sport_survey.campaign)
        ]
    for index in range(1, 6):
        _add_finding_with_everything(sport_survey, analyst, index)
    with CaptureQueriesContext(connection) as six:
        listed = [
            (item.evidence_count, [a.code for a in item.articles.all()])
            for item in finding_list(campaign=sport_survey.campaign)
        ]

    assert found.evidence_count == 4
    assert articles == ["3", "12"]
    assert len(six) == len(one) == 2
    assert listed == [(4, ["3", "12"])] * 6


def test_the_choices_are_the_campaigns_closed_questions_quotes_and_outcome_points(survey, analyst):
    campaign = survey.campaign
    coding = mark_quote(campaign, submit_open_answer(survey, "Mijn citaat", age=13), analyst)
    mark_quote(campaign, submit_open_answer(survey, "Ingetrokken"), analyst)
    withdrawn = Answer.objects.get(text_value="Ingetrokken").response
    response_withdraw(code=withdrawn.receipt_code)
    [point] = add_outcome_points(campaign, analyst, ["Een punt"])
    other = make_campaign("ander")
    add_outcome_points(other, analyst, ["Elders"], slug="elders")

    choices = evidence_choices(campaign=campaign)

    keys = [item["key"] for item in choices["questions"]]
    assert "story" not in keys  # open answers are evidence as quotes
    assert keys == ["mood", "sport", "sport_where", "hobbies", "hours", "priorities", "say"]
    mood = choices["questions"][0]
    assert [b["key"] for b in mood["breakdowns"]] == [
        "",
        "age_band",
        "organisation",
        "language",
        "sport",
        "sport_where",
        "say",
    ]
    sport = choices["questions"][1]
    assert "sport" not in [b["key"] for b in sport["breakdowns"]]
    assert mood["breakdowns"][4]["label"] == "Answer to: Question sport"
    assert [(q["id"], q["text"], q["age_band"]) for q in choices["quotes"]] == [
        (coding.pk, "Mijn citaat", "12-14")
    ]
    assert [(p["id"], p["text"]) for p in choices["outcome_points"]] == [(point.pk, "Een punt")]
