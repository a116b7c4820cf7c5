"""Who may open staff areas, and the DRF permission classes other apps put on their API views.

Staff pages and staff API endpoints hold answers of young people: with ``STAFF_MFA_REQUIRED`` on
(production), a staff account is only trusted once it has an authenticator app set up. The local
demo runs with it off so that it stays easy to try.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from accounts.roles import has_totp, has_verified_email, is_staff_member

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from rest_framework.request import Request
    from rest_framework.views import APIView

    from accounts.models import User

    AnyUser = User | AnonymousUser


def must_set_up_two_step_verification(user: AnyUser | None) -> bool:
    """A staff member who may not open staff areas until they set up an authenticator app."""
    return bool(settings.STAFF_MFA_REQUIRED) and is_staff_member(user) and not has_totp(user)


def can_open_staff_area(user: AnyUser | None) -> bool:
    """Staff pages, the admin and staff-only API endpoints."""
    return is_staff_member(user) and not must_set_up_two_step_verification(user)


class IsStaffWithMFA(BasePermission):
    """Coalition staff, with two-step verification when ``STAFF_MFA_REQUIRED`` is on."""

    message = _("Only coalition staff can do this.")
    code = "staff_only"

    def has_permission(self, request: Request, view: APIView) -> bool:
        if must_set_up_two_step_verification(request.user):
            # DRF builds a fresh instance per request, so the message can be set here.
            self.message = _(
                "Coalition staff must set up two-step verification before using staff "
                "endpoints: open %(url)s in a browser."
            ) % {"url": reverse("mfa_activate_totp")}
            self.code = "two_step_verification_required"
            return False
        return can_open_staff_area(request.user)


class IsVerifiedUser(BasePermission):
    """Signed in, active, with a confirmed e-mail address (experts registering for roundtables)."""

    message = _(
        "Confirm your e-mail address first: follow the link in the e-mail we sent you when you "
        "signed up."
    )
    code = "email_not_verified"

    def has_permission(self, request: Request, view: APIView) -> bool:
        return has_verified_email(request.user)
