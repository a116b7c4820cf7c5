"""Only an organisation's own coordinators and coalition staff open its reach page; the
coordinator home is for coordinators and staff. Signed-out visitors are sent to sign in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.analysis.test_reach import build_scenario
from tests.frontend.html_checks import text_of
from tests.frontend.roundtable_fixtures import client, make_user, staff  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario():
    return build_scenario(k=5)


@pytest.fixture
def chiro_coordinator(make_user, scenario):  # noqa: F811
    user = make_user("leiding@chiro.example", full_name="Lien Leiding")
    scenario.chiro.coordinators.add(user)
    return user


@pytest.fixture
def scouts_coordinator(make_user, scenario):  # noqa: F811
    user = make_user("leiding@scouts.example", full_name="Sam Scout")
    scenario.scouts.coordinators.add(user)
    return user


@pytest.fixture
def expert(make_user):  # noqa: F811
    return make_user("sara.peeters@ugent.example", full_name="Sara Peeters")


def chiro_reach_url(scenario) -> str:
    return reverse("frontend:coordinator_reach", args=[scenario.chiro.slug, scenario.campaign.slug])


def test_an_anonymous_visitor_is_sent_to_sign_in(client, scenario):  # noqa: F811
    for url in (reverse("frontend:coordinator_home"), chiro_reach_url(scenario)):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


def test_an_expert_is_refused_both_pages(client, expert, scenario):  # noqa: F811
    client.force_login(expert)

    for url in (reverse("frontend:coordinator_home"), chiro_reach_url(scenario)):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Coordinators only" in text_of(response.content)
        assert "Groep 3" not in text_of(response.content)


def test_a_coordinator_sees_their_own_organisation(client, chiro_coordinator, scenario):  # noqa: F811
    client.force_login(chiro_coordinator)

    home = client.get(reverse("frontend:coordinator_home"))
    reach = client.get(chiro_reach_url(scenario))

    assert home.status_code == 200
    assert scenario.chiro.name in text_of(home.content)
    assert scenario.scouts.name not in text_of(home.content)
    assert chiro_reach_url(scenario) in home.content.decode()
    assert reach.status_code == 200
    assert "Groep 3" in text_of(reach.content)


def test_a_coordinator_of_another_organisation_is_refused(
    client,  # noqa: F811
    scouts_coordinator,
    scenario,
):
    client.force_login(scouts_coordinator)

    response = client.get(chiro_reach_url(scenario))

    assert response.status_code == 403
    assert "Groep 3" not in text_of(response.content)
    assert scenario.groep3.code not in response.content.decode()


def test_staff_open_any_organisation(client, staff, scenario):  # noqa: F811
    client.force_login(staff)

    home = client.get(reverse("frontend:coordinator_home"))
    reach = client.get(chiro_reach_url(scenario))

    assert home.status_code == 200
    assert scenario.chiro.name in text_of(home.content)
    assert scenario.scouts.name in text_of(home.content)
    assert reach.status_code == 200


def test_a_campaign_the_organisation_takes_no_part_in_is_not_found(
    client,  # noqa: F811
    chiro_coordinator,
    scenario,
):
    other = build_scenario(k=10)
    client.force_login(chiro_coordinator)

    response = client.get(
        reverse("frontend:coordinator_reach", args=[scenario.chiro.slug, other.campaign.slug])
    )

    assert response.status_code == 404
