"""The staff list of one roundtable's registrations: who, what they need, status, position."""

import pytest

from accounts.models import Sector
from tests.frontend.html_checks import parse, text_of
from tests.frontend.roundtable_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

QUESTION = {
    "key": "perspective",
    "kind": "single",
    "required": False,
    "label_nl": "Vanuit welk perspectief?",
    "label_en": "From which perspective?",
    "options": [
        {"value": "research", "label_nl": "Onderzoek", "label_en": "Research"},
        {"value": "practice", "label_nl": "Praktijk", "label_en": "Practice"},
    ],
}


def test_staff_see_everyone_with_their_details_status_and_waitlist_position(
    client, make_roundtable, register, expert, other_expert, make_user, staff
):
    roundtable = make_roundtable(capacity=1, questions=[QUESTION])
    register(
        roundtable,
        expert,
        needs="Wheelchair access",
        answers={"perspective": "research"},
    )
    register(roundtable, other_expert, sector=Sector.POLICY)
    register(roundtable, make_user("third@example.org", full_name="Tina Third"))
    client.force_login(staff)

    response = client.get("/staff/roundtables/mental-health/")
    page = text_of(response.content)

    assert "1 of 1 seats taken" in page
    assert "2 on the waitlist" in page
    assert "Sara Peeters sara.peeters@ugent.example" in page
    assert "Universiteit Gent Academic" in page
    assert "Participation of young children" in page
    assert "Wheelchair access" in page
    assert "From which perspective? Research" in page
    assert page.index("Sara Peeters") < page.index("Julien Dubois") < page.index("Tina Third")
    assert "Waitlist, position 1" in page
    assert "Waitlist, position 2" in page
    assert parse(response.content).find(
        "a", href="/staff/roundtables/mental-health/registrations.csv"
    )


def test_the_staff_list_counts_every_roundtable(
    client, make_roundtable, register, expert, other_expert, staff
):
    roundtable = make_roundtable(capacity=1)
    make_roundtable("empty-one", title_en="Empty one")
    register(roundtable, expert)
    register(roundtable, other_expert)
    client.force_login(staff)

    response = client.get("/staff/roundtables/")
    rows = text_of(response.content)

    assert "Young people's mental health Wellbeing at school" in rows
    assert "Published 1 1 1" in rows
    assert "Empty one" in rows
    assert "Published 0 2 0" in rows


def test_a_roundtable_without_registrations_says_so(client, roundtable, staff):
    client.force_login(staff)

    assert "Nobody has registered yet." in text_of(
        client.get("/staff/roundtables/mental-health/").content
    )


def test_staff_see_draft_roundtables_too(client, make_roundtable, staff):
    make_roundtable(status="draft")
    client.force_login(staff)

    assert client.get("/staff/roundtables/mental-health/").status_code == 200


def test_an_unknown_roundtable_is_not_found(client, staff):
    client.force_login(staff)

    assert client.get("/staff/roundtables/nothing/").status_code == 404


def test_the_page_is_csp_safe(client, roundtable, register, expert, staff):
    register(roundtable, expert)
    client.force_login(staff)

    assert not parse(client.get("/staff/roundtables/mental-health/").content).csp_problems
