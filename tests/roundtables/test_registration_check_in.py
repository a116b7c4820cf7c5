"""roundtables.services.registration_check_in: staff mark who came, on the day."""

import datetime

import pytest

from config.exceptions import ConflictError, NotAllowedError
from roundtables.models import RegistrationStatus
from roundtables.selectors import roundtable_get
from roundtables.services import registration_check_in, registration_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def seat(roundtable, expert):
    return registration_create(roundtable=roundtable, user=expert)


def on_the_day(roundtable):
    return roundtable.starts_at + datetime.timedelta(minutes=5)


def test_staff_mark_someone_as_present_on_the_day(seat, staff, roundtable):
    registration_check_in(registration=seat, attended=True, by=staff, now=on_the_day(roundtable))

    seat.refresh_from_db()
    assert seat.status == RegistrationStatus.ATTENDED
    assert seat.checked_in_at == on_the_day(roundtable)


def test_a_mistake_is_corrected_by_checking_in_the_other_way(seat, staff, roundtable):
    moment = on_the_day(roundtable)
    registration_check_in(registration=seat, attended=True, by=staff, now=moment)
    registration_check_in(registration=seat, attended=False, by=staff, now=moment)

    seat.refresh_from_db()
    assert seat.status == RegistrationStatus.NO_SHOW


def test_a_checked_in_person_still_holds_the_seat(seat, staff, roundtable):
    registration_check_in(registration=seat, attended=False, by=staff, now=on_the_day(roundtable))

    assert roundtable_get(pk=roundtable.pk).seats_left == roundtable.capacity - 1


def test_check_in_is_refused_before_the_day(seat, staff, roundtable):
    the_day_before = roundtable.starts_at - datetime.timedelta(days=1)

    with pytest.raises(ConflictError, match="on the day"):
        registration_check_in(registration=seat, attended=True, by=staff, now=the_day_before)


def test_someone_on_the_waitlist_cannot_be_checked_in(make_roundtable, make_user, staff):
    roundtable = make_roundtable(capacity=1)
    registration_create(roundtable=roundtable, user=make_user("a@example.org"))
    waiting = registration_create(roundtable=roundtable, user=make_user("b@example.org"))

    with pytest.raises(ConflictError, match="Only people with a seat"):
        registration_check_in(
            registration=waiting, attended=True, by=staff, now=on_the_day(roundtable)
        )


def test_an_expert_cannot_check_anyone_in(seat, expert, roundtable):
    with pytest.raises(NotAllowedError):
        registration_check_in(
            registration=seat, attended=True, by=expert, now=on_the_day(roundtable)
        )
    seat.refresh_from_db()
    assert seat.status == RegistrationStatus.CONFIRMED
