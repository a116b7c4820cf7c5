"""surveys.selectors.survey_list_open: what a campaign's page offers young people now."""

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.models import CampaignStatus
from surveys.models import SurveyStatus
from surveys.selectors import survey_list_open

pytestmark = pytest.mark.django_db


def test_it_lists_the_open_surveys_within_their_dates(make_survey, campaign):
    now = timezone.now()
    make_survey(campaign, slug="open")
    make_survey(
        campaign, slug="dates", opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1)
    )
    make_survey(campaign, slug="closed", status=SurveyStatus.CLOSED)
    make_survey(campaign, slug="draft", status=SurveyStatus.DRAFT)
    make_survey(campaign, slug="later", opens_at=now + timedelta(days=1))
    make_survey(
        campaign, slug="over", opens_at=now - timedelta(days=3), closes_at=now - timedelta(days=1)
    )

    assert [survey.slug for survey in survey_list_open(campaign=campaign)] == ["open", "dates"]


def test_a_campaign_that_is_not_consulting_has_none(make_survey, campaign):
    make_survey(campaign, slug="open")
    campaign.status = CampaignStatus.ANALYSING

    assert survey_list_open(campaign=campaign) == []
