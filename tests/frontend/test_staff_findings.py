"""The staff findings pages: the list by priority with an add form, a finding's page with its
evidence and the numbers (small ones "not shown"), attaching, moving and removing evidence, and
editing and deleting a finding. Staff only; bad input is a message on the page and changes
nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings

from accounts.models import User
from analysis.coding import answer_coding_save, code_create
from analysis.findings import (
    evidence_add_outcome_point,
    evidence_add_question,
    evidence_add_quote,
    finding_create,
)
from analysis.models import AnswerCoding, Finding, FindingEvidence
from analysis.services import survey_results_refresh
from consultations.models import Campaign, CrcArticle
from roundtables.models import OutcomePoint
from surveys.models import Question, QuestionKind, Survey, SurveyStatus
from tests.analysis.conftest import add_question, make_campaign, submit_open_answer
from tests.analysis.test_findings_selectors import add_outcome_points, submit_many
from tests.frontend.html_checks import parse, text_of
from tests.frontend.test_staff_coding import make_user

pytestmark = pytest.mark.django_db


@dataclass
class World:
    campaign: Campaign
    survey: Survey
    staff: User
    quote: AnswerCoding
    point: OutcomePoint

    @property
    def url(self) -> str:
        return f"/staff/campaigns/{self.campaign.slug}/findings/"

    def finding_url(self, finding: Finding, action: str = "") -> str:
        return f"{self.url}{finding.pk}/" + (f"{action}/" if action else "")

    def question(self, key: str) -> Question:
        return self.survey.questions.get(key=key)


def build_world() -> World:
    """k = 5. 20 young people answered "sport": 12 football, 6 swimming, 2 dance (so dance and
    swimming are hidden); one wrote a story that is a quote; a roundtable has a key point."""
    campaign = make_campaign("welzijn-op-school", min_cell_size=5)
    survey = Survey.objects.create(
        campaign=campaign, slug="op-school", title_nl="Op school", status=SurveyStatus.OPEN
    )
    add_question(survey, "mood", QuestionKind.SCALE)
    add_question(survey, "sport", QuestionKind.SINGLE, options=["football", "swimming", "dance"])
    add_question(survey, "story", QuestionKind.TEXT)
    submit_many(survey, 8, age=13, answers={"sport": "football", "mood": 4})
    submit_many(survey, 4, age=16, answers={"sport": "football", "mood": 5})
    submit_many(survey, 6, age=16, answers={"sport": "swimming", "mood": 2})
    submit_many(survey, 2, age=7, answers={"sport": "dance", "mood": 3})
    staff = make_user("analyst@coalition.example", is_staff=True)
    answer = submit_open_answer(survey, "We willen meer sportvelden.", age=13)
    code = code_create(campaign=campaign, label="Sport", user=staff)
    quote = answer_coding_save(
        answer_id=answer.pk, campaign=campaign, code_ids=[code.pk], is_quote=True, user=staff
    )
    [point] = add_outcome_points(campaign, staff, ["Open de sportvelden na school."])
    survey_results_refresh(survey=survey)
    return World(campaign, survey, staff, quote, point)


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.STAFF_MFA_REQUIRED = False


@pytest.fixture
def client(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.staff)
    return client


@pytest.fixture
def finding(world) -> Finding:
    return finding_create(
        campaign=world.campaign,
        title="Sport na school",
        statement="Jongeren willen meer sporten.",
        article_numbers=[31],
        priority=1,
        user=world.staff,
    )


def add_finding_form(**changes) -> dict:
    return {
        "title": "Te weinig inspraak",
        "statement": "Jongeren worden op school te weinig gehoord.",
        "priority": "1",
        "articles": ["12"],
        **changes,
    }


# --- The list ------------------------------------------------------------------------------------


def test_the_list_shows_findings_by_priority_with_articles_and_evidence_count(
    staff_client, world, finding
):
    low = finding_create(
        campaign=world.campaign, title="Kleinigheid", statement="S", priority=3, user=world.staff
    )
    evidence_add_quote(finding=finding, coding_id=world.quote.pk)
    evidence_add_outcome_point(finding=finding, point_id=world.point.pk)

    response = staff_client.get(world.url)

    assert response.status_code == 200
    text = text_of(response.content)
    assert text.index("Priority: High") < text.index("Sport na school")
    assert text.index("Sport na school") < text.index("Priority: Low")
    assert text.index("Priority: Low") < text.index("Kleinigheid")
    assert "Art. 31" in text
    assert "2 pieces of evidence" in text
    assert "0 pieces of evidence" in text
    links = [a["href"] for a in parse(response.content).find("a")]
    assert world.finding_url(finding) in links
    assert world.finding_url(low) in links
    assert parse(response.content).csp_problems == []


def test_the_open_button_is_a_verb_in_every_language(staff_client, world, finding):
    # "Open" is also a survey's status ("Ouvert", "Open"): the button has a context of its own.
    words = {}
    for language in ("nl", "fr", "en"):
        staff_client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
        html = staff_client.get(world.url).content.decode()
        link = re.search(rf'href="{re.escape(world.finding_url(finding))}">([^<]+)<span', html)
        words[language] = link.group(1)

    assert words == {"nl": "Openen", "fr": "Ouvrir", "en": "Open"}


def test_staff_add_a_finding_and_land_on_its_page(staff_client, world):
    response = staff_client.post(world.url, add_finding_form())

    finding = Finding.objects.get()
    assert response.status_code == 302
    assert response["Location"] == world.finding_url(finding) + "#add-evidence"
    assert finding.title == "Te weinig inspraak"
    assert finding.priority == 1
    assert finding.created_by == world.staff
    assert [article.code for article in finding.articles.all()] == ["12"]
    page = staff_client.get(response["Location"])
    assert "is added" in text_of(page.content)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "This field is required."),
        ({"statement": ""}, "This field is required."),
        ({"priority": "7"}, "Select a valid choice."),
        ({"articles": ["999"]}, "Select a valid choice."),
        ({"title": "x" * 201}, "at most 200 characters"),
    ],
)
def test_a_bad_finding_is_refused_with_a_message_and_nothing_is_added(
    staff_client, world, changes, message
):
    response = staff_client.post(world.url, add_finding_form(**changes))

    assert response.status_code == 400
    assert message in text_of(response.content)
    assert "Please check the fields marked below." in text_of(response.content)
    assert not Finding.objects.exists()


def test_findings_move_up_and_down_within_their_priority(staff_client, world, finding):
    second = finding_create(
        campaign=world.campaign, title="Tweede", statement="S", priority=1, user=world.staff
    )

    response = staff_client.post(world.finding_url(second, "move"), {"direction": "up"})

    assert response.status_code == 302
    assert response["Location"] == f"{world.url}#finding-{second.pk}"
    text = text_of(staff_client.get(world.url).content)
    assert text.index("Tweede") < text.index("Sport na school")
    bad = staff_client.post(
        world.finding_url(second, "move"), {"direction": "sideways"}, follow=True
    )
    assert "Move up or down." in text_of(bad.content)


# --- A finding's page ----------------------------------------------------------------------------


def test_the_finding_page_shows_question_results_with_small_numbers_hidden(
    staff_client, world, finding
):
    evidence_add_question(
        finding=finding, question_id=world.question("sport").pk, note="Voetbal wint."
    )

    response = staff_client.get(world.finding_url(finding))

    assert response.status_code == 200
    page = response.content.decode()
    text = text_of(response.content)
    assert "Sport na school" in text
    assert "Jongeren willen meer sporten." in text
    assert "Art. 31" in text
    assert "Question results: Question sport" in text
    assert "Answered by 20 young people." in text
    assert "Voetbal wint." in text
    table = text_of(
        page.split('class="staff-table evidence-table"')[1].split("</table>")[0].encode()
    )
    assert "football (en) 12 (60%)" in table
    assert "swimming (en) not shown" in table
    assert "dance (en) not shown" in table
    chart = parse(response.content).find("img", class_="result-chart")
    assert chart[0]["src"] == f"/staff/surveys/{world.survey.slug}/results/sport.svg"
    assert staff_client.get(chart[0]["src"]).status_code == 200
    assert parse(response.content).csp_problems == []


def test_a_broken_down_question_shows_a_column_per_group(staff_client, world, finding):
    evidence_add_question(
        finding=finding, question_id=world.question("mood").pk, breakdown="age_band"
    )

    response = staff_client.get(world.finding_url(finding))

    text = text_of(response.content)
    assert "by Age band" in text
    header = parse(response.content).find("th", scope="col")
    assert len(header) == 5  # all, then four bands
    chart = parse(response.content).find("img", class_="result-chart")[0]["src"]
    assert chart.endswith("mood.svg?by=age_band")


def test_the_finding_page_shows_quotes_and_outcome_points(staff_client, world, finding):
    world.point.articles.set(CrcArticle.objects.filter(code="12"))
    evidence_add_quote(finding=finding, coding_id=world.quote.pk)
    evidence_add_outcome_point(finding=finding, point_id=world.point.pk)

    text = text_of(staff_client.get(world.finding_url(finding)).content)

    assert "We willen meer sportvelden." in text
    assert "12-14" in text
    assert "Open de sportvelden na school." in text
    assert "Roundtable rondetafel-1" in text
    assert "Art. 12" in text


def test_staff_attach_each_kind_of_evidence_through_the_forms(staff_client, world, finding):
    url = world.finding_url(finding)
    question = staff_client.post(
        f"{url}evidence/questions/",
        {"q-question": world.question("mood").pk, "q-breakdown": "sport", "q-note": "Blij"},
    )
    quote = staff_client.post(f"{url}evidence/quotes/", {"c-quote": world.quote.pk})
    point = staff_client.post(f"{url}evidence/outcome-points/", {"p-outcome_point": world.point.pk})

    assert [question.status_code, quote.status_code, point.status_code] == [302, 302, 302]
    assert question["Location"] == f"{url}#evidence"
    assert [(e.kind, e.breakdown, e.note) for e in FindingEvidence.objects.order_by("order")] == [
        ("question", "sport", "Blij"),
        ("quote", "", ""),
        ("outcome_point", "", ""),
    ]
    page = staff_client.get(url)
    assert "The evidence is attached." in text_of(page.content)
    # Attached quotes and key points are no longer offered.
    assert not parse(page.content).find("select", name="c-quote")
    assert "No more quotes to attach." in text_of(page.content)


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        ("questions", {"q-question": "", "q-breakdown": ""}, "This field is required."),
        ("questions", {"q-question": "999999", "q-breakdown": ""}, "Select a valid choice."),
        ("questions", {"q-question": "QUESTION", "q-breakdown": "sport"}, "another single-choice"),
        ("questions", {"q-question": "QUESTION", "q-breakdown": "hobbies"}, "Select a valid"),
        ("quotes", {"c-quote": "abc"}, "Select a valid choice."),
        ("outcome-points", {"p-outcome_point": "0"}, "Select a valid choice."),
        ("outcome-points", {"p-outcome_point": "POINT", "p-note": "x" * 2001}, "at most 2000"),
    ],
)
def test_bad_evidence_is_refused_beside_its_field_and_nothing_changes(
    staff_client, world, finding, path, data, message
):
    data = {
        key: str(world.question("sport").pk)
        if value == "QUESTION"
        else str(world.point.pk)
        if value == "POINT"
        else value
        for key, value in data.items()
    }

    response = staff_client.post(f"{world.finding_url(finding)}evidence/{path}/", data)

    assert response.status_code == 400
    text = text_of(response.content)
    assert message in text
    assert "The evidence was not attached" in text
    assert not FindingEvidence.objects.exists()


def test_the_same_evidence_twice_is_refused_with_a_message(staff_client, world, finding):
    url = world.finding_url(finding)
    evidence_add_quote(finding=finding, coding_id=world.quote.pk)
    evidence_add_question(finding=finding, question_id=world.question("mood").pk)

    quote = staff_client.post(f"{url}evidence/quotes/", {"c-quote": world.quote.pk})
    question = staff_client.post(
        f"{url}evidence/questions/", {"q-question": world.question("mood").pk, "q-breakdown": ""}
    )

    assert quote.status_code == question.status_code == 400
    assert "This finding already has this quote." in text_of(quote.content)
    assert "This finding already shows these results." in text_of(question.content)
    assert FindingEvidence.objects.count() == 2


def test_evidence_moves_and_is_removed(staff_client, world, finding):
    url = world.finding_url(finding)
    quote = evidence_add_quote(finding=finding, coding_id=world.quote.pk)
    point = evidence_add_outcome_point(finding=finding, point_id=world.point.pk)

    moved = staff_client.post(f"{url}evidence/{point.pk}/move/", {"direction": "up"})
    order = list(FindingEvidence.objects.order_by("order").values_list("kind", flat=True))
    removed = staff_client.post(f"{url}evidence/{quote.pk}/remove/")

    assert moved.status_code == removed.status_code == 302
    assert order == ["outcome_point", "quote"]
    assert list(FindingEvidence.objects.values_list("pk", flat=True)) == [point.pk]
    assert AnswerCoding.objects.filter(pk=world.quote.pk).exists()
    gone = staff_client.post(f"{url}evidence/{quote.pk}/remove/")
    assert gone.status_code == 404


# --- Edit and delete -----------------------------------------------------------------------------


def test_staff_edit_a_finding(staff_client, world, finding):
    url = world.finding_url(finding, "edit")
    form = staff_client.get(url)
    response = staff_client.post(url, add_finding_form(title="Nieuw", priority="2", articles=[]))

    assert form.status_code == 200
    assert "Sport na school" in text_of(form.content)
    assert response.status_code == 302
    finding.refresh_from_db()
    assert (finding.title, finding.priority, finding.articles.count()) == ("Nieuw", 2, 0)


def test_a_bad_edit_changes_nothing(staff_client, world, finding):
    response = staff_client.post(world.finding_url(finding, "edit"), add_finding_form(title=""))

    assert response.status_code == 400
    assert "This field is required." in text_of(response.content)
    finding.refresh_from_db()
    assert finding.title == "Sport na school"


def test_deleting_asks_first_then_deletes(staff_client, world, finding):
    evidence_add_quote(finding=finding, coding_id=world.quote.pk)
    url = world.finding_url(finding, "delete")

    question = staff_client.get(url)
    assert Finding.objects.exists()
    response = staff_client.post(url, follow=True)

    assert "It has 1 piece of evidence." in text_of(question.content)
    assert not Finding.objects.exists()
    assert "is deleted, with its 1 piece of evidence" in text_of(response.content)
    assert AnswerCoding.objects.filter(pk=world.quote.pk, is_quote=True).exists()


# --- Access --------------------------------------------------------------------------------------


def test_signed_out_visitors_are_sent_to_sign_in_and_non_staff_are_refused(client, world, finding):
    urls = [
        world.url,
        world.finding_url(finding),
        world.finding_url(finding, "edit"),
        world.finding_url(finding, "delete"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    client.force_login(make_user("expert@example.org"))
    for url in urls:
        assert client.get(url).status_code == 403
    posted = client.post(world.url, add_finding_form())
    assert posted.status_code == 403
    assert Finding.objects.count() == 1


def test_unknown_campaigns_findings_and_findings_of_another_campaign_are_404(
    staff_client, world, finding
):
    other = make_campaign("ander")
    foreign = finding_create(campaign=other, title="Elders", statement="S", user=world.staff)

    assert staff_client.get("/staff/campaigns/bestaat-niet/findings/").status_code == 404
    assert staff_client.get(f"{world.url}999999999/").status_code == 404
    assert staff_client.get(f"{world.url}{2**70}/").status_code == 404
    assert staff_client.get(world.finding_url(foreign)).status_code == 404
    assert staff_client.post(world.finding_url(foreign, "delete")).status_code == 404
    assert Finding.objects.filter(pk=foreign.pk).exists()


def test_the_results_pages_link_to_the_findings(staff_client, world):
    response = staff_client.get(f"/staff/surveys/{world.survey.slug}/results/")

    links = [a["href"] for a in parse(response.content).find("a")]
    assert world.url in links
