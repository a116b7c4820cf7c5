"""Check-in on the day: present or absent for each person with a seat."""

import pytest

from roundtables.models import RegistrationStatus
from tests.frontend.html_checks import parse, text_of
from tests.frontend.roundtable_fixtures import *  # noqa: F403
from tests.frontend.roundtable_fixtures import under_way

pytestmark = pytest.mark.django_db

PAGE = "/staff/roundtables/mental-health/check-in/"


def test_it_lists_the_people_with_a_seat_by_name_with_two_buttons_each(
    client, make_roundtable, register, expert, other_expert, make_user, staff
):
    roundtable = make_roundtable(capacity=2)
    register(roundtable, other_expert)
    register(roundtable, expert)
    register(roundtable, make_user("waiting@example.org", full_name="Walter Waiting"))
    under_way(roundtable)
    client.force_login(staff)

    response = client.get(PAGE)
    page = text_of(response.content)

    assert page.index("Julien Dubois") < page.index("Sara Peeters")
    assert "Walter Waiting" not in page
    assert "0 present and 0 absent, of 2 people with a seat." in page
    html = parse(response.content)
    assert len(html.find("button", name="attended", value="yes")) == 2
    assert len(html.find("button", name="attended", value="no")) == 2


def test_marking_someone_present_and_correcting_it_to_absent(
    client, roundtable, register, expert, staff
):
    registration = register(roundtable, expert)
    under_way(roundtable)
    client.force_login(staff)
    url = f"/staff/roundtables/mental-health/check-in/{registration.pk}/"

    response = client.post(url, {"attended": "yes"})

    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}#registration-{registration.pk}"
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ATTENDED
    page = client.get(PAGE)
    assert "1 present and 0 absent" in text_of(page.content)
    assert parse(page.content).find("button", value="yes", aria_pressed="true")

    client.post(url, {"attended": "no"})

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.NO_SHOW


def test_before_the_day_there_are_no_buttons_and_a_post_is_refused_in_words(
    client, roundtable, register, expert, staff
):
    registration = register(roundtable, expert)
    client.force_login(staff)

    page = client.get(PAGE)
    assert "Check-in opens on the day of the roundtable" in text_of(page.content)
    assert not parse(page.content).find("button", name="attended")

    response = client.post(
        f"/staff/roundtables/mental-health/check-in/{registration.pk}/",
        {"attended": "yes"},
        follow=True,
    )

    assert response.status_code == 200
    assert "Check-in opens on the day of the roundtable." in text_of(response.content)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_someone_on_the_waitlist_cannot_be_checked_in(
    client, make_roundtable, register, expert, other_expert, staff
):
    roundtable = make_roundtable(capacity=1)
    register(roundtable, other_expert)
    waiting = register(roundtable, expert)
    under_way(roundtable)
    client.force_login(staff)

    response = client.post(
        f"/staff/roundtables/mental-health/check-in/{waiting.pk}/", {"attended": "yes"}, follow=True
    )

    assert "Only people with a seat can be checked in" in text_of(response.content)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.WAITLISTED


def test_an_answer_that_is_neither_present_nor_absent_changes_nothing(
    client, roundtable, register, expert, staff
):
    registration = register(roundtable, expert)
    under_way(roundtable)
    client.force_login(staff)

    response = client.post(
        f"/staff/roundtables/mental-health/check-in/{registration.pk}/",
        {"attended": "maybe"},
        follow=True,
    )

    assert "Choose present or absent." in text_of(response.content)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
