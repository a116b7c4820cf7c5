"""GET /api/v1/campaigns/{slug}/findings/: a campaign's findings with their evidence, for staff
only; question numbers are the suppressed snapshot's (null when hidden)."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings

from analysis.findings import (
    evidence_add_outcome_point,
    evidence_add_question,
    evidence_add_quote,
    finding_create,
)
from tests.analysis.conftest import submit_open_answer
from tests.analysis.test_findings_selectors import (
    add_outcome_points,
    answer_sport_survey,
    mark_quote,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_two_step_verification(settings):
    settings.STAFF_MFA_REQUIRED = False


def url(campaign) -> str:
    return f"/api/v1/campaigns/{campaign.slug}/findings/"


@pytest.fixture
def sport_survey(survey):
    return answer_sport_survey(survey)


@pytest.fixture
def finding(sport_survey, analyst):
    campaign = sport_survey.campaign
    finding = finding_create(
        campaign=campaign,
        title="Sport op school",
        statement="De meesten voetballen.",
        article_numbers=[31],
        priority=1,
        user=analyst,
    )
    sport = sport_survey.questions.get(key="sport")
    mood = sport_survey.questions.get(key="mood")
    evidence_add_question(finding=finding, question_id=sport.pk, note="Voetbal wint")
    evidence_add_question(finding=finding, question_id=mood.pk, breakdown="age_band")
    answer = submit_open_answer(sport_survey, "Meer sport!", age=13, language="nl")
    coding = mark_quote(campaign, answer, analyst, ["Sport"])
    evidence_add_quote(finding=finding, coding_id=coding.pk)
    [point] = add_outcome_points(campaign, analyst, ["Sportvelden openstellen"])
    evidence_add_outcome_point(finding=finding, point_id=point.pk)
    return finding


def test_staff_get_the_findings_with_their_evidence_and_suppressed_numbers(
    client, finding, analyst
):
    client.force_login(analyst)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(url(finding.campaign))

    assert response.status_code == 200
    [body] = response.json()
    assert body["id"] == finding.pk
    assert body["title"] == "Sport op school"
    assert body["priority"] == 1
    assert body["priority_label"] == "High"
    assert [article["code"] for article in body["articles"]] == ["31"]
    assert body["articles"][0]["cluster_id"]
    sport, mood, quote, point = body["evidence"]
    assert sport["kind"] == "question"
    assert sport["note"] == "Voetbal wint"
    assert sport["question"]["n"] == 20
    assert sport["question"]["breakdown"] is None
    assert [
        (cell["value"], cell["count"], cell["suppressed"])
        for cell in sport["question"]["results"]["results"]["counts"]
    ] == [("football", 12, False), ("swimming", None, True), ("dance", None, True)]
    assert mood["question"]["breakdown"] == "age_band"
    groups = {group["label"]: group for group in mood["question"]["groups"]}
    assert groups["6-8"] == {
        "key": groups["6-8"]["key"],
        "label": "6-8",
        "n": None,
        "suppressed": True,
        "results": None,
    }
    assert groups["12-14"]["n"] == 8
    assert quote["quote"]["text"] == "Meer sport!"
    assert quote["quote"]["codes"] == ["Sport"]
    assert "question" not in quote
    assert point["outcome_point"]["text"] == "Sportvelden openstellen"
    assert point["outcome_point"]["date"]


def test_a_campaign_without_findings_gives_an_empty_list(client, campaign, analyst):
    client.force_login(analyst)

    response = client.get(url(campaign))

    assert response.status_code == 200
    assert response.json() == []


def test_an_unknown_campaign_is_404(client, analyst):
    client.force_login(analyst)

    response = client.get("/api/v1/campaigns/bestaat-niet/findings/")

    assert response.status_code == 404
    assert response.json()["detail"]


def test_anonymous_visitors_and_non_staff_are_refused(client, finding, django_user_model):
    anonymous = client.get(url(finding.campaign))
    member = django_user_model.objects.create_user(email="lid@example.org", password="x" * 20)
    client.force_login(member)
    signed_in = client.get(url(finding.campaign))

    assert anonymous.status_code in (401, 403)
    assert signed_in.status_code == 403
    assert "Sport op school" not in signed_in.content.decode()


def test_staff_without_two_step_verification_are_refused_when_it_is_required(
    client, finding, analyst, settings
):
    settings.STAFF_MFA_REQUIRED = True
    client.force_login(analyst)

    refused = client.get(url(finding.campaign))
    Authenticator.objects.create(user=analyst, type=Authenticator.Type.TOTP, data={})
    allowed = client.get(url(finding.campaign))

    assert refused.status_code == 403
    assert allowed.status_code == 200


def test_writes_are_not_allowed(client, finding, analyst):
    client.force_login(analyst)

    response = client.post(url(finding.campaign), {"title": "X"}, content_type="application/json")

    assert response.status_code == 405
