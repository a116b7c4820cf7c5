"""The staff overview of one campaign: how many young people answered, per day, per member
organisation, per age band and per language.

Counts of responses only, over every survey of the campaign, withdrawn responses left out. The
campaign's responses are the overall group, so the total is exact (DESIGN §4); inside each
breakdown small counts go through ``analysis.suppression.suppress_group`` like every other
published number. The counting and the row shape are shared with the coordinators' reach
(``analysis.reach``).
"""

from __future__ import annotations

import datetime
from collections.abc import Hashable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext

from analysis.reach import (
    ReachRow,
    campaign_age_bands,
    count_per,
    count_per_local_day,
    counted_responses,
    published_rows,
)
from analysis.suppression import suppress_group
from consultations.models import Campaign, MemberOrganisation

# The key of the row for responses that came in without an invite link (no organisation).
NO_ORGANISATION = None


@dataclass(frozen=True)
class CampaignOverview:
    """What staff see of a campaign's reach. ``total`` is exact; a row's ``count`` is None
    exactly when it is suppressed."""

    campaign: Campaign
    k: int
    total: int
    per_day: list[ReachRow]
    per_organisation: list[ReachRow]
    per_age_band: list[ReachRow]
    per_language: list[ReachRow]

    @property
    def has_suppressed(self) -> bool:
        return any(
            row.suppressed
            for rows in (self.per_day, self.per_organisation, self.per_age_band, self.per_language)
            for row in rows
        )


def _days_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [first + datetime.timedelta(days=offset) for offset in range((last - first).days + 1)]


def campaign_overview(*, campaign: Campaign) -> CampaignOverview:
    """Responses of ``campaign`` per day (Brussels time, every day from the first response to
    the last), organisation, age band and language, suppressed per DESIGN §4. Six queries,
    however many responses, surveys, organisations or days."""
    k = campaign.min_cell_size
    counted = counted_responses(campaign=campaign)

    age_bands = campaign_age_bands(campaign=campaign)
    per_band = count_per(counted, "age_band_id")
    per_organisation = count_per(counted, "organisation_id")
    per_language = count_per(counted, "language")
    per_day = count_per_local_day(counted)

    # Every response has an age band (a non-null foreign key), so this is every response.
    total = sum(per_band.values())

    # The organisations taking part, and any other one whose link brought in responses.
    organisations = list(
        MemberOrganisation.objects.filter(
            Q(campaigns=campaign)
            | Q(pk__in=[pk for pk in per_organisation if pk is not NO_ORGANISATION])
        )
        .distinct()
        .order_by("name")
    )
    organisation_labels: dict[Hashable, str] = {org.pk: org.name for org in organisations}
    if NO_ORGANISATION in per_organisation:
        organisation_labels[NO_ORGANISATION] = gettext("Without an invite link")

    language_names = dict(settings.LANGUAGES)
    languages = [
        code
        for code in language_names
        if code in (campaign.languages or []) or code in per_language
    ]

    days = _days_between(min(per_day), max(per_day)) if per_day else []

    def breakdown(counts: dict[Hashable, int], labels: dict[Hashable, str]) -> list[ReachRow]:
        group = suppress_group(
            {key: counts.get(key, 0) for key in labels}, total=total, k=k, exact_total=True
        )
        return published_rows(group, labels)

    return CampaignOverview(
        campaign=campaign,
        k=k,
        total=total,
        per_day=breakdown(per_day, {day: day.isoformat() for day in days}),
        per_organisation=breakdown(per_organisation, organisation_labels),
        per_age_band=breakdown(per_band, {band.pk: band.code for band in age_bands}),
        per_language=breakdown(
            per_language, {code: str(language_names[code]) for code in languages}
        ),
    )
