"""Registering on the roundtable's page: a seat or the waitlist, and every refusal in words."""

import pytest
from django.core import mail
from django.utils import timezone

from roundtables.models import Registration, RegistrationStatus
from tests.frontend.html_checks import parse, text_of
from tests.frontend.roundtable_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

URL = "/roundtables/mental-health/register/"

QUESTIONS = [
    {
        "key": "perspective",
        "kind": "single",
        "required": True,
        "label_nl": "Vanuit welk perspectief?",
        "label_en": "From which perspective?",
        "options": [
            {"value": "research", "label_nl": "Onderzoek", "label_en": "Research"},
            {"value": "practice", "label_nl": "Praktijk", "label_en": "Practice"},
        ],
    },
]


def form_data(**overrides) -> dict:
    data = {
        "sector": "academic",
        "organisation": "Universiteit Gent",
        "expertise": "Participation of young children",
        "needs": "Wheelchair access",
    }
    data.update(overrides)
    return data


def test_an_expert_registers_gets_a_seat_and_sees_it_confirmed(
    client, roundtable, expert, django_capture_on_commit_callbacks
):
    client.force_login(expert)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data(organisation="UGent, Faculty of Education"))

    assert response.status_code == 302
    assert response["Location"] == "/roundtables/mental-health/#registration"
    registration = Registration.objects.get(user=expert)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.organisation == "UGent, Faculty of Education"
    assert registration.needs == "Wheelchair access"
    page = text_of(client.get("/roundtables/mental-health/").content)
    assert "You are registered and have a seat." in page
    assert "You're registered (confirmed)" in page
    assert [message.to for message in mail.outbox] == [[expert.email]]


def test_when_the_seats_are_taken_the_expert_is_put_on_the_waitlist_with_a_position(
    client, make_roundtable, register, make_user, expert
):
    roundtable = make_roundtable(capacity=1)
    register(roundtable, make_user("first@example.org"))
    client.force_login(expert)

    client.post(URL, form_data())

    assert Registration.objects.get(user=expert).status == RegistrationStatus.WAITLISTED
    page = text_of(client.get("/roundtables/mental-health/").content)
    assert "you are on the waitlist at position 1" in page
    assert "You're on the waitlist, position 1" in page


def test_the_answers_to_the_extra_questions_are_stored(client, make_roundtable, expert):
    make_roundtable(questions=QUESTIONS)
    client.force_login(expert)

    client.post(URL, form_data(answer_perspective="practice"))

    assert Registration.objects.get(user=expert).answers == {"perspective": "practice"}


def test_a_missing_required_answer_is_marked_beside_the_question_and_nothing_is_stored(
    client, make_roundtable, expert
):
    make_roundtable(questions=QUESTIONS)
    client.force_login(expert)

    response = client.post(URL, form_data())

    assert response.status_code == 400
    assert "Please check the fields marked below." in text_of(response.content)
    assert response.context["form"].errors["answer_perspective"]
    assert parse(response.content).find("input", name="organisation", value="Universiteit Gent")
    assert not Registration.objects.exists()


def test_a_missing_sector_is_marked_and_nothing_is_stored(client, roundtable, expert):
    client.force_login(expert)

    response = client.post(URL, form_data(sector=""))

    assert response.status_code == 400
    assert "sector" in response.context["form"].errors
    assert not Registration.objects.exists()


def test_registering_twice_is_refused_in_plain_words(client, roundtable, register, expert):
    register(roundtable, expert)
    client.force_login(expert)

    response = client.post(URL, form_data(), follow=True)

    assert response.status_code == 200
    assert "You are already registered for this roundtable." in text_of(response.content)
    assert Registration.objects.filter(user=expert).count() == 1


def test_a_registration_that_closed_meanwhile_is_refused_in_plain_words(client, roundtable, expert):
    client.force_login(expert)
    roundtable.registration_opens_at = timezone.now() - timezone.timedelta(days=2)
    roundtable.registration_closes_at = timezone.now() - timezone.timedelta(minutes=1)
    roundtable.save()

    response = client.post(URL, form_data(), follow=True)

    assert response.status_code == 200
    assert "Registration for this roundtable is closed." in text_of(response.content)
    assert not Registration.objects.exists()


def test_an_unconfirmed_address_cannot_register(client, roundtable, make_user):
    client.force_login(make_user("new@example.org", verified=False))

    response = client.post(URL, form_data(), follow=True)

    assert "Confirm your e-mail address first" in text_of(response.content)
    assert not Registration.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in_and_back(client, roundtable):
    response = client.post(URL, form_data())

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/roundtables/mental-health/"
    assert not Registration.objects.exists()


def test_registering_needs_a_post(client, roundtable, expert):
    client.force_login(expert)

    assert client.get(URL).status_code == 405
