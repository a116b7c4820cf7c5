"""surveys.selectors.survey_get_public: published surveys only."""

import datetime

import pytest
from django.utils import timezone

from config.exceptions import NotFoundError
from consultations.models import CampaignStatus
from surveys.models import Survey, SurveyStatus
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


def _values(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


def test_it_reads_what_the_orm_reads(make_survey, make_campaign):
    """One hand-written statement (config.rows), and yet the same survey and campaign as the ORM
    gives: dates as aware datetimes, the campaign's languages as a list, every field."""
    campaign = make_campaign(slug="talen", languages=["fr", "nl"])
    make_survey(campaign, slug="publiek", closes_at=timezone.now() + datetime.timedelta(days=3))
    expected = Survey.objects.select_related("campaign").get(slug="publiek")

    found = survey_get_public(slug="publiek")

    assert _values(found) == _values(expected)
    assert _values(found.campaign) == _values(expected.campaign)
    assert found.campaign.languages == ["fr", "nl"]
    assert found.closes_at.tzinfo is not None
    assert not found._state.adding
    assert found.is_open() == expected.is_open()


def test_an_odd_slug_is_simply_not_found(db):
    with pytest.raises(NotFoundError):
        survey_get_public(slug="x' OR '1'='1")
