"""/roundtables/<slug>/: what, when, where, seats, the calendar file, and how to register."""

import pytest
from django.utils import timezone

from consultations.models import CampaignStatus
from roundtables.models import RoundtableStatus
from tests.frontend.html_checks import parse, text_of
from tests.frontend.roundtable_fixtures import *  # noqa: F403
from tests.frontend.roundtable_fixtures import in_language

pytestmark = pytest.mark.django_db


def test_it_shows_the_roundtable_to_anyone(client, make_roundtable):
    make_roundtable(
        online_url="https://meet.example.org/abc",
        target_sectors=["academic", "policy"],
    )

    response = client.get("/roundtables/mental-health/")
    page = text_of(response.content)

    assert response.status_code == 200
    assert "Young people's mental health" in page
    assert "What schools can do." in page
    assert "2 p.m. to 5 p.m. (Brussels time)" in page
    assert "Kinderrechtenhuis, Brussel" in page
    assert parse(response.content).find("a", href="https://meet.example.org/abc")
    assert "2 seats left (2 seats in all)" in page
    assert "Meant for Academic, Policy" in page


def test_it_links_to_the_calendar_file(client, roundtable):
    page = parse(client.get("/roundtables/mental-health/").content)

    assert page.find("a", href="/roundtables/mental-health/calendar.ics")


def test_an_anonymous_visitor_is_asked_to_sign_in_or_sign_up_and_comes_back(client, roundtable):
    response = client.get("/roundtables/mental-health/")
    page = parse(response.content)

    assert "Sign in or create an account to register" in text_of(response.content)
    assert page.find("a", href="/accounts/login/?next=/roundtables/mental-health/")
    assert page.find("a", href="/accounts/signup/?next=/roundtables/mental-health/")
    assert not page.find("form", action="/roundtables/mental-health/register/")


def test_a_verified_expert_gets_the_form_prefilled_from_their_profile(client, roundtable, expert):
    client.force_login(expert)

    page = parse(client.get("/roundtables/mental-health/").content)

    (form,) = page.find("form", action="/roundtables/mental-health/register/")
    assert form["method"] == "post"
    (academic,) = page.find("option", value="academic")
    assert "selected" in academic
    assert page.find("input", name="organisation", value="Universiteit Gent")
    assert page.find("textarea", name="expertise")
    assert page.find("textarea", name="needs")


def test_the_form_asks_the_extra_questions_of_the_roundtable(client, make_roundtable, expert):
    make_roundtable(
        questions=[
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
            {
                "key": "question",
                "kind": "text",
                "label_nl": "Uw vraag",
                "label_en": "Your question",
            },
        ]
    )
    client.force_login(expert)

    response = client.get("/roundtables/mental-health/")
    page = parse(response.content)

    assert "From which perspective?" in text_of(response.content)
    assert len(page.find("input", type="radio", name="answer_perspective")) == 2
    assert page.find("textarea", name="answer_question")
    dutch = text_of(in_language(client, "nl").get("/roundtables/mental-health/").content)
    assert "Vanuit welk perspectief?" in dutch


def test_an_expert_whose_address_is_not_confirmed_is_told_to_confirm_it(
    client, roundtable, make_user
):
    client.force_login(make_user("new@example.org", verified=False))

    response = client.get("/roundtables/mental-health/")

    assert "Confirm your e-mail address first" in text_of(response.content)
    assert not parse(response.content).find("form", action="/roundtables/mental-health/register/")


def test_a_registered_expert_sees_their_confirmed_seat_instead_of_the_form(
    client, roundtable, register, expert
):
    register(roundtable, expert)
    client.force_login(expert)

    response = client.get("/roundtables/mental-health/")
    page = text_of(response.content)

    assert "You're registered (confirmed)" in page
    assert "1 seat left" in page
    assert not parse(response.content).find("form", action="/roundtables/mental-health/register/")


def test_a_waitlisted_expert_sees_their_position(
    client, make_roundtable, register, expert, other_expert, make_user
):
    roundtable = make_roundtable(capacity=1)
    register(roundtable, make_user("first@example.org"))
    register(roundtable, other_expert)
    register(roundtable, expert)
    client.force_login(expert)

    page = text_of(client.get("/roundtables/mental-health/").content)

    assert "You're on the waitlist, position 2" in page
    assert "Full — waitlist open" in page


def test_a_full_roundtable_offers_the_waitlist(
    client, make_roundtable, register, make_user, expert
):
    roundtable = make_roundtable(capacity=1)
    register(roundtable, make_user("first@example.org"))
    client.force_login(expert)

    page = text_of(client.get("/roundtables/mental-health/").content)

    assert "Full — waitlist open" in page
    assert "Join the waitlist" in page


def test_a_closed_registration_says_so_and_shows_no_form(client, make_roundtable, expert):
    make_roundtable(
        registration_closes_at=timezone.now() - timezone.timedelta(hours=1),
        registration_opens_at=timezone.now() - timezone.timedelta(days=3),
    )
    client.force_login(expert)

    response = client.get("/roundtables/mental-health/")

    assert "Registration for this roundtable is closed." in text_of(response.content)
    assert not parse(response.content).find("form", action="/roundtables/mental-health/register/")


def test_a_draft_is_not_found_except_for_staff(client, make_roundtable, expert, staff):
    make_roundtable(status=RoundtableStatus.DRAFT)

    assert client.get("/roundtables/mental-health/").status_code == 404
    client.force_login(expert)
    assert client.get("/roundtables/mental-health/").status_code == 404
    client.force_login(staff)
    response = client.get("/roundtables/mental-health/")
    assert response.status_code == 200
    assert "only coalition staff can see this page" in text_of(response.content)


def test_a_roundtable_of_a_draft_campaign_is_not_found(client, roundtable, rt_campaign):
    rt_campaign.status = CampaignStatus.DRAFT
    rt_campaign.save()

    assert client.get("/roundtables/mental-health/").status_code == 404


def test_an_unknown_roundtable_is_not_found(client, db):
    assert client.get("/roundtables/nothing-here/").status_code == 404


def test_the_page_is_csp_safe(client, roundtable, expert):
    client.force_login(expert)

    assert not parse(client.get("/roundtables/mental-health/").content).csp_problems
