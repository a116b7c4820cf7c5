"""GET /api/v1/campaigns/{slug}/ lists the campaign's open surveys."""

import pytest

from consultations.models import CampaignStatus
from surveys.models import SurveyStatus

pytestmark = pytest.mark.django_db


def test_the_campaign_lists_its_open_surveys_in_the_chosen_language(client, survey, make_survey):
    make_survey(survey.campaign, slug="gesloten", status=SurveyStatus.CLOSED)

    body = client.get(f"/api/v1/campaigns/{survey.campaign.slug}/", {"lang": "fr"}).json()

    assert body["surveys"] == [
        {
            "slug": "op-school",
            "title": "À l'école",
            "url": "http://testserver/api/v1/surveys/op-school/",
            "page_url": "http://testserver/s/op-school/",
        }
    ]


def test_a_campaign_past_consulting_lists_none(client, survey, campaign):
    campaign.status = CampaignStatus.ANALYSING
    campaign.save()

    assert client.get(f"/api/v1/campaigns/{campaign.slug}/").json()["surveys"] == []


def test_the_campaign_list_stays_without_surveys(client, survey):
    campaigns = client.get("/api/v1/campaigns/").json()

    assert "surveys" not in campaigns[0]
