"""People and campaigns the consultations tests are written around."""

from collections.abc import Callable, Iterator

import pytest
from django.utils import translation

from consultations.models import Campaign, CampaignStatus, MemberOrganisation
from consultations.services import campaign_create, member_organisation_create


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Messages are asserted in English, whatever catalogue is compiled."""
    with translation.override("en"):
        yield


@pytest.fixture
def make_campaign(db) -> Callable[..., Campaign]:
    """A campaign made by the service, then put in ``status`` directly (no phase walk)."""

    def make(slug: str = "school", status: str = CampaignStatus.CONSULTING, **fields) -> Campaign:
        fields.setdefault("title_nl", f"Campagne {slug}")
        campaign = campaign_create(slug=slug, **fields)
        Campaign.objects.filter(pk=campaign.pk).update(status=status)
        campaign.refresh_from_db()
        return campaign

    return make


@pytest.fixture
def campaign(make_campaign) -> Campaign:
    return make_campaign(
        slug="welzijn-op-school",
        title_nl="Hoe gaat het op school?",
        title_fr="Comment ça va à l'école ?",
        title_en="How is school?",
        summary_nl="Vertel het ons.",
        summary_fr="Dis-le nous.",
        summary_en="Tell us.",
    )


@pytest.fixture
def draft_campaign(make_campaign) -> Campaign:
    return make_campaign(slug="nog-niet-klaar", status=CampaignStatus.DRAFT)


@pytest.fixture
def organisation(db) -> MemberOrganisation:
    return member_organisation_create(name="Chiro Gent")


@pytest.fixture
def other_organisation(db) -> MemberOrganisation:
    return member_organisation_create(name="Scouts Leuven")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(email="staff@example.org", is_staff=True)


@pytest.fixture
def coordinator(django_user_model, organisation):
    user = django_user_model.objects.create_user(email="coordinator@example.org")
    organisation.coordinators.add(user)
    return user


@pytest.fixture
def expert(django_user_model):
    return django_user_model.objects.create_user(email="expert@example.org")
