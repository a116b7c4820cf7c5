import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("age", "code"), [(6, "6-8"), (8, "6-8"), (9, "9-11"), (14, "12-14"), (17, "15-17")]
)
def test_it_finds_the_band_an_age_falls_in(campaign, age, code):
    assert campaign.age_band_for(age).code == code


@pytest.mark.parametrize("age", [5, 18, 0])
def test_an_age_outside_every_band_has_none(campaign, age):
    assert campaign.age_band_for(age) is None


def test_it_uses_prefetched_bands_without_a_query(campaign, django_assert_num_queries):
    campaign = type(campaign).objects.prefetch_related("age_bands").get(pk=campaign.pk)
    with django_assert_num_queries(0):
        assert campaign.age_band_for(10).code == "9-11"
