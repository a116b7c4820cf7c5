"""The staff-only and verified-user API permissions, for every persona."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from accounts.permissions import IsStaffWithMFA, IsVerifiedUser, can_open_staff_area
from tests.accounts.helpers import activate_totp

pytestmark = pytest.mark.django_db


class StaffOnlyView(APIView):
    permission_classes = [IsStaffWithMFA]

    def get(self, request):
        return Response({"secret": "results"})


class VerifiedOnlyView(APIView):
    permission_classes = [IsVerifiedUser]

    def post(self, request):
        return Response({"registered": True})


def call(view_class, user=None, method: str = "get"):
    request = getattr(APIRequestFactory(), method)("/api/v1/anything/", format="json")
    if user is not None:
        force_authenticate(request, user=user)
    return view_class.as_view()(request)


@pytest.fixture
def staff_with_app(make_user):
    user = make_user("secure@coalition.example", is_staff=True)
    activate_totp(user)
    return user


class TestIsStaffWithMFA:
    @pytest.fixture(autouse=True)
    def _two_step_verification_required(self, settings):
        settings.STAFF_MFA_REQUIRED = True

    def test_an_anonymous_visitor_is_asked_to_log_in(self):
        response = call(StaffOnlyView)

        assert response.status_code in (401, 403)
        assert response.data["detail"].code == "not_authenticated"

    def test_an_expert_is_refused(self, expert):
        response = call(StaffOnlyView, expert)

        assert response.status_code == 403
        assert response.data["detail"].code == "staff_only"

    def test_staff_without_an_app_are_refused_and_told_how_to_fix_it(self, staff_user):
        response = call(StaffOnlyView, staff_user)

        assert response.status_code == 403
        assert response.data["detail"].code == "two_step_verification_required"
        assert "/accounts/2fa/totp/activate/" in str(response.data["detail"])

    def test_staff_with_an_app_get_through(self, staff_with_app):
        response = call(StaffOnlyView, staff_with_app)

        assert response.status_code == 200
        assert response.data == {"secret": "results"}

    def test_a_deactivated_staff_account_is_refused(self, staff_with_app):
        staff_with_app.is_active = False
        staff_with_app.save()

        assert call(StaffOnlyView, staff_with_app).status_code == 403


@override_settings(STAFF_MFA_REQUIRED=False)
def test_in_the_local_demo_staff_without_an_app_get_through(staff_user):
    assert call(StaffOnlyView, staff_user).status_code == 200


@override_settings(STAFF_MFA_REQUIRED=False)
def test_in_the_local_demo_an_expert_is_still_refused(expert):
    assert call(StaffOnlyView, expert).status_code == 403


class TestIsVerifiedUser:
    def test_an_anonymous_visitor_is_asked_to_log_in(self):
        response = call(VerifiedOnlyView, method="post")

        assert response.status_code in (401, 403)
        assert response.data["detail"].code == "not_authenticated"

    def test_a_user_with_an_unconfirmed_address_is_told_to_confirm_it(self, make_user):
        response = call(VerifiedOnlyView, make_user("new@example.org", verified=False), "post")

        assert response.status_code == 403
        assert response.data["detail"].code == "email_not_verified"

    def test_a_user_with_a_confirmed_address_gets_through(self, expert):
        assert call(VerifiedOnlyView, expert, "post").status_code == 200

    def test_staff_with_a_confirmed_address_get_through(self, staff_user):
        assert call(VerifiedOnlyView, staff_user, "post").status_code == 200


class TestCanOpenStaffArea:
    @override_settings(STAFF_MFA_REQUIRED=True)
    def test_with_two_step_verification_required(self, staff_user, staff_with_app, expert):
        assert not can_open_staff_area(AnonymousUser())
        assert not can_open_staff_area(expert)
        assert not can_open_staff_area(staff_user)
        assert can_open_staff_area(staff_with_app)

    @override_settings(STAFF_MFA_REQUIRED=False)
    def test_in_the_local_demo(self, staff_user, expert):
        assert not can_open_staff_area(AnonymousUser())
        assert not can_open_staff_area(expert)
        assert can_open_staff_area(staff_user)
