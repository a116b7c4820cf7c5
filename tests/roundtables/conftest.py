"""Personas and roundtables the roundtables tests are written around.

Times are relative to the real clock (the API has no other); services take ``now`` where a test
needs to stand at a precise moment.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.utils import timezone, translation

from accounts.models import User
from consultations.models import Campaign, CampaignStatus
from consultations.services import campaign_create
from roundtables.models import Roundtable, RoundtableStatus
from roundtables.services import roundtable_create
from tests.roundtables.helpers import in_english


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Messages are asserted in English, whatever catalogue is compiled."""
    with translation.override("en"):
        yield


@pytest.fixture
def client() -> Client:
    return in_english(Client())


@pytest.fixture
def campaign(db) -> Campaign:
    campaign = campaign_create(
        slug="welzijn-op-school",
        title_nl="Hoe gaat het op school?",
        title_fr="Comment ça va à l'école ?",
        title_en="How is school?",
    )
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.CONSULTING)
    campaign.refresh_from_db()
    return campaign


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    """An account; by default an expert (verified e-mail address) writing in English."""

    def make(
        email: str = "expert@example.org",
        *,
        verified: bool = True,
        preferred_language: str = "en",
        **fields,
    ) -> User:
        fields.setdefault("sector", "academic")
        fields.setdefault("organisation", "University of Ghent")
        user = User.objects.create_user(
            email=email, password="not-under-test", preferred_language=preferred_language, **fields
        )
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
        return user

    return make


@pytest.fixture
def expert(make_user) -> User:
    return make_user("eva@example.org", full_name="Eva Expert")


@pytest.fixture
def other_expert(make_user) -> User:
    return make_user("otto@example.org", full_name="Otto Other")


@pytest.fixture
def staff(make_user) -> User:
    return make_user("staff@coalition.example", is_staff=True, full_name="Sara Staff")


@pytest.fixture
def make_roundtable(campaign) -> Callable[..., Roundtable]:
    """A published roundtable a week from now, three seats, in a room in Brussels."""
    counter = iter(range(1, 1000))

    def make(**fields) -> Roundtable:
        number = next(counter)
        starts_at = fields.pop("starts_at", timezone.now() + datetime.timedelta(days=7))
        fields.setdefault("slug", f"rondetafel-{number}")
        fields.setdefault("title_nl", f"Rondetafel {number}")
        fields.setdefault("title_fr", f"Table ronde {number}")
        fields.setdefault("title_en", f"Roundtable {number}")
        fields.setdefault("ends_at", starts_at + datetime.timedelta(hours=3))
        fields.setdefault("capacity", 3)
        fields.setdefault("venue", "Koningsstraat 10, 1000 Brussel")
        fields.setdefault("status", RoundtableStatus.PUBLISHED)
        return roundtable_create(
            campaign=fields.pop("campaign", campaign), starts_at=starts_at, **fields
        )

    return make


@pytest.fixture
def roundtable(make_roundtable) -> Roundtable:
    return make_roundtable()
