"""allauth writes to people in their own language, whatever language the page was in."""

from __future__ import annotations

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from accounts.adapters import supported_language
from accounts.models import Sector

pytestmark = pytest.mark.django_db


def subject_in(language: str, template_prefix: str) -> str:
    with translation.override(language):
        subject = render_to_string(f"{template_prefix}_subject.txt", {}).strip()
    return f"[Inspraak] {subject}"


def test_a_password_reset_email_is_in_the_account_language_not_the_page_language(client, make_user):
    user = make_user("camille@exemple.be", preferred_language="fr")
    french = subject_in("fr", "account/email/password_reset_key")
    assert french != subject_in("en", "account/email/password_reset_key")

    client.post(reverse("account_reset_password"), {"email": user.email}, HTTP_ACCEPT_LANGUAGE="en")

    (message,) = mail.outbox
    assert message.subject == french


@override_settings(ACCOUNT_FORMS={"signup": "accounts.forms.SignupForm"})
def test_the_confirmation_email_after_signup_is_in_the_signup_language(client):
    client.post(
        reverse("account_signup"),
        {
            "full_name": "Lotte Maes",
            "email": "lotte@voorbeeld.be",
            "password1": "a long and unusual passphrase 7",
            "password2": "a long and unusual passphrase 7",
            "sector": Sector.YOUTH_WORK,
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    (message,) = mail.outbox
    assert message.subject == subject_in("fr", "account/email/email_confirmation_signup")
    assert message.subject != subject_in("nl", "account/email/email_confirmation_signup")


def test_a_reset_request_for_an_unknown_address_is_answered_in_the_page_language(client):
    with override_settings(ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS=True):
        client.post(
            reverse("account_reset_password"),
            {"email": "nobody@example.org"},
            HTTP_ACCEPT_LANGUAGE="fr",
        )

    (message,) = mail.outbox
    assert message.subject == subject_in("fr", "account/email/unknown_account")


@pytest.mark.parametrize(
    ("code", "expected"),
    [("fr", "fr"), ("fr-be", "fr"), ("nl_BE", "nl"), ("EN", "en"), ("de", "nl"), (None, "nl")],
)
def test_a_language_code_is_reduced_to_one_the_platform_speaks(code, expected):
    assert supported_language(code) == expected
