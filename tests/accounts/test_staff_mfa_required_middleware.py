"""Staff must set up two-step verification before the admin or a staff page opens."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.contrib.messages import get_messages
from django.test import override_settings
from django.urls import reverse

from accounts.middleware import MFA_REQUIRED_MESSAGE
from tests.accounts.helpers import PASSWORD, activate_totp, current_totp_code

pytestmark = pytest.mark.django_db

ADMIN_INDEX = "/admin/"


@pytest.fixture
def totp_setup_url() -> str:
    return reverse("mfa_activate_totp")


@override_settings(STAFF_MFA_REQUIRED=True)
def test_it_sends_staff_without_an_authenticator_app_from_the_admin_to_set_one_up(
    client, staff_user, totp_setup_url
):
    client.force_login(staff_user)

    response = client.get(ADMIN_INDEX)

    assert response.status_code == 302
    assert response["Location"] == totp_setup_url
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert str(MFA_REQUIRED_MESSAGE) in shown


@override_settings(STAFF_MFA_REQUIRED=True)
def test_it_guards_every_admin_page_and_every_staff_page_not_only_the_index(
    client, staff_user, totp_setup_url
):
    client.force_login(staff_user)

    for path in ("/admin/accounts/user/", "/staff/", "/staff/campaigns/some-campaign/results/"):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, totp_setup_url), path


@override_settings(STAFF_MFA_REQUIRED=True)
def test_it_lets_staff_with_an_authenticator_app_into_the_admin(client, staff_user):
    activate_totp(staff_user)
    client.force_login(staff_user)

    response = client.get(ADMIN_INDEX)

    assert response.status_code == 200
    assert response.wsgi_request.user == staff_user


@override_settings(STAFF_MFA_REQUIRED=True)
def test_it_leaves_a_user_who_is_not_staff_to_the_admin_own_refusal(client, expert, totp_setup_url):
    client.force_login(expert)

    response = client.get(ADMIN_INDEX)

    assert response.status_code == 302
    assert response["Location"] != totp_setup_url
    assert response["Location"].startswith(reverse("admin:login"))


@override_settings(STAFF_MFA_REQUIRED=True)
def test_it_sends_an_anonymous_visitor_to_log_in_rather_than_to_set_up_an_app(
    client, totp_setup_url
):
    response = client.get(ADMIN_INDEX)

    assert response.status_code == 302
    assert response["Location"] != totp_setup_url


@override_settings(STAFF_MFA_REQUIRED=False)
def test_it_lets_staff_into_the_admin_without_an_app_in_the_local_demo(client, staff_user):
    client.force_login(staff_user)

    response = client.get(ADMIN_INDEX)

    assert response.status_code == 200


@override_settings(STAFF_MFA_REQUIRED=True)
def test_it_never_blocks_the_account_pages_where_the_app_is_set_up(
    client, staff_user, totp_setup_url
):
    client.force_login(staff_user)

    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("account_email")).status_code == 200
    # allauth asks for the password again before an authenticator is added: its own step, not
    # a loop back to the set-up page.
    setup = client.get(totp_setup_url)
    assert setup.status_code == 302
    assert setup["Location"].startswith(reverse("account_reauthenticate"))


@override_settings(STAFF_MFA_REQUIRED=True)
def test_it_lets_staff_without_an_app_log_out_of_the_admin(client, staff_user):
    client.force_login(staff_user)

    response = client.post(reverse("admin:logout"))

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@override_settings(STAFF_MFA_REQUIRED=True)
def test_it_does_not_redirect_api_requests(client, staff_user):
    client.force_login(staff_user)

    response = client.get(reverse("api-schema"))

    assert response.status_code == 200


@override_settings(STAFF_MFA_REQUIRED=True)
def test_staff_who_set_up_an_app_where_they_were_sent_then_reach_the_admin(
    client, staff_user, totp_setup_url
):
    client.post(reverse("account_login"), {"login": staff_user.email, "password": PASSWORD})
    assert client.get(ADMIN_INDEX)["Location"] == totp_setup_url

    # allauth asks for the password once more before an authenticator is added.
    confirm_password = client.get(totp_setup_url)
    assert confirm_password["Location"].startswith(reverse("account_reauthenticate"))
    client.post(confirm_password["Location"], {"password": PASSWORD})
    setup_page = client.get(totp_setup_url)
    assert setup_page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    activated = client.post(totp_setup_url, {"code": current_totp_code(secret)})
    assert activated.status_code == 302

    assert client.get(ADMIN_INDEX).status_code == 200
