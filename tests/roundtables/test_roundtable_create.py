"""roundtables.services.roundtable_create, and the rules the database holds."""

import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from config.exceptions import InvalidInputError
from roundtables.models import Registration, RegistrationStatus, Roundtable, RoundtableStatus
from roundtables.services import registration_create

pytestmark = pytest.mark.django_db

LATER = timezone.now() + datetime.timedelta(days=5)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"capacity": 0}, "capacity"),
        ({"ends_at": LATER - datetime.timedelta(hours=1)}, "ends_at"),
        ({"venue": "", "online_url": ""}, "venue"),
        ({"online_url": "not a link"}, "online_url"),
        ({"target_sectors": ["astrology"]}, "target_sectors"),
        ({"questions": [{"key": "x", "kind": "essay", "label_nl": "X"}]}, "questions"),
        (
            {
                "registration_opens_at": LATER - datetime.timedelta(days=1),
                "registration_closes_at": LATER - datetime.timedelta(days=2),
            },
            "registration_closes_at",
        ),
    ],
)
def test_it_refuses_a_roundtable_that_does_not_hold_together(make_roundtable, fields, field):
    with pytest.raises(InvalidInputError) as raised:
        make_roundtable(starts_at=LATER, **fields)
    assert raised.value.field == field
    assert not Roundtable.objects.exists()


def test_a_draft_may_still_lack_a_place(make_roundtable):
    draft = make_roundtable(status=RoundtableStatus.DRAFT, venue="", online_url="")

    assert draft.pk


def test_a_taken_slug_is_refused(make_roundtable):
    make_roundtable(slug="school")

    with pytest.raises(InvalidInputError) as raised:
        make_roundtable(slug="school")
    assert raised.value.field == "slug"


def test_the_database_refuses_a_roundtable_without_seats(roundtable):
    with pytest.raises(IntegrityError):
        Roundtable.objects.filter(pk=roundtable.pk).update(capacity=0)


def test_the_database_refuses_an_end_before_the_start(roundtable):
    with pytest.raises(IntegrityError):
        Roundtable.objects.filter(pk=roundtable.pk).update(ends_at=roundtable.starts_at)


def test_the_database_refuses_a_second_active_registration_even_around_the_service(
    roundtable, expert
):
    first = registration_create(roundtable=roundtable, user=expert)

    with pytest.raises(IntegrityError):
        Registration.objects.create(
            roundtable=roundtable,
            user=expert,
            status=RegistrationStatus.WAITLISTED,
            sequence=first.sequence + 1,
            sector="academic",
        )
