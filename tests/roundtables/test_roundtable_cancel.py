"""roundtables.services.roundtable_cancel: calling a roundtable off tells everyone."""

import datetime

import pytest

from config.exceptions import ConflictError, NotAllowedError
from roundtables.models import Registration, RoundtableStatus
from roundtables.services import registration_create, roundtable_cancel

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(make_roundtable, make_user):
    roundtable = make_roundtable(capacity=1, title_nl="Rondetafel")
    registration_create(roundtable=roundtable, user=make_user("seat@example.org"))
    registration_create(
        roundtable=roundtable, user=make_user("wait@example.org", preferred_language="nl")
    )
    return roundtable


def test_cancelling_a_roundtable_cancels_every_registration_and_tells_each_person(
    busy, staff, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        roundtable_cancel(roundtable=busy, by=staff)

    busy.refresh_from_db()
    assert busy.status == RoundtableStatus.CANCELLED
    assert set(Registration.objects.values_list("status", flat=True)) == {"cancelled"}
    subjects = {message.to[0]: message.subject for message in mailoutbox}
    assert set(subjects) == {"seat@example.org", "wait@example.org"}
    assert "Rondetafel" in subjects["wait@example.org"]


def test_only_staff_cancel_a_roundtable(busy, expert):
    with pytest.raises(NotAllowedError):
        roundtable_cancel(roundtable=busy, by=expert)


def test_a_started_roundtable_cannot_be_cancelled(busy, staff):
    with pytest.raises(ConflictError):
        roundtable_cancel(
            roundtable=busy, by=staff, now=busy.starts_at + datetime.timedelta(minutes=1)
        )
    assert Registration.objects.filter(status="confirmed").count() == 1
