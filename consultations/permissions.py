"""Who may see and manage campaigns and the reach of member organisations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.roles import is_staff_member

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from consultations.models import Campaign, MemberOrganisation


def can_view_campaign(user: User | AnonymousUser, campaign: Campaign) -> bool:
    """Anyone sees a published campaign; only staff see a draft."""
    return campaign.is_published or is_staff_member(user)


def can_manage_campaign(user: User | AnonymousUser, campaign: Campaign) -> bool:
    """Staff author campaigns, move them between phases and issue invite links."""
    return is_staff_member(user)


def can_view_organisation_reach(
    user: User | AnonymousUser, organisation: MemberOrganisation
) -> bool:
    """How many young people an organisation reached: staff, and that organisation's own
    coordinators (never another organisation's)."""
    if is_staff_member(user):
        return True
    if not (user.is_authenticated and user.is_active):
        return False
    return user.coordinated_organisations.filter(pk=organisation.pk).exists()
