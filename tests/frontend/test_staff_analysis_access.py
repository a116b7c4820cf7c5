"""Only coalition staff (with two-step verification when required) open the results pages."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings as django_settings
from django.urls import reverse

from analysis.services import survey_results_refresh
from tests.accounts.helpers import activate_totp
from tests.analysis.conftest import (  # noqa: F401  (fixtures)
    _english_messages,
    campaign,
    invites,
    seed_responses,
    survey,
)
from tests.frontend.html_checks import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    """A visitor who chose English, so that assertions read the msgids."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def make_user(django_user_model):
    def make(email: str, **fields):
        user = django_user_model.objects.create_user(email=email, password="x" * 20, **fields)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        return user

    return make


@pytest.fixture
def results_survey(seed_responses):  # noqa: F811
    seeded = seed_responses(count=40, seed=3)
    survey_results_refresh(survey=seeded.survey)
    return seeded.survey


@pytest.fixture
def pages(results_survey) -> list[str]:
    slug = results_survey.slug
    return [
        "/staff/surveys/",
        f"/staff/surveys/{slug}/results/",
        f"/staff/surveys/{slug}/results/?by=age_band",
        f"/staff/surveys/{slug}/results/sport.svg",
        f"/staff/surveys/{slug}/results/mood.svg?by=organisation",
    ]


@pytest.fixture
def refresh_url(results_survey) -> str:
    return f"/staff/surveys/{results_survey.slug}/results/refresh/"


def test_an_anonymous_visitor_is_sent_to_sign_in(client, pages, refresh_url):
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
    assert client.post(refresh_url).status_code == 302


@pytest.mark.parametrize("persona", ["expert", "coordinator"])
def test_experts_and_coordinators_are_refused_and_see_no_number(
    client,
    make_user,
    invites,  # noqa: F811
    pages,
    refresh_url,
    persona,
):
    user = make_user(f"{persona}@example.org")
    if persona == "coordinator":
        invites[0].organisation.coordinators.add(user)
    client.force_login(user)

    for url in pages:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Coalition staff only" in text_of(response.content), url
        assert response["Content-Type"].startswith("text/html"), url
    assert client.post(refresh_url).status_code == 403


def test_staff_without_two_step_verification_are_sent_to_set_it_up(
    client, make_user, pages, refresh_url, settings
):
    settings.STAFF_MFA_REQUIRED = True
    client.force_login(make_user("new-analyst@coalition.example", is_staff=True))

    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp"), url
    assert client.post(refresh_url)["Location"] == reverse("mfa_activate_totp")


def test_staff_with_two_step_verification_open_every_page(client, make_user, pages, settings):
    settings.STAFF_MFA_REQUIRED = True
    staff = make_user("analyst@coalition.example", is_staff=True)
    activate_totp(staff)
    client.force_login(staff)

    for url in pages:
        assert client.get(url).status_code == 200, url


def test_the_results_of_a_survey_that_does_not_exist_are_not_found(client, make_user):
    client.force_login(make_user("analyst@coalition.example", is_staff=True))

    assert client.get("/staff/surveys/nowhere/results/").status_code == 404
    assert client.get("/staff/surveys/nowhere/results/sport.svg").status_code == 404
