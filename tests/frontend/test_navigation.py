import pytest

from accounts.models import User
from consultations.models import MemberOrganisation

pytestmark = pytest.mark.django_db


def nav_links(client, user: User) -> str:
    client.force_login(user)
    client.cookies["django_language"] = "en"
    html = client.get("/").content.decode()
    return html[html.index("<nav") : html.index("</nav>")]


def test_a_coordinator_finds_their_organisations_in_the_menu(client):
    coordinator = User.objects.create_user(email="coordinator@example.org")
    MemberOrganisation.objects.create(name="Chiro", slug="chiro").coordinators.add(coordinator)

    nav = nav_links(client, coordinator)

    assert 'href="/coordinator/"' in nav
    assert 'href="/roundtables/mine/"' in nav
    assert 'href="/staff/roundtables/"' not in nav


def test_an_expert_sees_no_coordinator_or_staff_entries(client):
    nav = nav_links(client, User.objects.create_user(email="expert@example.org"))

    assert 'href="/coordinator/"' not in nav
    assert 'href="/staff/roundtables/"' not in nav
    assert 'href="/staff/surveys/"' not in nav
    assert 'href="/roundtables/"' in nav


def test_staff_find_the_staff_pages_in_the_menu(client):
    nav = nav_links(client, User.objects.create_user(email="staff@example.org", is_staff=True))

    assert 'href="/staff/roundtables/"' in nav
    assert 'href="/staff/surveys/"' in nav
    assert 'href="/coordinator/"' in nav
