"""/roundtables/mine/: my registrations, and cancelling one after saying "yes, cancel"."""

import pytest
from django.core import mail

from roundtables.models import Registration, RegistrationStatus
from tests.frontend.html_checks import parse, text_of
from tests.frontend.roundtable_fixtures import *  # noqa: F403
from tests.frontend.roundtable_fixtures import under_way

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get("/roundtables/mine/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/roundtables/mine/"


def test_it_lists_my_registrations_with_their_status_and_position(
    client, make_roundtable, register, make_user, expert
):
    seat = make_roundtable("with-a-seat", title_en="With a seat")
    full = make_roundtable("full-one", title_en="Full one", capacity=1)
    register(seat, expert)
    register(full, make_user("first@example.org"))
    register(full, expert)
    client.force_login(expert)

    page = text_of(client.get("/roundtables/mine/").content)

    assert "With a seat You're registered (confirmed)" in page
    assert "Full one You're on the waitlist, position 1" in page


def test_it_never_shows_another_persons_registration(
    client, roundtable, register, expert, other_expert
):
    register(roundtable, other_expert)
    client.force_login(expert)

    page = text_of(client.get("/roundtables/mine/").content)

    assert "You have no registrations at the moment." in page
    assert "Young people's mental health" not in page


def test_cancelling_asks_first_and_changes_nothing_until_confirmed(
    client, roundtable, register, expert
):
    registration = register(roundtable, expert)
    client.force_login(expert)

    response = client.get(f"/roundtables/mine/{registration.pk}/cancel/")

    assert response.status_code == 200
    assert "Cancel your registration?" in text_of(response.content)
    assert parse(response.content).find("form", method="post", class_="button-row")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_confirming_cancels_and_gives_the_seat_to_the_first_person_waiting(
    client, make_roundtable, register, expert, other_expert, django_capture_on_commit_callbacks
):
    roundtable = make_roundtable(capacity=1)
    mine = register(roundtable, expert)
    waiting = register(roundtable, other_expert)
    mail.outbox.clear()
    client.force_login(expert)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/roundtables/mine/{mine.pk}/cancel/", follow=True)

    assert response.redirect_chain == [("/roundtables/mine/", 302)]
    assert "is cancelled" in text_of(response.content)
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == RegistrationStatus.CANCELLED
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert sorted(address for m in mail.outbox for address in m.to) == sorted(
        [expert.email, other_expert.email]
    )
    client.force_login(other_expert)
    assert "You're registered (confirmed)" in text_of(client.get("/roundtables/mine/").content)


def test_nobody_can_open_or_cancel_another_persons_registration(
    client, roundtable, register, expert, other_expert, staff
):
    theirs = register(roundtable, other_expert)

    for person in (expert, staff):
        client.force_login(person)
        assert client.get(f"/roundtables/mine/{theirs.pk}/cancel/").status_code == 404
        assert client.post(f"/roundtables/mine/{theirs.pk}/cancel/").status_code == 404

    theirs.refresh_from_db()
    assert theirs.status == RegistrationStatus.CONFIRMED


def test_cancelling_after_the_start_is_refused_in_plain_words(client, roundtable, register, expert):
    registration = register(roundtable, expert)
    under_way(roundtable)
    client.force_login(expert)

    response = client.post(f"/roundtables/mine/{registration.pk}/cancel/", follow=True)

    assert response.status_code == 200
    assert "already started" in text_of(response.content)
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.CONFIRMED


def test_cancelling_twice_is_refused_in_plain_words(client, roundtable, register, expert):
    registration = register(roundtable, expert)
    client.force_login(expert)
    client.post(f"/roundtables/mine/{registration.pk}/cancel/")

    response = client.post(f"/roundtables/mine/{registration.pk}/cancel/", follow=True)

    assert response.status_code == 200
    assert "already been cancelled" in text_of(response.content)


def test_the_cancel_page_of_a_cancelled_registration_sends_back_to_my_registrations(
    client, roundtable, register, expert
):
    registration = register(roundtable, expert)
    client.force_login(expert)
    client.post(f"/roundtables/mine/{registration.pk}/cancel/")

    response = client.get(f"/roundtables/mine/{registration.pk}/cancel/", follow=True)

    assert response.redirect_chain == [("/roundtables/mine/", 302)]
    assert "can no longer be cancelled" in text_of(response.content)
