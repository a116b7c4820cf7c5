"""Experts sign up with their profile, and cannot log in until they confirm their address."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from accounts.models import Sector, User

pytestmark = [
    pytest.mark.django_db,
    # The lead adds this line to config/settings.py; until then the tests set it themselves.
    pytest.mark.usefixtures("_inspraak_signup_form"),
]

PASSWORD = "a long and unusual passphrase 7"
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


@pytest.fixture
def _inspraak_signup_form():
    with override_settings(ACCOUNT_FORMS={"signup": "accounts.forms.SignupForm"}):
        yield


def sign_up(client, language: str = "nl", **overrides):
    data = {
        "full_name": "  Sara   Peeters ",
        "email": "sara.peeters@ugent.example",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "organisation": "Universiteit Gent",
        "sector": Sector.ACADEMIC,
        "expertise": "Participation of young children",
    }
    data.update(overrides)
    return client.post(reverse("account_signup"), data, HTTP_ACCEPT_LANGUAGE=language)


def log_in(client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def confirmation_path() -> str:
    (message,) = mail.outbox
    return urlparse(CONFIRM_LINK.search(message.body).group(0)).path


def test_signup_stores_the_profile_experts_need_for_roundtables(client):
    response = sign_up(client)

    assert response.status_code == 302
    user = User.objects.get(email="sara.peeters@ugent.example")
    assert user.full_name == "Sara Peeters"
    assert user.organisation == "Universiteit Gent"
    assert user.sector == Sector.ACADEMIC
    assert user.expertise == "Participation of young children"
    assert user.check_password(PASSWORD)
    assert not user.is_staff


def test_signup_remembers_the_language_the_person_used(client):
    sign_up(client, language="fr")

    assert User.objects.get(email="sara.peeters@ugent.example").preferred_language == "fr"


def test_signup_asks_for_a_name_and_a_sector(client):
    response = sign_up(client, full_name="", sector="")

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"full_name", "sector"}
    assert not User.objects.exists()


def test_signup_refuses_a_sector_that_does_not_exist(client):
    response = sign_up(client, sector="lobbyist")

    assert response.status_code == 200
    assert "sector" in response.context["form"].errors
    assert not User.objects.exists()


def test_a_new_account_cannot_log_in_before_the_address_is_confirmed(client):
    sign_up(client)
    client.logout()

    response = log_in(client, "sara.peeters@ugent.example", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert not EmailAddress.objects.get(email="sara.peeters@ugent.example").verified


def test_following_the_link_in_the_email_lets_the_person_log_in(client):
    sign_up(client)
    client.logout()
    path = confirmation_path()

    assert client.get(path).status_code == 200  # the page asks to confirm, a GET changes nothing
    assert not EmailAddress.objects.get(email="sara.peeters@ugent.example").verified
    assert client.post(path).status_code == 302
    assert EmailAddress.objects.get(email="sara.peeters@ugent.example").verified

    response = log_in(client, "sara.peeters@ugent.example", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get(email="sara.peeters@ugent.example")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signing_up_again_with_a_known_address_creates_no_second_account(client, expert):
    response = sign_up(client, email=expert.email.upper())

    assert response.status_code == 302
    assert User.objects.filter(email__iexact=expert.email).count() == 1
