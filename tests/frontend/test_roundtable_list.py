"""/roundtables/: upcoming roundtables first, with when, where and the seats left."""

import datetime

import pytest
from django.utils import timezone

from consultations.models import Campaign, CampaignStatus
from roundtables.models import RoundtableStatus
from roundtables.services import roundtable_create
from tests.frontend.html_checks import parse, text_of
from tests.frontend.roundtable_fixtures import *  # noqa: F403
from tests.frontend.roundtable_fixtures import in_language

pytestmark = pytest.mark.django_db


def test_it_lists_an_upcoming_roundtable_with_its_time_place_and_seats(client, roundtable):
    page = text_of(client.get("/roundtables/").content)

    assert "Young people's mental health" in page
    local_start = timezone.localtime(roundtable.starts_at)
    assert local_start.strftime("%A") in page
    assert "2 p.m. to 5 p.m." in page
    assert "Kinderrechtenhuis, Brussel" in page
    assert "2 seats left" in page


def test_it_shows_the_date_in_the_language_of_the_page(client, roundtable):
    dutch = text_of(in_language(client, "nl").get("/roundtables/").content)

    local_start = timezone.localtime(roundtable.starts_at)
    assert "14:00" in dutch
    assert "17:00" in dutch
    assert "Mentaal welzijn van jongeren" in dutch
    assert str(local_start.year) in dutch


def test_a_full_roundtable_says_the_waitlist_is_open(
    client, make_roundtable, register, expert, other_expert
):
    full = make_roundtable(capacity=1)
    register(full, expert)

    assert "Full — waitlist open" in text_of(client.get("/roundtables/").content)


def test_an_online_roundtable_says_online(client, make_roundtable):
    make_roundtable(venue="", online_url="https://meet.example.org/abc")

    page = text_of(client.get("/roundtables/").content)

    assert "Online" in page
    assert "meet.example.org" not in page, "the list shows the place, the page the link"


def test_upcoming_roundtables_come_first_the_soonest_first_and_past_ones_after(
    client, make_roundtable
):
    now = timezone.now()
    make_roundtable("later", title_en="Later one")
    make_roundtable(
        "sooner",
        title_en="Sooner one",
        starts_at=now + datetime.timedelta(days=2),
        ends_at=now + datetime.timedelta(days=2, hours=2),
    )
    past = make_roundtable("past", title_en="Past one")
    past.starts_at = now - datetime.timedelta(days=3)
    past.ends_at = now - datetime.timedelta(days=3) + datetime.timedelta(hours=2)
    past.save()

    page = text_of(client.get("/roundtables/").content)

    assert page.index("Coming up") < page.index("Sooner one") < page.index("Later one")
    assert page.index("Later one") < page.index("Earlier roundtables") < page.index("Past one")
    assert "Has taken place" in page


def test_drafts_are_not_listed(client, make_roundtable):
    make_roundtable("draft-one", title_en="Secret draft", status=RoundtableStatus.DRAFT)

    assert "Secret draft" not in text_of(client.get("/roundtables/").content)


def test_it_can_show_the_roundtables_of_one_campaign(client, roundtable, rt_campaign):
    other = Campaign.objects.create(
        slug="other", status=CampaignStatus.CONSULTING, title_nl="Ander thema"
    )
    roundtable_create(
        campaign=other,
        slug="elsewhere",
        title_nl="Elders",
        title_en="Somewhere else",
        starts_at=roundtable.starts_at,
        ends_at=roundtable.ends_at,
        capacity=5,
        venue="Gent",
        status=RoundtableStatus.PUBLISHED,
    )

    response = client.get("/roundtables/?campaign=welzijn-op-school")
    page = text_of(response.content)

    assert "Roundtables: Wellbeing at school" in page
    assert "Young people's mental health" in page
    assert "Somewhere else" not in page
    assert parse(response.content).find("a", href="/c/welzijn-op-school/calendar.ics")


def test_an_unknown_campaign_is_not_found(client, db):
    assert client.get("/roundtables/?campaign=nope").status_code == 404


def test_a_signed_in_expert_sees_where_they_are_registered(
    client, make_roundtable, register, expert
):
    mine = make_roundtable("mine-one", title_en="Mine")
    make_roundtable("not-mine", title_en="Not mine")
    register(mine, expert)
    client.force_login(expert)

    page = text_of(client.get("/roundtables/").content)

    assert page.count("You're registered (confirmed)") == 1


def test_the_page_is_csp_safe_and_has_a_menu_to_my_registrations(client, roundtable):
    page = parse(client.get("/roundtables/").content)

    assert not page.csp_problems
    assert page.find("a", href="/roundtables/mine/")
    assert "/static/inspraak/roundtables.css" in page.stylesheets
