"""Writing findings: create, change, delete and order them; attach question results, quotes and
roundtable outcome points of the same campaign, each once; move and remove evidence. Bad input
is refused naming the field, and changes nothing."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction

from analysis.findings import (
    evidence_add_outcome_point,
    evidence_add_question,
    evidence_add_quote,
    evidence_move,
    evidence_remove,
    finding_create,
    finding_delete,
    finding_move,
    finding_reorder,
    finding_update,
)
from analysis.findings_selectors import finding_list
from analysis.models import AnswerCoding, EvidenceKind, Finding, FindingEvidence
from config.exceptions import InvalidInputError, NotFoundError
from roundtables.models import OutcomePoint
from surveys.models import Question
from surveys.services import response_withdraw
from tests.analysis.conftest import make_campaign, submit_open_answer
from tests.analysis.test_findings_selectors import add_outcome_points, mark_quote

pytestmark = pytest.mark.django_db


def refused(field: str, call, **kwargs) -> InvalidInputError:
    with pytest.raises(InvalidInputError) as caught:
        call(**kwargs)
    assert caught.value.field == field, caught.value.message
    return caught.value


@pytest.fixture
def finding(campaign, analyst) -> Finding:
    return finding_create(
        campaign=campaign, title="Inspraak", statement="Kinderen willen meebeslissen.", user=analyst
    )


def question_id(survey, key: str) -> int:
    return Question.objects.get(survey=survey, key=key).pk


# --- Findings ------------------------------------------------------------------------------------


def test_it_creates_a_finding_with_articles_priority_and_its_author(campaign, analyst):
    finding = finding_create(
        campaign=campaign,
        title="  Te   weinig  inspraak ",
        statement="  Kinderen worden niet gehoord.\n\nOp school.  ",
        article_numbers=["12", 3],
        priority="1",
        user=analyst,
    )

    finding.refresh_from_db()
    assert finding.title == "Te weinig inspraak"
    assert finding.statement == "Kinderen worden niet gehoord.\n\nOp school."
    assert finding.priority == 1
    assert finding.created_by == analyst
    assert sorted(article.code for article in finding.articles.all()) == ["12", "3"]


def test_new_findings_come_after_the_others(campaign, analyst):
    first = finding_create(campaign=campaign, title="A", statement="S", user=analyst)
    second = finding_create(campaign=campaign, title="B", statement="S", user=analyst)

    assert second.order > first.order
    assert [f.pk for f in finding_list(campaign=campaign)] == [first.pk, second.pk]


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("title", {"title": "   "}),
        ("title", {"title": "x" * 201}),
        ("title", {"title": 12}),
        ("title", {"title": "nul\x00"}),
        ("statement", {"statement": ""}),
        ("statement", {"statement": "x" * 5001}),
        ("articles", {"article_numbers": [999]}),
        ("articles", {"article_numbers": ["12(9)"]}),
        ("priority", {"priority": 4}),
        ("priority", {"priority": "high"}),
        ("priority", {"priority": True}),
        ("priority", {"priority": None}),
    ],
)
def test_it_refuses_a_bad_finding_naming_the_field(campaign, analyst, field, changes):
    arguments = {
        "campaign": campaign,
        "title": "T",
        "statement": "S",
        "article_numbers": [],
        "priority": 2,
        "user": analyst,
        **changes,
    }

    refused(field, finding_create, **arguments)

    assert not Finding.objects.exists()


def test_it_updates_a_finding_and_keeps_articles_when_given_none(finding, analyst):
    finding_update(
        finding=finding,
        title="Nieuw",
        statement="Anders",
        article_numbers=[12],
        priority=3,
        user=analyst,
    )
    finding_update(
        finding=finding,
        title="Nieuwer",
        statement="Anders",
        article_numbers=None,
        priority=3,
        user=analyst,
    )

    finding.refresh_from_db()
    assert (finding.title, finding.statement, finding.priority) == ("Nieuwer", "Anders", 3)
    assert [article.code for article in finding.articles.all()] == ["12"]


def test_a_refused_update_changes_nothing(finding, analyst):
    refused(
        "statement",
        finding_update,
        finding=finding,
        title="Nieuw",
        statement=" ",
        article_numbers=[12],
        priority=1,
        user=analyst,
    )

    finding.refresh_from_db()
    assert finding.title == "Inspraak"
    assert finding.articles.count() == 0


def test_deleting_a_finding_removes_its_evidence_links_only(survey, finding, analyst):
    coding = mark_quote(survey.campaign, submit_open_answer(survey, "Citaat"), analyst)
    evidence_add_quote(finding=finding, coding_id=coding.pk)
    evidence_add_question(finding=finding, question_id=question_id(survey, "sport"))

    assert finding_delete(finding=finding) == 2

    assert not Finding.objects.exists()
    assert not FindingEvidence.objects.exists()
    assert AnswerCoding.objects.filter(pk=coding.pk, is_quote=True).exists()


def test_it_reorders_the_findings(campaign, analyst):
    a, b, c = (
        finding_create(campaign=campaign, title=title, statement="S", user=analyst)
        for title in "ABC"
    )

    finding_reorder(campaign=campaign, ids=[c.pk, str(a.pk), b.pk])

    assert [f.title for f in finding_list(campaign=campaign)] == ["C", "A", "B"]


@pytest.mark.parametrize("ids", ["missing", "twice", "foreign", "text", "string"])
def test_a_reorder_must_list_every_finding_once(campaign, analyst, ids):
    a, b = (
        finding_create(campaign=campaign, title=title, statement="S", user=analyst)
        for title in "AB"
    )
    foreign = finding_create(
        campaign=make_campaign("ander"), title="X", statement="S", user=analyst
    )
    wanted = {
        "missing": [b.pk],
        "twice": [b.pk, a.pk, b.pk],
        "foreign": [b.pk, a.pk, foreign.pk],
        "text": [b.pk, "a"],
        "string": "12",
    }[ids]

    refused("ids", finding_reorder, campaign=campaign, ids=wanted)

    assert [f.title for f in finding_list(campaign=campaign)] == ["A", "B"]


def test_a_finding_moves_within_its_priority(campaign, analyst):
    a, _b, c = (
        finding_create(campaign=campaign, title=title, statement="S", priority=2, user=analyst)
        for title in "ABC"
    )
    high = finding_create(campaign=campaign, title="H", statement="S", priority=1, user=analyst)

    assert finding_move(finding=c, direction="up") is True
    assert [f.title for f in finding_list(campaign=campaign)] == ["H", "A", "C", "B"]
    # The first of its priority does not jump over a higher one.
    assert finding_move(finding=a, direction="up") is False
    assert finding_move(finding=high, direction="down") is False
    assert [f.title for f in finding_list(campaign=campaign)] == ["H", "A", "C", "B"]
    refused("direction", finding_move, finding=a, direction="sideways")


# --- Evidence ------------------------------------------------------------------------------------


def test_it_attaches_a_questions_results_overall_and_broken_down(survey, analyst):
    finding = finding_create(campaign=survey.campaign, title="T", statement="S", user=analyst)

    overall = evidence_add_question(
        finding=finding, question_id=str(question_id(survey, "mood")), note=" Opvallend "
    )
    by_band = evidence_add_question(
        finding=finding, question_id=question_id(survey, "mood"), breakdown="age_band"
    )
    by_sport = evidence_add_question(
        finding=finding, question_id=question_id(survey, "mood"), breakdown="sport"
    )

    assert (overall.kind, overall.breakdown, overall.note) == (
        EvidenceKind.QUESTION,
        "",
        "Opvallend",
    )
    assert (by_band.breakdown, by_sport.breakdown) == ("age_band", "sport")
    assert [overall.order, by_band.order, by_sport.order] == [0, 1, 2]


@pytest.mark.parametrize(
    ("field", "key", "breakdown"),
    [
        ("question", "story", ""),  # open answers are quotes
        ("breakdown", "mood", "hobbies"),  # not single-choice
        ("breakdown", "mood", "postcode"),
        ("breakdown", "sport", "sport"),  # by itself
        ("breakdown", "mood", 7),
    ],
)
def test_it_refuses_a_question_it_cannot_show(survey, analyst, field, key, breakdown):
    finding = finding_create(campaign=survey.campaign, title="T", statement="S", user=analyst)

    refused(
        field,
        evidence_add_question,
        finding=finding,
        question_id=question_id(survey, key),
        breakdown=breakdown,
    )

    assert not FindingEvidence.objects.exists()


@pytest.mark.parametrize("value", [0, -1, "abc", None, True, 2**70, "999999"])
def test_it_refuses_an_unknown_question(survey, analyst, value):
    finding = finding_create(campaign=survey.campaign, title="T", statement="S", user=analyst)

    refused("question", evidence_add_question, finding=finding, question_id=value)


def test_it_refuses_a_question_of_another_campaign(survey, analyst):
    other = make_campaign("ander")
    finding = finding_create(campaign=other, title="T", statement="S", user=analyst)

    refused(
        "question", evidence_add_question, finding=finding, question_id=question_id(survey, "mood")
    )


def test_the_same_results_twice_are_refused(survey, analyst):
    finding = finding_create(campaign=survey.campaign, title="T", statement="S", user=analyst)
    evidence_add_question(finding=finding, question_id=question_id(survey, "mood"))

    error = refused(
        "breakdown", evidence_add_question, finding=finding, question_id=question_id(survey, "mood")
    )

    assert "already" in error.message
    assert FindingEvidence.objects.count() == 1


def test_the_database_also_refuses_the_same_results_twice(survey, analyst):
    finding = finding_create(campaign=survey.campaign, title="T", statement="S", user=analyst)
    mood = Question.objects.get(survey=survey, key="mood")
    FindingEvidence.objects.create(finding=finding, kind=EvidenceKind.QUESTION, question=mood)

    with pytest.raises(IntegrityError), transaction.atomic():
        FindingEvidence.objects.create(finding=finding, kind=EvidenceKind.QUESTION, question=mood)


def test_it_attaches_a_quote_of_the_campaign_once(survey, analyst):
    coding = mark_quote(survey.campaign, submit_open_answer(survey, "Citaat"), analyst)
    finding = finding_create(campaign=survey.campaign, title="T", statement="S", user=analyst)

    evidence = evidence_add_quote(finding=finding, coding_id=str(coding.pk), note="Mooi")

    assert (evidence.kind, evidence.quote_id, evidence.note) == ("quote", coding.pk, "Mooi")
    refused("quote", evidence_add_quote, finding=finding, coding_id=coding.pk)
    assert FindingEvidence.objects.count() == 1


def test_it_refuses_codings_that_are_not_usable_quotes(survey, analyst):
    campaign = survey.campaign
    finding = finding_create(campaign=campaign, title="T", statement="S", user=analyst)
    not_a_quote = mark_quote(campaign, submit_open_answer(survey, "Gewoon"), analyst)
    AnswerCoding.objects.filter(pk=not_a_quote.pk).update(is_quote=False)
    withdrawn_answer = submit_open_answer(survey, "Ingetrokken")
    withdrawn = mark_quote(campaign, withdrawn_answer, analyst)
    response_withdraw(code=withdrawn_answer.response.receipt_code)
    other = make_campaign("ander")
    elsewhere = finding_create(campaign=other, title="T", statement="S", user=analyst)
    quote = mark_quote(campaign, submit_open_answer(survey, "Citaat"), analyst)

    for coding_id in (not_a_quote.pk, withdrawn.pk, 0, "x", None):
        refused("quote", evidence_add_quote, finding=finding, coding_id=coding_id)
    refused("quote", evidence_add_quote, finding=elsewhere, coding_id=quote.pk)
    assert not FindingEvidence.objects.exists()


def test_it_attaches_an_outcome_point_of_the_campaign_once(campaign, analyst):
    [point] = add_outcome_points(campaign, analyst, ["Leerlingenraden"])
    [foreign] = add_outcome_points(make_campaign("ander"), analyst, ["Elders"], slug="elders")
    finding = finding_create(campaign=campaign, title="T", statement="S", user=analyst)

    evidence = evidence_add_outcome_point(finding=finding, point_id=point.pk)

    assert (evidence.kind, evidence.outcome_point_id) == ("outcome_point", point.pk)
    refused("outcome_point", evidence_add_outcome_point, finding=finding, point_id=point.pk)
    refused("outcome_point", evidence_add_outcome_point, finding=finding, point_id=foreign.pk)
    refused("outcome_point", evidence_add_outcome_point, finding=finding, point_id="-3")
    assert FindingEvidence.objects.count() == 1


def test_a_note_is_plain_text_of_limited_length(campaign, analyst):
    [point] = add_outcome_points(campaign, analyst, ["Punt"])
    finding = finding_create(campaign=campaign, title="T", statement="S", user=analyst)

    refused("note", evidence_add_outcome_point, finding=finding, point_id=point.pk, note="x" * 2001)
    refused("note", evidence_add_outcome_point, finding=finding, point_id=point.pk, note=["x"])
    assert not FindingEvidence.objects.exists()


def test_evidence_moves_up_and_down_and_is_removed(survey, analyst):
    campaign = survey.campaign
    points = add_outcome_points(campaign, analyst, ["Een", "Twee", "Drie"])
    finding = finding_create(campaign=campaign, title="T", statement="S", user=analyst)
    one, two, three = (
        evidence_add_outcome_point(finding=finding, point_id=point.pk) for point in points
    )

    def texts() -> list[str]:
        return [
            item.outcome_point.text
            for item in FindingEvidence.objects.filter(finding=finding).order_by("order", "pk")
        ]

    assert evidence_move(evidence=three, direction="up") is True
    assert texts() == ["Een", "Drie", "Twee"]
    assert evidence_move(evidence=one, direction="up") is False
    assert evidence_move(evidence=two, direction="down") is False
    refused("direction", evidence_move, evidence=one, direction="left")

    evidence_remove(evidence=three)

    assert texts() == ["Een", "Twee"]
    assert OutcomePoint.objects.count() == 3
    with pytest.raises(NotFoundError):
        evidence_move(evidence=three, direction="down")


# --- The admin keeps the same rules --------------------------------------------------------------


def test_the_admin_refuses_the_same_evidence_twice_with_a_message(
    client, django_user_model, survey, finding
):
    admin_user = django_user_model.objects.create_superuser(
        email="admin@coalition.example", password="x" * 20
    )
    client.force_login(admin_user)
    mood = Question.objects.get(survey=survey, key="mood")
    evidence = evidence_add_question(finding=finding, question_id=mood.pk)
    row = {"order": "0", "kind": "question", "question": str(mood.pk), "breakdown": "", "note": ""}
    data = {
        "title": finding.title,
        "statement": finding.statement,
        "priority": "2",
        "order": "0",
        "evidence-TOTAL_FORMS": "2",
        "evidence-INITIAL_FORMS": "1",
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "1000",
        **{f"evidence-0-{key}": value for key, value in row.items()},
        "evidence-0-id": str(evidence.pk),
        "evidence-0-finding": str(finding.pk),
        **{f"evidence-1-{key}": value for key, value in row.items()},
        "evidence-1-finding": str(finding.pk),
    }

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(f"/admin/analysis/finding/{finding.pk}/change/", data)

    assert response.status_code == 200
    assert "The same evidence is listed twice." in response.content.decode()
    assert FindingEvidence.objects.count() == 1
