"""Every write to campaigns, member organisations and invite links goes through here."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext

from accounts.models import User
from config.exceptions import ConflictError, InvalidInputError
from consultations.models import (
    AgeBand,
    Campaign,
    CampaignStatus,
    CrcArticle,
    InviteLink,
    MemberOrganisation,
    campaign_transition_refusal,
)
from consultations.validators import validate_age_bands


class AgeBandSpec(TypedDict, total=False):
    code: str  # defaults to "<min_age>-<max_age>"
    min_age: int  # required
    max_age: int  # required
    easy_read: bool
    order: int


DEFAULT_AGE_BANDS: tuple[AgeBandSpec, ...] = (
    {"code": "6-8", "min_age": 6, "max_age": 8, "easy_read": True},
    {"code": "9-11", "min_age": 9, "max_age": 11, "easy_read": True},
    {"code": "12-14", "min_age": 12, "max_age": 14, "easy_read": False},
    {"code": "15-17", "min_age": 15, "max_age": 17, "easy_read": False},
)


def _invalid_input(error: ValidationError, *, default_field: str) -> InvalidInputError:
    """The first message of a Django ValidationError, as the error our API handler answers."""
    if hasattr(error, "error_dict"):
        field, messages = next(iter(error.message_dict.items()))
        if field == "__all__":
            field = default_field
        return InvalidInputError(messages[0], field=field)
    return InvalidInputError(error.messages[0], field=default_field)


def _age_bands_from_specs(
    campaign: Campaign, specs: Iterable[AgeBandSpec | dict[str, Any]]
) -> list[AgeBand]:
    bands = []
    for position, spec in enumerate(specs):
        try:
            min_age, max_age = int(spec["min_age"]), int(spec["max_age"])
        except (KeyError, TypeError, ValueError):
            raise InvalidInputError(
                gettext("Each age band needs a whole-number min_age and max_age."),
                field="age_bands",
            ) from None
        band = AgeBand(
            campaign=campaign,
            code=str(spec.get("code") or f"{min_age}-{max_age}"),
            min_age=min_age,
            max_age=max_age,
            easy_read=bool(spec.get("easy_read", False)),
            order=int(spec.get("order", position)),
        )
        try:
            # The campaign is not saved yet: (campaign, code) is checked by validate_age_bands.
            band.full_clean(exclude=["campaign"])
        except ValidationError as error:
            problem = _invalid_input(error, default_field="age_bands")
            raise InvalidInputError(f"{band.code}: {problem.message}", field="age_bands") from None
        bands.append(band)
    try:
        validate_age_bands(bands)
    except ValidationError as error:
        raise InvalidInputError(error.messages[0], field="age_bands") from None
    return bands


def _theme_articles(items: Iterable[CrcArticle | str]) -> list[CrcArticle]:
    articles = [item for item in items if isinstance(item, CrcArticle)]
    codes = [str(item) for item in items if not isinstance(item, CrcArticle)]
    found = {article.code: article for article in CrcArticle.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise InvalidInputError(
            gettext("Unknown UNCRC article '%(code)s'.") % {"code": unknown[0]},
            field="theme_articles",
        )
    return [*articles, *found.values()]


@transaction.atomic
def campaign_create(
    *,
    slug: str,
    title_nl: str,
    title_fr: str = "",
    title_en: str = "",
    summary_nl: str = "",
    summary_fr: str = "",
    summary_en: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    results_expected_on: datetime.date | None = None,
    languages: Sequence[str] | None = None,
    min_cell_size: int = 10,
    theme_articles: Iterable[CrcArticle | str] = (),
    organisations: Iterable[MemberOrganisation] = (),
    age_bands: Sequence[AgeBandSpec | dict[str, Any]] | None = None,
) -> Campaign:
    """Create a draft campaign with its age bands.

    ``age_bands`` None gives the default bands 6-8 and 9-11 (easy read), 12-14 and 15-17; an
    empty list gives none. ``theme_articles`` are articles or their codes ("12", "6(2)").
    Raises InvalidInputError naming the field for anything the campaign refuses: a taken slug,
    an unknown language, a minimum cell size under 5, overlapping age bands, an end before
    the start.
    """
    campaign = Campaign(
        slug=slug,
        title_nl=title_nl,
        title_fr=title_fr,
        title_en=title_en,
        summary_nl=summary_nl,
        summary_fr=summary_fr,
        summary_en=summary_en,
        starts_on=starts_on,
        ends_on=ends_on,
        results_expected_on=results_expected_on,
        min_cell_size=min_cell_size,
        status=CampaignStatus.DRAFT,
    )
    if languages is not None:
        campaign.languages = list(languages)
    try:
        campaign.full_clean()
    except ValidationError as error:
        raise _invalid_input(error, default_field="slug") from None
    articles = _theme_articles(list(theme_articles))
    bands = _age_bands_from_specs(campaign, DEFAULT_AGE_BANDS if age_bands is None else age_bands)
    try:
        with transaction.atomic():
            campaign.save()
    except IntegrityError:
        # Another request took the slug between the check above and this insert.
        raise InvalidInputError(
            gettext("Campaign with this slug already exists."), field="slug"
        ) from None
    for band in bands:
        band.campaign = campaign
    AgeBand.objects.bulk_create(bands)
    campaign.theme_articles.set(articles)
    campaign.organisations.set(list(organisations))
    return campaign


@transaction.atomic
def campaign_transition(*, campaign: Campaign, to_status: str) -> Campaign:
    """Move a campaign to its next phase.

    Allowed: draft → consulting → analysing → reporting → closed, and analysing → consulting
    to reopen. Anything else raises InvalidInputError on the field ``status`` saying where the
    campaign can go instead. The row is locked, so two staff members cannot both move it.
    """
    current = Campaign.objects.select_for_update().get(pk=campaign.pk)
    refusal = campaign_transition_refusal(current.status, str(to_status))
    if refusal:
        campaign.status = current.status
        raise InvalidInputError(refusal, field="status")
    current.status = to_status
    current.save(update_fields=["status", "updated_at"])
    campaign.status = current.status
    campaign.updated_at = current.updated_at
    return campaign


@transaction.atomic
def member_organisation_create(
    *, name: str, slug: str | None = None, coordinators: Iterable[User] = ()
) -> MemberOrganisation:
    """Add a member organisation of the coalition; the slug defaults to one made of the name."""
    organisation = MemberOrganisation(name=name.strip(), slug=slug or slugify(name))
    try:
        organisation.full_clean()
    except ValidationError as error:
        raise _invalid_input(error, default_field="name") from None
    organisation.save()
    organisation.coordinators.set(list(coordinators))
    return organisation


@transaction.atomic
def invite_link_create(
    *, campaign: Campaign, organisation: MemberOrganisation, label: str
) -> InviteLink:
    """Issue a new invite link (and so a QR code) for one group of an organisation.

    The organisation is added to the campaign's taking part if it was not yet. Refused for a
    closed campaign, an inactive organisation, an empty label, and a label already used by an
    active link of the same organisation in the campaign (deactivate that one first).
    """
    link = InviteLink(campaign=campaign, organisation=organisation, label=" ".join(label.split()))
    try:
        link.full_clean(exclude=["code"])
    except ValidationError as error:
        problems = error.message_dict
        if "campaign" in problems:
            raise ConflictError(problems["campaign"][0], field="campaign") from None
        if "__all__" in problems:  # the active label is taken
            raise ConflictError(problems["__all__"][0], field="label") from None
        raise _invalid_input(error, default_field="label") from None
    try:
        link.save()
    except IntegrityError:
        same_label = InviteLink.objects.filter(
            campaign=campaign, organisation=organisation, label=link.label, is_active=True
        )
        if not same_label.exists():
            raise
        # The same label was issued at the same moment (the partial unique constraint).
        raise ConflictError(
            gettext(
                "This organisation already has an active invite link with this label "
                "for this campaign."
            ),
            field="label",
        ) from None
    campaign.organisations.add(organisation)
    return link


@transaction.atomic
def invite_link_deactivate(*, invite_link: InviteLink) -> InviteLink:
    """Stop a link from working (lost, shared too widely); answers given through it stay.

    Deactivating an inactive link changes nothing.
    """
    InviteLink.objects.filter(pk=invite_link.pk).update(is_active=False)
    invite_link.is_active = False
    return invite_link
