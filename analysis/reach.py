"""A coordinator's view of their own organisation's reach in a campaign (DESIGN §6).

Counts of responses only — per invite link, per day and per age band — never answers. The
organisation's responses are one group of young people: with fewer than the campaign's
``min_cell_size`` k of them, nothing is published (not even the total); otherwise every
breakdown goes through ``analysis.suppression.suppress_group``, like every other published
number. Withdrawn responses are not counted.

Who may see it is ``can_view_organisation_reach``: the organisation's coordinators and staff.
"""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate

from accounts.permissions import can_open_staff_area
from accounts.roles import coordinator_organisations
from analysis.suppression import SuppressedGroup, suppress_group
from consultations.models import AgeBand, Campaign, InviteLink, MemberOrganisation
from surveys.models import Response

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class ReachRow:
    """One published cell: ``count`` is None exactly when ``suppressed``."""

    key: Hashable
    label: str
    count: int | None
    suppressed: bool


@dataclass(frozen=True)
class OrganisationReach:
    """What a coordinator may see. ``total`` is None when the organisation has fewer than
    ``k`` responses; then every row of every breakdown is suppressed as well."""

    organisation: MemberOrganisation
    campaign: Campaign
    k: int
    total: int | None
    invite_links: list[InviteLink]
    per_invite_link: list[ReachRow]
    per_day: list[ReachRow]
    per_age_band: list[ReachRow]

    @property
    def suppressed(self) -> bool:
        return self.total is None


def can_view_organisation_reach(user: AnyUser | None, organisation: MemberOrganisation) -> bool:
    """The organisation's own coordinators, and coalition staff (with two-step verification when
    it is required)."""
    if can_open_staff_area(user):
        return True
    return coordinator_organisations(user).filter(pk=organisation.pk).exists()


def coordinator_campaigns(*, organisation: MemberOrganisation) -> QuerySet[Campaign]:
    """The campaigns an organisation takes part in or holds invite links for."""
    return (
        Campaign.objects.filter(
            Q(organisations=organisation) | Q(invite_links__organisation=organisation)
        )
        .distinct()
        .order_by("-created_at")
    )


def published_rows(group: SuppressedGroup, labels: Mapping[Hashable, str]) -> list[ReachRow]:
    """The cells of a suppressed group as rows, in the group's order, with their labels."""
    return [
        ReachRow(key=key, label=labels[key], count=cell.value, suppressed=cell.suppressed)
        for key, cell in group.cells.items()
    ]


def counted_responses(*, campaign: Campaign) -> QuerySet[Response]:
    """The campaign's responses that count: every survey, withdrawn ones left out."""
    return Response.objects.filter(survey__campaign=campaign, withdrawn_at__isnull=True).order_by()


def count_per(counted: QuerySet[Response], field: str) -> dict[Any, int]:
    """Responses per value of ``field``, in one GROUP BY query."""
    return dict(counted.values(field).annotate(n=Count("pk")).values_list(field, "n"))


def count_per_local_day(counted: QuerySet[Response]) -> dict[datetime.date, int]:
    """Responses per calendar day in the project's time zone (Brussels), in one query."""
    local_day = TruncDate("submitted_at", tzinfo=ZoneInfo(settings.TIME_ZONE))
    return count_per(counted.annotate(day=local_day), "day")


def campaign_age_bands(*, campaign: Campaign) -> list[AgeBand]:
    """The campaign's age bands, youngest first (one query)."""
    return list(AgeBand.objects.filter(campaign=campaign).order_by("order", "min_age"))


def organisation_reach(
    *, organisation: MemberOrganisation, campaign: Campaign
) -> OrganisationReach:
    """Responses of ``organisation`` in ``campaign`` per invite link, day and age band,
    suppressed per DESIGN §4. Five queries, however many responses, links or days."""
    k = campaign.min_cell_size
    counted = counted_responses(campaign=campaign).filter(organisation=organisation)

    invite_links = list(
        InviteLink.objects.filter(campaign=campaign, organisation=organisation).order_by(
            "-is_active", "label", "pk"
        )
    )
    age_bands = campaign_age_bands(campaign=campaign)

    per_link = count_per(counted, "invite_link_id")
    per_band = count_per(counted, "age_band_id")
    per_day = count_per_local_day(counted)

    # Every response of an organisation came in through one of its links (a DB constraint).
    total = sum(per_link.values())
    link_group = suppress_group(
        {link.pk: per_link.get(link.pk, 0) for link in invite_links}, total=total, k=k
    )
    band_group = suppress_group(
        {band.pk: per_band.get(band.pk, 0) for band in age_bands}, total=total, k=k
    )
    # A suppressed organisation lists no days at all: a listed day would say someone answered.
    days = sorted(per_day) if total >= k else []
    day_group = suppress_group({day: per_day[day] for day in days}, total=total, k=k)

    return OrganisationReach(
        organisation=organisation,
        campaign=campaign,
        k=k,
        total=link_group.n,
        invite_links=invite_links,
        per_invite_link=published_rows(link_group, {link.pk: link.label for link in invite_links}),
        per_day=published_rows(day_group, {day: day.isoformat() for day in days}),
        per_age_band=published_rows(band_group, {band.pk: band.code for band in age_bands}),
    )
