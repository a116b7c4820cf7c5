"""roundtables.services.roundtable_capacity_change: more seats promote the waitlist in order."""

import pytest

from config.exceptions import ConflictError, InvalidInputError, NotAllowedError
from roundtables.models import Registration, RegistrationStatus, Roundtable
from roundtables.selectors import roundtable_get, waitlist_position
from roundtables.services import registration_create, roundtable_capacity_change

pytestmark = pytest.mark.django_db


@pytest.fixture
def roundtable_with_waitlist(make_roundtable, make_user):
    """Two seats taken; Ann (English), Bert (Dutch), Chloé (French) waiting in that order."""
    roundtable = make_roundtable(capacity=2, title_nl="Rondetafel", title_fr="Table ronde")
    for email, language in [
        ("s1@example.org", "en"),
        ("s2@example.org", "en"),
        ("ann@example.org", "en"),
        ("bert@example.org", "nl"),
        ("chloe@example.org", "fr"),
    ]:
        registration_create(
            roundtable=roundtable, user=make_user(email, preferred_language=language)
        )
    return roundtable


def status_of(email):
    return Registration.objects.get(user__email=email).status


def test_raising_the_capacity_promotes_the_waitlist_in_order_and_tells_them(
    roundtable_with_waitlist, staff, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        roundtable_capacity_change(roundtable=roundtable_with_waitlist, capacity=4, by=staff)

    assert status_of("ann@example.org") == RegistrationStatus.CONFIRMED
    assert status_of("bert@example.org") == RegistrationStatus.CONFIRMED
    assert status_of("chloe@example.org") == RegistrationStatus.WAITLISTED
    assert waitlist_position(Registration.objects.get(user__email="chloe@example.org")) == 1
    subjects = {message.to[0]: message.subject for message in mailoutbox}
    assert set(subjects) == {"ann@example.org", "bert@example.org"}
    assert "Rondetafel" in subjects["bert@example.org"]  # in Bert's language
    assert "Roundtable" in subjects["ann@example.org"]
    roundtable = roundtable_get(pk=roundtable_with_waitlist.pk)
    assert (roundtable.capacity, roundtable.seats_left, roundtable.waitlist_length) == (4, 0, 1)


def test_raising_beyond_the_waitlist_leaves_seats_free(roundtable_with_waitlist, staff):
    roundtable_capacity_change(roundtable=roundtable_with_waitlist, capacity=10, by=staff)

    assert not Registration.objects.filter(status=RegistrationStatus.WAITLISTED).exists()
    assert roundtable_get(pk=roundtable_with_waitlist.pk).seats_left == 5


def test_lowering_below_the_seats_taken_is_refused_with_a_clear_message(
    roundtable_with_waitlist, staff
):
    with pytest.raises(ConflictError) as raised:
        roundtable_capacity_change(roundtable=roundtable_with_waitlist, capacity=1, by=staff)

    assert raised.value.field == "capacity"
    assert "2 people already have a seat" in raised.value.message
    assert Roundtable.objects.get().capacity == 2


def test_lowering_to_the_seats_taken_is_allowed(make_roundtable, staff):
    roundtable = make_roundtable(capacity=5)

    roundtable_capacity_change(roundtable=roundtable, capacity=1, by=staff)

    assert Roundtable.objects.get().capacity == 1


@pytest.mark.parametrize("capacity", [0, -3, "7", 2.5, True])
def test_a_capacity_that_is_not_a_positive_whole_number_is_refused(roundtable, staff, capacity):
    with pytest.raises(InvalidInputError) as raised:
        roundtable_capacity_change(roundtable=roundtable, capacity=capacity, by=staff)
    assert raised.value.field == "capacity"


def test_only_staff_change_the_capacity(roundtable_with_waitlist, expert):
    with pytest.raises(NotAllowedError):
        roundtable_capacity_change(roundtable=roundtable_with_waitlist, capacity=4, by=expert)
    assert status_of("ann@example.org") == RegistrationStatus.WAITLISTED
