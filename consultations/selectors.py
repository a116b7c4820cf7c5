"""Reads of campaigns, organisations, invite links and the UNCRC reference data."""

from __future__ import annotations

import functools

from django.db import connection
from django.db.models import F, Prefetch, QuerySet
from django.utils.translation import gettext

from config.exceptions import NotFoundError
from config.rows import column, instance_from_row, select_list, table
from consultations.models import (
    INVITE_CODE_LENGTH,
    Campaign,
    CampaignStatus,
    CrcArticle,
    CrcCluster,
    InviteLink,
    MemberOrganisation,
)


def _campaigns_with_details() -> QuerySet[Campaign]:
    return Campaign.objects.prefetch_related(
        "age_bands",
        Prefetch("theme_articles", queryset=CrcArticle.objects.select_related("primary_cluster")),
    )


def campaign_list_published() -> QuerySet[Campaign]:
    """Campaigns the public may see (every status but draft), the most recent start first."""
    return (
        _campaigns_with_details()
        .exclude(status=CampaignStatus.DRAFT)
        .order_by(F("starts_on").desc(nulls_last=True), "-created_at", "-pk")
    )


def campaign_get_published(*, slug: str) -> Campaign:
    campaign = campaign_list_published().filter(slug=slug).first()
    if campaign is None:
        raise NotFoundError(gettext("There is no published campaign at this address."))
    return campaign


def campaign_get(*, slug: str) -> Campaign:
    """Any campaign, drafts included: for staff pages, which check can_manage_campaign."""
    campaign = _campaigns_with_details().filter(slug=slug).first()
    if campaign is None:
        raise NotFoundError(gettext("There is no campaign at this address."))
    return campaign


def crc_clusters_with_articles() -> list[CrcCluster]:
    """The Committee's clusters in its order, each with ``articles``: the articles filed under
    it, whether as their main cluster or as another one, ordered by article number.

    Each article in a cluster's list carries ``is_primary``, False where the cluster is not
    the article's main one (6(2) is under general principles and also under health).
    """
    articles = CrcArticle.objects.order_by("number", "part")
    clusters = list(
        CrcCluster.objects.order_by("order").prefetch_related(
            Prefetch("primary_articles", queryset=articles, to_attr="_primary"),
            Prefetch("secondary_articles", queryset=articles, to_attr="_secondary"),
        )
    )
    for cluster in clusters:
        for article in cluster._primary:
            article.is_primary = True
        for article in cluster._secondary:
            article.is_primary = False
        cluster.articles = sorted(
            [*cluster._primary, *cluster._secondary],
            key=lambda article: (article.number, article.part),
        )
    return clusters


def member_organisation_list_active() -> QuerySet[MemberOrganisation]:
    return MemberOrganisation.objects.filter(is_active=True).order_by("name")


def invite_link_list(
    *, campaign: Campaign | None = None, organisation: MemberOrganisation | None = None
) -> QuerySet[InviteLink]:
    """Invite links, active first, optionally of one campaign and/or one organisation."""
    links = InviteLink.objects.select_related("campaign", "organisation")
    if campaign is not None:
        links = links.filter(campaign=campaign)
    if organisation is not None:
        links = links.filter(organisation=organisation)
    return links.order_by("-is_active", "organisation__name", "label", "pk")


def normalise_invite_code(code: str) -> str:
    """What a young person typed, as stored: upper case, without spaces or dashes."""
    return "".join(code.split()).replace("-", "").upper()


def invite_link_get_active(*, code: str, ids_only: bool = False) -> InviteLink:
    """The active link behind a code, its campaign and organisation loaded; with ``ids_only``
    only the ids of the link, its campaign and its organisation (what a submission stores, read
    on every submission).

    Raises NotFoundError for an unknown code and for a deactivated link alike, so that
    the answer does not tell which codes once existed.
    """
    normalised = normalise_invite_code(code)
    link = None
    if len(normalised) == INVITE_CODE_LENGTH:
        if ids_only:
            link = _invite_link_ids(normalised)
        else:
            link = (
                InviteLink.objects.filter(code=normalised, is_active=True)
                .select_related("campaign", "organisation")
                .first()
            )
    if link is None:
        raise NotFoundError(gettext("This invite code does not work (any more)."), field="code")
    return link


_IDS_ONLY = ("id", "campaign", "organisation")


def _invite_link_ids(code: str) -> InviteLink | None:
    """The active link with this (normalised) code, only its ids loaded: one hand-written
    statement, since every submission through a link reads it (config.rows)."""
    with connection.cursor() as cursor:
        cursor.execute(_invite_link_ids_sql(), [code])
        row = cursor.fetchone()
    return None if row is None else instance_from_row(InviteLink, row, fields=_IDS_ONLY)


_INVITE_LINK_IDS = "SELECT {columns} FROM {table} l WHERE l.{code} = %s AND l.{is_active}"


@functools.cache
def _invite_link_ids_sql() -> str:
    return _INVITE_LINK_IDS.format(
        columns=select_list(InviteLink, "l", _IDS_ONLY),
        table=table(InviteLink),
        code=column(InviteLink, "code"),
        is_active=column(InviteLink, "is_active"),
    )
