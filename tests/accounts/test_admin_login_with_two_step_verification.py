"""Logging in to the admin goes through allauth: password, then the code from the app."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.accounts.helpers import PASSWORD, activate_totp, current_totp_code

pytestmark = pytest.mark.django_db


def log_in_to_admin(client, user):
    return client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD, "next": "/admin/"}
    )


def test_it_sends_the_admin_login_page_to_the_allauth_login(client):
    response = client.get(reverse("admin:login") + "?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"


@override_settings(STAFF_MFA_REQUIRED=True)
def test_staff_with_an_app_reach_the_admin_after_their_password_and_a_code(client, staff_user):
    secret = activate_totp(staff_user)

    password_step = log_in_to_admin(client, staff_user)
    assert password_step.status_code == 302
    assert password_step["Location"] == reverse("mfa_authenticate")

    code_step = client.post(reverse("mfa_authenticate"), {"code": current_totp_code(secret)})
    assert code_step.status_code == 302
    assert code_step["Location"] == "/admin/"

    admin_index = client.get("/admin/")
    assert admin_index.status_code == 200
    assert admin_index.wsgi_request.user == staff_user


@override_settings(STAFF_MFA_REQUIRED=True)
def test_a_password_alone_does_not_open_the_admin_for_staff_with_an_app(client, staff_user):
    activate_totp(staff_user)
    log_in_to_admin(client, staff_user)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert not response.wsgi_request.user.is_authenticated


@override_settings(STAFF_MFA_REQUIRED=True)
def test_a_wrong_code_does_not_open_the_admin(client, staff_user):
    secret = activate_totp(staff_user)
    log_in_to_admin(client, staff_user)
    right = current_totp_code(secret)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    code_step = client.post(reverse("mfa_authenticate"), {"code": wrong})

    assert code_step.status_code == 200
    assert client.get("/admin/").status_code == 302
