"""The age bands of a campaign cover distinct ages between 4 and 25."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from consultations.models import AgeBand

pytestmark = pytest.mark.django_db


def band(campaign, code: str, min_age: int, max_age: int) -> AgeBand:
    return AgeBand(campaign=campaign, code=code, min_age=min_age, max_age=max_age)


def test_it_refuses_a_band_overlapping_a_stored_one(campaign):
    # The campaign has the default bands 6-8, 9-11, 12-14 and 15-17.
    with pytest.raises(ValidationError) as raised:
        band(campaign, "10-12", 10, 12).full_clean()
    assert raised.value.messages == [
        "Age bands 9-11 and 10-12 overlap: ages 10 to 11 would be in both."
    ]


def test_it_accepts_a_band_next_to_the_stored_ones(campaign):
    band(campaign, "18-21", 18, 21).full_clean()


def test_changing_a_band_is_not_an_overlap_with_its_own_stored_self(campaign):
    nine_to_eleven = campaign.age_bands.get(code="9-11")
    nine_to_eleven.easy_read = False
    nine_to_eleven.full_clean()


def test_it_refuses_a_youngest_age_above_the_oldest(campaign):
    with pytest.raises(ValidationError) as raised:
        band(campaign, "x", 20, 19).full_clean()
    assert "The youngest age cannot be above the oldest age." in raised.value.messages


@pytest.mark.parametrize(("min_age", "max_age"), [(3, 5), (24, 26)])
def test_it_refuses_ages_outside_4_to_25(campaign, min_age, max_age):
    campaign.age_bands.all().delete()
    with pytest.raises(ValidationError) as raised:
        band(campaign, "x", min_age, max_age).full_clean()
    assert "Age bands cover ages 4 to 25." in raised.value.messages


@pytest.mark.parametrize(("min_age", "max_age"), [(20, 19), (3, 5), (24, 26)])
def test_the_database_refuses_impossible_ages(campaign, min_age, max_age):
    with pytest.raises(IntegrityError), transaction.atomic():
        band(campaign, "x", min_age, max_age).save()


def test_the_database_refuses_two_bands_with_one_code(campaign):
    with pytest.raises(IntegrityError), transaction.atomic():
        band(campaign, "9-11", 20, 21).save()
