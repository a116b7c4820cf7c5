"""A campaign refuses settings that would break its promises, in forms and in the database."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from consultations.models import Campaign

pytestmark = pytest.mark.django_db


def errors_of(campaign: Campaign) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        campaign.full_clean()
    return raised.value.message_dict


def valid_campaign(**fields) -> Campaign:
    return Campaign(slug="thema", title_nl="Thema", **fields)


def test_a_campaign_with_the_defaults_is_valid():
    campaign = valid_campaign()
    campaign.full_clean()
    assert campaign.languages == ["nl", "fr", "en"]
    assert campaign.min_cell_size == 10


def test_it_refuses_a_minimum_cell_size_of_4():
    assert errors_of(valid_campaign(min_cell_size=4)) == {
        "min_cell_size": ["The minimum cell size must be at least 5."]
    }


def test_it_accepts_a_minimum_cell_size_of_5():
    valid_campaign(min_cell_size=5).full_clean()


def test_the_database_refuses_a_minimum_cell_size_of_4():
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.create(slug="thema", title_nl="Thema", min_cell_size=4)


def test_it_refuses_an_unknown_language_and_names_the_offered_ones():
    assert errors_of(valid_campaign(languages=["nl", "de"])) == {
        "languages": ["Unknown language 'de'; offered languages are nl, fr, en."]
    }


def test_it_refuses_a_campaign_without_languages():
    assert errors_of(valid_campaign(languages=[])) == {
        "languages": ["Choose at least one language."]
    }


def test_it_refuses_a_language_listed_twice():
    assert errors_of(valid_campaign(languages=["nl", "fr", "nl"])) == {
        "languages": ["Language 'nl' is listed more than once."]
    }


@pytest.mark.parametrize("value", ["nl", {"nl": True}, [1]])
def test_it_refuses_languages_that_are_not_a_list_of_codes(value):
    assert "languages" in errors_of(valid_campaign(languages=value))


def test_it_refuses_an_end_before_the_start():
    campaign = valid_campaign(
        starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 2, 28)
    )
    assert errors_of(campaign) == {"ends_on": ["A campaign cannot end before it starts."]}


def test_the_database_refuses_an_end_before_the_start():
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.create(
            slug="thema",
            title_nl="Thema",
            starts_on=datetime.date(2026, 3, 1),
            ends_on=datetime.date(2026, 2, 28),
        )


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [
        (datetime.date(2026, 3, 1), datetime.date(2026, 3, 1)),
        (datetime.date(2026, 3, 1), None),
        (None, datetime.date(2026, 3, 1)),
    ],
)
def test_a_one_day_or_open_ended_campaign_is_fine(starts_on, ends_on):
    valid_campaign(starts_on=starts_on, ends_on=ends_on).full_clean()
    Campaign.objects.create(slug="thema", title_nl="Thema", starts_on=starts_on, ends_on=ends_on)


def test_a_dutch_title_is_required():
    assert "title_nl" in errors_of(Campaign(slug="thema", title_en="Theme"))


def test_a_new_campaign_starts_as_a_draft():
    assert errors_of(valid_campaign(status="consulting")) == {
        "status": ["A new campaign starts as a draft."]
    }
