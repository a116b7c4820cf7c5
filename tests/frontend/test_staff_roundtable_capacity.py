"""Staff change the number of seats; more seats go to the waitlist in its order."""

import pytest
from django.core import mail

from roundtables.models import Registration, RegistrationStatus
from tests.frontend.html_checks import text_of
from tests.frontend.roundtable_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

URL = "/staff/roundtables/mental-health/capacity/"


@pytest.fixture
def full_roundtable(make_roundtable, register, make_user):
    roundtable = make_roundtable(capacity=1)
    for number in range(1, 5):
        register(roundtable, make_user(f"person{number}@example.org", full_name=f"Person {number}"))
    return roundtable


def test_more_seats_promote_the_waitlist_in_order_and_say_how_many(
    client, full_roundtable, staff, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"capacity": "3"}, follow=True)

    page = text_of(response.content)
    assert "The roundtable now has 3 seats. 2 people moved up from the waitlist" in page
    confirmed = Registration.objects.filter(status=RegistrationStatus.CONFIRMED)
    assert sorted(r.user.full_name for r in confirmed) == ["Person 1", "Person 2", "Person 3"]
    assert sorted(m.to[0] for m in mail.outbox) == ["person2@example.org", "person3@example.org"]
    assert "3 of 3 seats taken" in page


def test_fewer_seats_than_are_taken_is_refused_beside_the_field(
    client, make_roundtable, register, expert, other_expert, staff
):
    roundtable = make_roundtable(capacity=3)
    register(roundtable, expert)
    register(roundtable, other_expert)
    client.force_login(staff)

    response = client.post(URL, {"capacity": "1"})

    assert response.status_code == 400
    assert "2 people already have a seat" in text_of(response.content)
    roundtable.refresh_from_db()
    assert roundtable.capacity == 3


@pytest.mark.parametrize("value", ["0", "-2", "many", ""])
def test_a_number_of_seats_that_is_not_a_positive_number_is_refused(
    client, roundtable, staff, value
):
    client.force_login(staff)

    response = client.post(URL, {"capacity": value})

    assert response.status_code == 400
    assert response.context["capacity_form"].errors["capacity"]
    roundtable.refresh_from_db()
    assert roundtable.capacity == 2
