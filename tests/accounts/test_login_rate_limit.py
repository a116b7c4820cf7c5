"""Guessing passwords is cut short: after repeated failures even the right password is refused.

allauth reports this limit on the login form itself ("Too many failed login attempts"), with the
page answered normally; the cache holding the counts is LocMem on a laptop and Redis in CI.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.accounts.helpers import PASSWORD

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed login attempts. Try again later."


def log_in(client, email: str, password: str):
    client.cookies["django_language"] = "en"
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_it_refuses_the_right_password_after_ten_wrong_ones(client, expert):
    for _attempt in range(10):
        response = log_in(client, expert.email, "not the password")
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session

    response = log_in(client, expert.email, PASSWORD)

    assert response.status_code == 200  # allauth re-shows the form with the message
    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_few_wrong_passwords_do_not_lock_out_the_owner(client, expert):
    for _attempt in range(3):
        log_in(client, expert.email, "not the password")

    response = log_in(client, expert.email, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(expert.pk)
