"""Who someone is on the platform, as plain predicates.

There are no role fields: staff is ``User.is_staff``; a coordinator is a user named on at least one
member organisation (``MemberOrganisation.coordinators``, owned by ``consultations``); an expert is
any active user whose e-mail address has been verified. One person can hold several roles.

The coordinator link lives in ``consultations``, which depends on ``accounts``: nothing from there
is imported at module level, so the apps load in either order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.models import User
    from consultations.models import MemberOrganisation

    AnyUser = User | AnonymousUser


def _is_active_account(user: AnyUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_staff_member(user: AnyUser | None) -> bool:
    """Coalition staff: signed in, active, ``is_staff`` (two-step verification aside)."""
    return _is_active_account(user) and bool(user.is_staff)


def coordinator_organisations(user: AnyUser | None) -> QuerySet[MemberOrganisation]:
    """The member organisations this user coordinates (none for an anonymous visitor)."""
    if not _is_active_account(user):
        return apps.get_model("consultations", "MemberOrganisation").objects.none()
    return user.coordinated_organisations.all()


def is_coordinator(user: AnyUser | None) -> bool:
    """Named as coordinator of at least one member organisation."""
    return coordinator_organisations(user).exists()


def has_verified_email(user: AnyUser | None) -> bool:
    """The user's primary e-mail address has been confirmed through the link allauth sent."""
    if not _is_active_account(user):
        return False
    return EmailAddress.objects.filter(user_id=user.pk, primary=True, verified=True).exists()


def is_expert(user: AnyUser | None) -> bool:
    """Anyone with an active account and a verified e-mail may register for roundtables."""
    return has_verified_email(user)


def has_totp(user: AnyUser | None) -> bool:
    """An authenticator app (TOTP) is set up, so logging in asks for a code."""
    if not _is_active_account(user):
        return False
    return is_mfa_enabled(user, types=[Authenticator.Type.TOTP])
