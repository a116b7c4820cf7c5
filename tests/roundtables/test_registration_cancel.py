"""roundtables.services.registration_cancel: a freed seat goes to the first on the waitlist."""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format

from config.exceptions import ConflictError, NotAllowedError
from roundtables.models import Registration, RegistrationStatus
from roundtables.selectors import waitlist_position
from roundtables.services import registration_cancel, registration_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_roundtable(make_roundtable, make_user, expert):
    """One seat, held by ``expert``; Fleur (Dutch) then Jules (French) on the waitlist."""
    roundtable = make_roundtable(capacity=1, title_nl="Rondetafel school", title_fr="Table école")
    registration_create(roundtable=roundtable, user=expert)
    registration_create(
        roundtable=roundtable,
        user=make_user("fleur@example.org", full_name="Fleur", preferred_language="nl"),
    )
    registration_create(
        roundtable=roundtable,
        user=make_user("jules@example.org", full_name="Jules", preferred_language="fr"),
    )
    return roundtable


def dutch_date(moment):
    with translation.override("nl"):
        return date_format(timezone.localtime(moment), "l j F Y")


def registration_of(email):
    return Registration.objects.exclude(status="cancelled").get(user__email=email)


def test_when_the_registrant_cancels_the_first_waitlisted_person_gets_the_seat_and_an_email(
    full_roundtable, expert, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=registration_of(expert.email), by=expert)

    assert registration_of("fleur@example.org").status == RegistrationStatus.CONFIRMED
    assert registration_of("jules@example.org").status == RegistrationStatus.WAITLISTED
    assert registration_of("jules@example.org").promoted_at is None
    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert set(by_recipient) == {expert.email, "fleur@example.org"}
    promotion = by_recipient["fleur@example.org"]
    assert "Rondetafel school" in promotion.subject  # Fleur reads Dutch
    assert dutch_date(full_roundtable.starts_at) in promotion.body
    assert promotion.attachments[0][0].endswith(".ics")
    assert "cancelled" in by_recipient[expert.email].subject.lower()


def test_when_staff_cancel_someone_the_waitlist_moves_up_too(
    full_roundtable, expert, staff, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=registration_of(expert.email), by=staff)

    assert registration_of("fleur@example.org").status == RegistrationStatus.CONFIRMED
    cancelled = Registration.objects.get(user=expert)
    assert (cancelled.status, cancelled.cancelled_by) == ("cancelled", staff)
    notice = next(m for m in mailoutbox if m.to == [expert.email])
    assert "organisers have cancelled" in notice.body


def test_a_waitlisted_person_who_cancels_frees_no_seat_and_moves_the_line_up(
    full_roundtable, mailoutbox, django_capture_on_commit_callbacks
):
    fleur = registration_of("fleur@example.org")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=fleur, by=fleur.user)

    jules = registration_of("jules@example.org")
    assert jules.status == RegistrationStatus.WAITLISTED
    assert waitlist_position(jules) == 1
    assert [m.to for m in mailoutbox] == [["fleur@example.org"]]


def test_an_expert_cannot_cancel_another_persons_registration(full_roundtable, expert, make_user):
    outsider = make_user("outsider@example.org")

    with pytest.raises(NotAllowedError):
        registration_cancel(registration=registration_of(expert.email), by=outsider)
    assert registration_of(expert.email).status == RegistrationStatus.CONFIRMED


def test_it_refuses_to_cancel_twice(full_roundtable, expert):
    registration = registration_of(expert.email)
    registration_cancel(registration=registration, by=expert)

    with pytest.raises(ConflictError, match="already been cancelled"):
        registration_cancel(registration=registration, by=expert)


def test_it_refuses_once_the_roundtable_has_started(full_roundtable, expert):
    later = full_roundtable.starts_at + datetime.timedelta(minutes=1)

    with pytest.raises(ConflictError, match="already started"):
        registration_cancel(registration=registration_of(expert.email), by=expert, now=later)
    assert registration_of("fleur@example.org").status == RegistrationStatus.WAITLISTED


def test_the_promotion_email_is_not_sent_when_the_transaction_rolls_back(
    full_roundtable, expert, mailoutbox
):
    # Inside the test's transaction on-commit callbacks never run: nothing is sent.
    mailoutbox.clear()
    registration_cancel(registration=registration_of(expert.email), by=expert)

    assert mailoutbox == []


def test_the_cancelled_at_time_is_recorded(full_roundtable, expert):
    before = timezone.now()
    registration_cancel(registration=registration_of(expert.email), by=expert)

    assert Registration.objects.get(user=expert).cancelled_at >= before
