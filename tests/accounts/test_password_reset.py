"""Someone who forgot their password gets an e-mail with a link that lets them set a new one."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.urls import reverse

from tests.accounts.helpers import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase 2026"
RESET_LINK = re.compile(r"https?://\S+/accounts/password/reset/key/\S+/")


def request_reset(client, email: str):
    return client.post(reverse("account_reset_password"), {"email": email})


def reset_link_path() -> str:
    (message,) = mail.outbox
    return urlparse(RESET_LINK.search(message.body).group(0)).path


def log_in(client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_the_reset_email_goes_to_the_account_address(client, expert):
    response = request_reset(client, expert.email)

    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[expert.email]]
    assert mail.outbox[0].subject.startswith("[Inspraak] ")


def test_the_link_in_the_email_sets_a_new_password(client, expert):
    request_reset(client, expert.email)

    # allauth moves the key out of the address into the session before showing the form.
    form_page = client.get(reset_link_path(), follow=True)
    assert form_page.status_code == 200
    submit = client.post(
        form_page.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert submit.status_code == 302
    assert submit["Location"] == reverse("account_reset_password_from_key_done")

    expert.refresh_from_db()
    assert expert.check_password(NEW_PASSWORD)
    assert not expert.check_password(PASSWORD)
    assert log_in(client, expert.email, NEW_PASSWORD)["Location"] == "/"


def test_a_used_link_does_not_work_twice(client, expert):
    request_reset(client, expert.email)
    path = reset_link_path()
    first = client.get(path, follow=True)
    client.post(first.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.logout()

    again = client.get(path)

    assert again.status_code == 200
    assert again.context["token_fail"] is True
