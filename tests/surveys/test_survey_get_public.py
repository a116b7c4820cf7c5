"""surveys.selectors.survey_get_public: published surveys only."""

import pytest

from config.exceptions import NotFoundError
from consultations.models import CampaignStatus
from surveys.models import SurveyStatus
from surveys.selectors import survey_get_public

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", [SurveyStatus.OPEN, SurveyStatus.CLOSED])
def test_an_open_or_closed_survey_is_public(make_survey, campaign, status):
    make_survey(campaign, slug="publiek", status=status)

    assert survey_get_public(slug="publiek").status == status


def test_the_campaign_comes_loaded(make_survey, campaign, django_assert_num_queries):
    make_survey(campaign, slug="publiek")

    with django_assert_num_queries(1):
        assert survey_get_public(slug="publiek").campaign.slug == campaign.slug


def test_a_draft_survey_is_not_found(make_survey, campaign):
    make_survey(campaign, slug="klad", status=SurveyStatus.DRAFT)

    with pytest.raises(NotFoundError):
        survey_get_public(slug="klad")


def test_a_survey_of_a_draft_campaign_is_not_found(make_survey, make_campaign):
    draft = make_campaign(slug="nog-niet", status=CampaignStatus.DRAFT)
    make_survey(draft, slug="te-vroeg")

    with pytest.raises(NotFoundError):
        survey_get_public(slug="te-vroeg")


def test_an_unknown_slug_is_not_found(db):
    with pytest.raises(NotFoundError):
        survey_get_public(slug="bestaat-niet")
