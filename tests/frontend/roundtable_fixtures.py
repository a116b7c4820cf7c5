"""Personas and roundtables for the roundtable pages' tests (imported by test_roundtable_* and
test_staff_roundtable_*): an expert, another expert, staff, and a published roundtable.

Roundtables and registrations are made through the roundtables services, as the pages do.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.models import Sector, User
from consultations.models import Campaign, CampaignStatus
from roundtables.models import Registration, Roundtable, RoundtableStatus
from roundtables.services import registration_create, roundtable_create

PASSWORD = "a long and unusual passphrase 7"


@pytest.fixture
def client() -> Client:
    """A visitor who chose English (the language switcher's cookie), so that assertions read
    the msgids; a test may switch with ``in_language``."""
    return in_language(Client(), "en")


def in_language(client: Client, language: str) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def rt_campaign(db) -> Campaign:
    return Campaign.objects.create(
        slug="welzijn-op-school",
        status=CampaignStatus.CONSULTING,
        title_nl="Welzijn op school",
        title_fr="Le bien-être à l'école",
        title_en="Wellbeing at school",
    )


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    """An account with a verified e-mail address (an expert) unless told otherwise."""

    def make(email: str, *, verified: bool = True, **fields) -> User:
        fields.setdefault("sector", Sector.ACADEMIC)
        fields.setdefault("preferred_language", "en")
        user = User.objects.create_user(email=email, password=PASSWORD, **fields)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
        return user

    return make


@pytest.fixture
def expert(make_user) -> User:
    return make_user(
        "sara.peeters@ugent.example",
        full_name="Sara Peeters",
        organisation="Universiteit Gent",
        expertise="Participation of young children",
    )


@pytest.fixture
def other_expert(make_user) -> User:
    return make_user(
        "julien.dubois@fwb.example",
        full_name="Julien Dubois",
        organisation="Fédération Wallonie-Bruxelles",
        sector=Sector.POLICY,
        preferred_language="fr",
    )


@pytest.fixture
def staff(make_user) -> User:
    return make_user(
        "analyst@coalition.example", full_name="Ann Analyst", is_staff=True, sector=Sector.NGO
    )


@pytest.fixture
def make_roundtable(rt_campaign) -> Callable[..., Roundtable]:
    """A published roundtable ten days from now, 14:00 to 17:00 Brussels time, with 2 seats."""

    def make(slug: str = "mental-health", **fields) -> Roundtable:
        day = timezone.localdate() + datetime.timedelta(days=10)
        zone = timezone.get_current_timezone()
        fields.setdefault(
            "starts_at", datetime.datetime.combine(day, datetime.time(14, 0), tzinfo=zone)
        )
        fields.setdefault(
            "ends_at", datetime.datetime.combine(day, datetime.time(17, 0), tzinfo=zone)
        )
        fields.setdefault("title_nl", "Mentaal welzijn van jongeren")
        fields.setdefault("title_en", "Young people's mental health")
        fields.setdefault("description_en", "What schools can do.")
        fields.setdefault("venue", "Kinderrechtenhuis, Brussel")
        fields.setdefault("capacity", 2)
        fields.setdefault("status", RoundtableStatus.PUBLISHED)
        return roundtable_create(campaign=rt_campaign, slug=slug, **fields)

    return make


@pytest.fixture
def roundtable(make_roundtable) -> Roundtable:
    return make_roundtable()


@pytest.fixture
def register() -> Callable[..., Registration]:
    def register(roundtable: Roundtable, user: User, **fields) -> Registration:
        return registration_create(roundtable=roundtable, user=user, **fields)

    return register


def under_way(roundtable: Roundtable) -> Roundtable:
    """Move a roundtable to today, started an hour ago (check-in and outcomes need that)."""
    now = timezone.now()
    Roundtable.objects.filter(pk=roundtable.pk).update(
        starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=2)
    )
    roundtable.refresh_from_db()
    return roundtable
