import pytest
from django.urls import reverse

from consultations.models import InviteLink
from consultations.services import invite_link_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(admin_client, settings):
    settings.STAFF_MFA_REQUIRED = False
    admin_client.cookies["django_language"] = "en"
    return admin_client


@pytest.fixture
def link(campaign, organisation) -> InviteLink:
    return invite_link_create(campaign=campaign, organisation=organisation, label="Groep 3")


def test_the_change_page_shows_the_url_and_the_qr_code(admin, link):
    response = admin.get(reverse("admin:consultations_invitelink_change", args=[link.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="{link.absolute_url()}">' in content
    assert '<svg role="img"' in content
    assert f"<title>QR code for {link.absolute_url()}</title>" in content


def test_a_link_added_in_the_admin_gets_a_code_and_its_organisation_takes_part(
    admin, campaign, organisation
):
    response = admin.post(
        reverse("admin:consultations_invitelink_add"),
        {
            "campaign": campaign.pk,
            "organisation": organisation.pk,
            "label": "Groep 4",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert len(InviteLink.objects.get(label="Groep 4").code) == 8
    assert list(campaign.organisations.all()) == [organisation]


def test_it_refuses_a_new_link_for_a_closed_campaign(admin, make_campaign, organisation):
    closed = make_campaign(slug="closed", status="closed")
    response = admin.post(
        reverse("admin:consultations_invitelink_add"),
        {"campaign": closed.pk, "organisation": organisation.pk, "label": "Groep 4"},
    )
    assert response.status_code == 200
    assert "This campaign is closed; it takes no new invite links." in response.content.decode()
    assert not InviteLink.objects.exists()


def test_a_saved_link_stays_with_its_campaign_and_organisation(
    admin, link, make_campaign, other_organisation
):
    campaign, organisation = link.campaign, link.organisation
    response = admin.post(
        reverse("admin:consultations_invitelink_change", args=[link.pk]),
        {
            "campaign": make_campaign(slug="other").pk,
            "organisation": other_organisation.pk,
            "label": "Groep 3b",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.campaign, link.organisation, link.label) == (campaign, organisation, "Groep 3b")
