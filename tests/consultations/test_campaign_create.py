import datetime

import pytest

from config.exceptions import InvalidInputError
from consultations.models import Campaign, CampaignStatus
from consultations.services import campaign_create

pytestmark = pytest.mark.django_db


def refusal(**fields) -> InvalidInputError:
    fields.setdefault("slug", "thema")
    fields.setdefault("title_nl", "Thema")
    before = Campaign.objects.count()
    with pytest.raises(InvalidInputError) as raised:
        campaign_create(**fields)
    assert Campaign.objects.count() == before
    return raised.value


def test_it_creates_a_draft_with_the_default_age_bands():
    campaign = campaign_create(slug="thema", title_nl="Thema")
    assert campaign.status == CampaignStatus.DRAFT
    assert not campaign.is_published
    assert [
        (band.code, band.min_age, band.max_age, band.easy_read) for band in campaign.age_bands.all()
    ] == [
        ("6-8", 6, 8, True),
        ("9-11", 9, 11, True),
        ("12-14", 12, 14, False),
        ("15-17", 15, 17, False),
    ]


def test_it_stores_the_given_settings(organisation):
    campaign = campaign_create(
        slug="thema",
        title_nl="Thema",
        title_fr="Thème",
        summary_en="About",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 6, 30),
        languages=["nl", "fr"],
        min_cell_size=5,
        theme_articles=["12", "6(2)"],
        organisations=[organisation],
        age_bands=[{"min_age": 10, "max_age": 13}, {"min_age": 14, "max_age": 18}],
    )
    campaign.refresh_from_db()
    assert campaign.languages == ["nl", "fr"]
    assert campaign.min_cell_size == 5
    assert sorted(campaign.theme_articles.values_list("code", flat=True)) == ["12", "6(2)"]
    assert list(campaign.organisations.all()) == [organisation]
    assert list(campaign.age_bands.values_list("code", "order")) == [("10-13", 0), ("14-18", 1)]


def test_an_empty_list_of_age_bands_gives_a_campaign_without_bands():
    assert not campaign_create(slug="thema", title_nl="Thema", age_bands=[]).age_bands.exists()


def test_it_refuses_overlapping_age_bands():
    error = refusal(age_bands=[{"min_age": 6, "max_age": 10}, {"min_age": 9, "max_age": 12}])
    assert error.field == "age_bands"
    assert error.message == "Age bands 6-10 and 9-12 overlap: ages 9 to 10 would be in both."


def test_it_refuses_an_age_band_outside_4_to_25():
    error = refusal(age_bands=[{"code": "baby", "min_age": 0, "max_age": 3}])
    assert (error.field, error.message) == ("age_bands", "baby: Age bands cover ages 4 to 25.")


def test_it_refuses_an_age_band_without_ages():
    assert refusal(age_bands=[{"code": "kids"}]).field == "age_bands"


def test_it_refuses_an_unknown_language():
    error = refusal(languages=["nl", "de"])
    assert error.field == "languages"
    assert error.message == "Unknown language 'de'; offered languages are nl, fr, en."


def test_it_refuses_a_minimum_cell_size_under_5():
    error = refusal(min_cell_size=4)
    assert (error.field, error.message) == (
        "min_cell_size",
        "The minimum cell size must be at least 5.",
    )


def test_it_refuses_a_slug_in_use(campaign):
    assert refusal(slug=campaign.slug).field == "slug"


def test_it_refuses_an_unknown_article():
    error = refusal(theme_articles=["12", "99"])
    assert (error.field, error.message) == ("theme_articles", "Unknown UNCRC article '99'.")


def test_it_refuses_an_end_before_the_start():
    error = refusal(starts_on=datetime.date(2026, 2, 1), ends_on=datetime.date(2026, 1, 1))
    assert (error.field, error.message) == ("ends_on", "A campaign cannot end before it starts.")
