"""Staff cancel someone's registration; the first person waiting gets the seat."""

import pytest
from django.core import mail

from roundtables.models import RegistrationStatus
from tests.frontend.html_checks import text_of
from tests.frontend.roundtable_fixtures import *  # noqa: F403
from tests.frontend.roundtable_fixtures import under_way


def url(registration) -> str:
    return f"/staff/roundtables/mental-health/registrations/{registration.pk}/cancel/"


pytestmark = pytest.mark.django_db


def test_staff_are_asked_to_confirm_first(client, roundtable, register, expert, staff):
    registration = register(roundtable, expert)
    client.force_login(staff)

    response = client.get(url(registration))

    assert "Cancel the registration of Sara Peeters?" in text_of(response.content)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_cancelling_a_seat_promotes_the_first_person_waiting_and_says_so(
    client,
    make_roundtable,
    register,
    expert,
    other_expert,
    make_user,
    staff,
    django_capture_on_commit_callbacks,
):
    roundtable = make_roundtable(capacity=1)
    seated = register(roundtable, expert)
    first_waiting = register(roundtable, other_expert)
    second_waiting = register(roundtable, make_user("third@example.org", full_name="Tina Third"))
    mail.outbox.clear()
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(seated), follow=True)

    assert response.redirect_chain == [("/staff/roundtables/mental-health/", 302)]
    page = text_of(response.content)
    assert "The registration of Sara Peeters is cancelled" in page
    assert "Julien Dubois moved up from the waitlist" in page
    assert "Tina Third moved up" not in page
    for registration in (seated, first_waiting, second_waiting):
        registration.refresh_from_db()
    assert seated.status == RegistrationStatus.CANCELLED
    assert seated.cancelled_by == staff
    assert first_waiting.status == RegistrationStatus.CONFIRMED
    assert second_waiting.status == RegistrationStatus.WAITLISTED
    assert "Waitlist, position 1" in page
    assert "Waitlist, position 2" not in page, "Tina Third moved up to position 1"
    assert {m.to[0] for m in mail.outbox} == {expert.email, other_expert.email}


def test_a_refusal_of_the_service_is_a_message_not_an_error_page(
    client, roundtable, register, expert, staff
):
    registration = register(roundtable, expert)
    under_way(roundtable)
    client.force_login(staff)

    response = client.post(url(registration), follow=True)

    assert response.status_code == 200
    assert "already started" in text_of(response.content)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
