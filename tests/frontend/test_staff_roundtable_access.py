"""Only coalition staff open the roundtable staff pages; others never see a registration."""

import pytest
from django.urls import reverse

from roundtables.models import RegistrationStatus
from tests.accounts.helpers import activate_totp
from tests.frontend.html_checks import text_of
from tests.frontend.roundtable_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration(roundtable, register, other_expert):
    return register(roundtable, other_expert, needs="Vegetarian meal")


@pytest.fixture
def pages(roundtable, registration) -> list[str]:
    slug = roundtable.slug
    return [
        "/staff/roundtables/",
        f"/staff/roundtables/{slug}/",
        f"/staff/roundtables/{slug}/registrations.csv",
        f"/staff/roundtables/{slug}/check-in/",
        f"/staff/roundtables/{slug}/outcome/",
        f"/staff/roundtables/{slug}/registrations/{registration.pk}/cancel/",
    ]


@pytest.fixture
def writes(roundtable, registration) -> list[tuple[str, dict]]:
    slug = roundtable.slug
    return [
        (f"/staff/roundtables/{slug}/capacity/", {"capacity": "10"}),
        (f"/staff/roundtables/{slug}/check-in/{registration.pk}/", {"attended": "yes"}),
        (f"/staff/roundtables/{slug}/registrations/{registration.pk}/cancel/", {}),
        (f"/staff/roundtables/{slug}/outcome/", {"summary": "x", "language": "en"}),
    ]


def test_an_anonymous_visitor_is_sent_to_sign_in(client, pages, writes):
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
    for url, data in writes:
        assert client.post(url, data).status_code == 302, url


def test_an_expert_is_refused_every_staff_page_and_sees_no_registration(
    client, expert, pages, writes, registration, roundtable
):
    client.force_login(expert)

    for url in pages:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Coalition staff only" in text_of(response.content), url
        assert "Julien Dubois" not in text_of(response.content), url
        assert "Vegetarian meal" not in text_of(response.content), url
    for url, data in writes:
        assert client.post(url, data).status_code == 403, url
    registration.refresh_from_db()
    roundtable.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert roundtable.capacity == 2


def test_staff_open_every_page(client, staff, pages):
    client.force_login(staff)

    for url in pages:
        assert client.get(url).status_code == 200, url


def test_staff_without_two_step_verification_are_sent_to_set_it_up(client, staff, pages, settings):
    settings.STAFF_MFA_REQUIRED = True
    client.force_login(staff)

    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp"), url


def test_staff_with_two_step_verification_open_the_pages(client, staff, pages, settings):
    settings.STAFF_MFA_REQUIRED = True
    activate_totp(staff)
    client.force_login(staff)

    for url in pages:
        assert client.get(url).status_code == 200, url


def test_a_registration_of_another_roundtable_is_not_found_under_this_one(
    client, staff, make_roundtable, register, expert, registration
):
    make_roundtable("other-one")
    client.force_login(staff)

    url = f"/staff/roundtables/other-one/registrations/{registration.pk}/cancel/"
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    url = f"/staff/roundtables/other-one/check-in/{registration.pk}/"
    assert client.post(url, {"attended": "yes"}).status_code == 404
