"""Survey.is_open: young people can answer now."""

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.models import CampaignStatus
from surveys.models import SurveyStatus

pytestmark = pytest.mark.django_db


def test_an_open_survey_of_a_consulting_campaign_is_open(make_survey, campaign):
    assert make_survey(campaign).is_open()


@pytest.mark.parametrize("status", [SurveyStatus.DRAFT, SurveyStatus.CLOSED])
def test_a_draft_or_closed_survey_is_not_open(make_survey, campaign, status):
    assert not make_survey(campaign, status=status).is_open()


@pytest.mark.parametrize(
    "campaign_status",
    [
        CampaignStatus.DRAFT,
        CampaignStatus.ANALYSING,
        CampaignStatus.REPORTING,
        CampaignStatus.CLOSED,
    ],
)
def test_it_is_open_only_while_its_campaign_consults(make_survey, campaign, campaign_status):
    survey = make_survey(campaign)
    campaign.status = campaign_status

    assert not survey.is_open()


def test_it_opens_at_opens_at_and_closes_at_closes_at(make_survey, campaign):
    start = timezone.now()
    survey = make_survey(campaign, opens_at=start, closes_at=start + timedelta(hours=2))

    assert not survey.is_open(now=start - timedelta(seconds=1))
    assert survey.is_open(now=start)
    assert survey.is_open(now=start + timedelta(hours=2) - timedelta(seconds=1))
    assert not survey.is_open(now=start + timedelta(hours=2))
