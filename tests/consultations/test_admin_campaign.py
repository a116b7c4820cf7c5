"""Staff edit campaigns in the admin, held to the same rules as the services."""

import html

import pytest
from django.urls import reverse

from consultations.models import Campaign
from consultations.services import invite_link_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(admin_client, settings):
    settings.STAFF_MFA_REQUIRED = False
    admin_client.cookies["django_language"] = "en"
    return admin_client


def change_url(campaign: Campaign) -> str:
    return reverse("admin:consultations_campaign_change", args=[campaign.pk])


def management(prefix: str, total: int, initial: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def band_rows(bands: list[dict], campaign: Campaign | None) -> dict:
    data = {}
    for index, band in enumerate(bands):
        row = {
            "id": band.get("id", ""),
            "campaign": campaign.pk if campaign else "",
            "code": band["code"],
            "min_age": band["min_age"],
            "max_age": band["max_age"],
            "order": band.get("order", index),
        }
        if band.get("easy_read"):
            row["easy_read"] = "on"
        data.update({f"age_bands-{index}-{key}": value for key, value in row.items()})
    return data


def form_data(campaign: Campaign, bands: list[dict] | None = None, **changes) -> dict:
    """What the browser posts for the change form of ``campaign``, with ``changes``."""
    stored = [
        {"id": b.pk, "code": b.code, "min_age": b.min_age, "max_age": b.max_age, "order": b.order}
        for b in (campaign.age_bands.all() if campaign.pk else [])
    ]
    bands = stored if bands is None else bands
    data = {
        "slug": campaign.slug,
        "status": campaign.status,
        "title_nl": campaign.title_nl,
        "title_fr": campaign.title_fr,
        "title_en": campaign.title_en,
        "summary_nl": campaign.summary_nl,
        "summary_fr": campaign.summary_fr,
        "summary_en": campaign.summary_en,
        "starts_on": "",
        "ends_on": "",
        "results_expected_on": "",
        "languages": campaign.languages,
        "min_cell_size": campaign.min_cell_size,
        **management("age_bands", total=len(bands), initial=len(stored)),
        **band_rows(bands, campaign),
        **management("invite_links", total=0, initial=0),
    }
    data.update(changes)
    return data


def test_the_change_form_groups_the_texts_by_language(admin, campaign):
    content = admin.get(change_url(campaign)).content.decode()
    for heading in ("Dutch", "French", "English"):
        assert f">{heading}</h2>" in content
    assert "From Consulting it can go to: Analysing." in content


def test_it_refuses_an_invalid_transition_with_the_reason(admin, campaign):
    response = admin.post(change_url(campaign), form_data(campaign, status="closed"))
    assert response.status_code == 200
    assert (
        "A campaign cannot go from Consulting to Closed; from Consulting it can go to: Analysing."
        in html.unescape(response.content.decode())
    )
    campaign.refresh_from_db()
    assert campaign.status == "consulting"


def test_it_saves_an_allowed_transition(admin, campaign):
    response = admin.post(change_url(campaign), form_data(campaign, status="analysing"))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == "analysing"


def test_it_refuses_a_minimum_cell_size_under_5(admin, campaign):
    response = admin.post(change_url(campaign), form_data(campaign, min_cell_size=4))
    assert response.status_code == 200
    assert "The minimum cell size must be at least 5." in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.min_cell_size == 10


def test_languages_are_chosen_with_checkboxes(admin, campaign):
    content = admin.get(change_url(campaign)).content.decode()
    assert 'type="checkbox" name="languages" value="fr"' in content
    response = admin.post(change_url(campaign), form_data(campaign, languages=["nl", "en"]))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.languages == ["nl", "en"]


def test_a_new_campaign_must_start_as_a_draft(admin, db):
    draft = Campaign(slug="nieuw", title_nl="Nieuw")
    data = form_data(draft, bands=[], status="consulting")
    response = admin.post(reverse("admin:consultations_campaign_add"), data)
    assert response.status_code == 200
    assert "A new campaign starts as a draft." in response.content.decode()
    assert not Campaign.objects.filter(slug="nieuw").exists()


def test_it_refuses_overlapping_age_bands_in_the_inline(admin, draft_campaign):
    bands = [
        {"code": "6-10", "min_age": 6, "max_age": 10},
        {"code": "9-12", "min_age": 9, "max_age": 12},
    ]
    draft_campaign.age_bands.all().delete()
    response = admin.post(change_url(draft_campaign), form_data(draft_campaign, bands=bands))
    assert response.status_code == 200
    assert "Age bands 6-10 and 9-12 overlap: ages 9 to 10 would be in both." in (
        response.content.decode()
    )
    assert not draft_campaign.age_bands.exists()


def test_it_accepts_moving_the_border_between_two_bands_in_one_save(admin, draft_campaign):
    bands = [
        {"id": b.pk, "code": b.code, "min_age": b.min_age, "max_age": b.max_age}
        for b in draft_campaign.age_bands.all()
    ]
    bands[0].update(code="6-9", max_age=9)  # 6-8 becomes 6-9 ...
    bands[1].update(code="10-11", min_age=10)  # ... while 9-11 becomes 10-11
    response = admin.post(change_url(draft_campaign), form_data(draft_campaign, bands=bands))
    assert response.status_code == 302
    assert list(draft_campaign.age_bands.values_list("code", flat=True)) == [
        "6-9",
        "10-11",
        "12-14",
        "15-17",
    ]


def test_age_bands_are_read_only_once_the_campaign_is_published(admin, campaign):
    content = admin.get(change_url(campaign)).content.decode()
    assert 'name="age_bands-0-min_age"' not in content
    assert "9-11" in content


def test_an_invite_link_added_inline_gets_a_code_and_its_organisation_takes_part(
    admin, campaign, organisation
):
    data = form_data(campaign)
    data.update(management("invite_links", total=1, initial=0))
    data.update(
        {
            "invite_links-0-label": "Groep 3",
            "invite_links-0-organisation": organisation.pk,
            "invite_links-0-is_active": "on",
            "invite_links-0-campaign": campaign.pk,
        }
    )
    response = admin.post(change_url(campaign), data)
    assert response.status_code == 302
    link = campaign.invite_links.get()
    assert len(link.code) == 8
    assert list(campaign.organisations.all()) == [organisation]


def test_the_inline_lists_invite_links_with_their_url(admin, campaign, organisation):
    link = invite_link_create(campaign=campaign, organisation=organisation, label="Groep 3")
    assert link.absolute_url() in admin.get(change_url(campaign)).content.decode()
