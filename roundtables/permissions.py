"""Who may see and do what around roundtables, as named predicates (tested as a matrix).

Roles come from ``accounts.roles``: staff is ``is_staff``, an expert is any active account with a
verified e-mail address. Whether registration is open *now* is a question of the roundtable's
state, answered by ``roundtables.selectors.registration_open``; these predicates answer *who*.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.roles import is_expert, is_staff_member
from consultations.models import CampaignStatus
from roundtables.models import RoundtableStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from roundtables.models import Outcome, Registration, Roundtable

    AnyUser = User | AnonymousUser


def _is_public(roundtable: Roundtable) -> bool:
    return (
        roundtable.status != RoundtableStatus.DRAFT
        and roundtable.campaign.status != CampaignStatus.DRAFT
    )


def _is_registrant(user: AnyUser | None, registration: Registration) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and registration.user_id == user.pk
    )


def can_view_roundtable(user: AnyUser | None, roundtable: Roundtable) -> bool:
    """Anyone sees a published (or cancelled) roundtable of a published campaign; staff see
    drafts too."""
    return _is_public(roundtable) or is_staff_member(user)


def can_register_for_roundtable(user: AnyUser | None, roundtable: Roundtable) -> bool:
    """Signed in with a verified e-mail address, for a roundtable the public can see."""
    return _is_public(roundtable) and is_expert(user)


def can_manage_roundtable(user: AnyUser | None, roundtable: Roundtable) -> bool:
    """Plan, change and cancel roundtables: staff."""
    return is_staff_member(user)


def can_change_roundtable_capacity(user: AnyUser | None, roundtable: Roundtable) -> bool:
    return can_manage_roundtable(user, roundtable)


def can_list_registrations(user: AnyUser | None, roundtable: Roundtable) -> bool:
    """Who registered for a roundtable, with their needs: staff only."""
    return is_staff_member(user)


def can_view_registration(user: AnyUser | None, registration: Registration) -> bool:
    """A registration is seen by the person who made it and by staff, never by other experts."""
    return _is_registrant(user, registration) or is_staff_member(user)


def can_cancel_registration(user: AnyUser | None, registration: Registration) -> bool:
    """The registrant cancels their own; staff may cancel anyone's (state aside)."""
    return _is_registrant(user, registration) or is_staff_member(user)


def can_check_in_registration(user: AnyUser | None, registration: Registration) -> bool:
    return is_staff_member(user)


def can_record_outcome(user: AnyUser | None, roundtable: Roundtable) -> bool:
    """Outcomes go into the end report: staff record them."""
    return is_staff_member(user)


def can_view_outcome(user: AnyUser | None, outcome: Outcome) -> bool:
    """Like minutes, an outcome is public with its roundtable."""
    return can_view_roundtable(user, outcome.roundtable)
