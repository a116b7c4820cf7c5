"""Staff must set up two-step verification before a staff page opens.

With ``STAFF_MFA_REQUIRED`` on, a signed-in staff member without an authenticator app (TOTP) who
asks for the admin or any page under ``/staff/`` is sent to allauth's page that sets one up.
Everything else passes untouched: allauth's own pages (that is where the set-up happens), static
files, logging out, and the API — staff-only API views deny such a user themselves
(``accounts.permissions.IsStaffWithMFA``) with a JSON answer instead of a redirect.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.permissions import must_set_up_two_step_verification

STAFF_AREA_PREFIXES = ("/admin/", "/staff/")

MFA_REQUIRED_MESSAGE = _(
    "Coalition staff must set up two-step verification before opening staff pages."
)


def is_staff_area(path: str) -> bool:
    return path.startswith(STAFF_AREA_PREFIXES)


class StaffMFARequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            is_staff_area(request.path_info)
            and not self._is_logout(request.path_info)
            and must_set_up_two_step_verification(request.user)
        ):
            messages.warning(request, MFA_REQUIRED_MESSAGE)
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _is_logout(path: str) -> bool:
        # /admin/logout/, and the log-out of any staff page to come.
        return path.rstrip("/").endswith("/logout")
