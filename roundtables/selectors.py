"""Reads of roundtables, registrations and outcomes.

Seats left and waitlist lengths are annotated in the queryset (one query for a whole list),
never counted per roundtable in a loop.
"""

from __future__ import annotations

import datetime

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from config.exceptions import NotFoundError
from consultations.models import Campaign, CampaignStatus
from roundtables.models import (
    SEAT_HOLDING_STATUSES,
    Outcome,
    OutcomePoint,
    Registration,
    RegistrationStatus,
    Roundtable,
    RoundtableStatus,
)


def with_seat_counts(roundtables: QuerySet[Roundtable]) -> QuerySet[Roundtable]:
    """Annotate ``seats_taken``, ``seats_left`` and ``waitlist_length``."""
    return roundtables.annotate(
        seats_taken=Count(
            "registrations", filter=Q(registrations__status__in=SEAT_HOLDING_STATUSES)
        ),
        waitlist_length=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
        ),
    ).annotate(seats_left=Greatest(F("capacity") - F("seats_taken"), Value(0)))


def _visible_roundtables() -> QuerySet[Roundtable]:
    """What the public may open: published or cancelled (so that a link in someone's calendar
    says it was called off), of a campaign past its draft."""
    return Roundtable.objects.filter(
        status__in=[RoundtableStatus.PUBLISHED, RoundtableStatus.CANCELLED]
    ).exclude(campaign__status=CampaignStatus.DRAFT)


def roundtable_list_public(
    *,
    campaign: Campaign | None = None,
    upcoming: bool = False,
    now: datetime.datetime | None = None,
) -> QuerySet[Roundtable]:
    """Published roundtables of published campaigns: those still to come first (soonest first),
    then those that have ended (most recent first). ``upcoming`` leaves out the ended ones.

    Each carries ``seats_left``, ``seats_taken`` and ``waitlist_length``.
    """
    now = now or timezone.now()
    roundtables = _visible_roundtables().filter(status=RoundtableStatus.PUBLISHED)
    roundtables = roundtables.select_related("campaign")
    if campaign is not None:
        roundtables = roundtables.filter(campaign=campaign)
    if upcoming:
        roundtables = roundtables.filter(ends_at__gt=now)
    has_ended = Case(When(ends_at__lte=now, then=Value(1)), default=Value(0))
    return with_seat_counts(roundtables).order_by(
        has_ended,
        Case(When(ends_at__gt=now, then=F("starts_at"))).asc(),
        F("starts_at").desc(),
        "pk",
    )


def roundtable_get_public(*, pk: int | None = None, slug: str | None = None) -> Roundtable:
    """One published (or cancelled) roundtable of a published campaign, by id or slug, with its
    seat counts. Drafts are not found."""
    if (pk is None) == (slug is None):
        raise TypeError("Give exactly one of pk and slug.")
    lookup = {"pk": pk} if pk is not None else {"slug": slug}
    roundtables = _visible_roundtables().select_related("campaign").filter(**lookup)
    found = with_seat_counts(roundtables).first()
    if found is None:
        raise NotFoundError(gettext("There is no published roundtable at this address."))
    return found


def roundtable_get(*, pk: int | None = None, slug: str | None = None) -> Roundtable:
    """Any roundtable, drafts and cancelled ones included: for staff pages."""
    if (pk is None) == (slug is None):
        raise TypeError("Give exactly one of pk and slug.")
    lookup = {"pk": pk} if pk is not None else {"slug": slug}
    found = with_seat_counts(Roundtable.objects.select_related("campaign")).filter(**lookup).first()
    if found is None:
        raise NotFoundError(gettext("There is no roundtable at this address."))
    return found


def roundtable_list_for_calendar(*, campaign: Campaign) -> QuerySet[Roundtable]:
    """A campaign's feed: its published and cancelled roundtables, in time order."""
    return _visible_roundtables().filter(campaign=campaign).order_by("starts_at", "pk")


def roundtable_list(*, campaign: Campaign | None = None) -> QuerySet[Roundtable]:
    """Every roundtable (staff), the latest start first, with seat counts."""
    roundtables = Roundtable.objects.select_related("campaign")
    if campaign is not None:
        roundtables = roundtables.filter(campaign=campaign)
    return with_seat_counts(roundtables).order_by("-starts_at", "-pk")


def seats_left(roundtable: Roundtable) -> int:
    """Free seats; read from the annotation when the roundtable came from a selector."""
    annotated = getattr(roundtable, "seats_left", None)
    if annotated is not None:
        return annotated
    taken = roundtable.registrations.filter(status__in=SEAT_HOLDING_STATUSES).count()
    return max(roundtable.capacity - taken, 0)


def registration_open(roundtable: Roundtable, now: datetime.datetime | None = None) -> bool:
    """Whether experts can register now: published, not started, inside the registration
    window. (A full roundtable is still open: newcomers join the waitlist.)"""
    return registration_refusal(roundtable, now) is None


def registration_refusal(
    roundtable: Roundtable, now: datetime.datetime | None = None
) -> str | None:
    """Why nobody can register for this roundtable now, or None when they can."""
    now = now or timezone.now()
    if roundtable.status == RoundtableStatus.CANCELLED:
        return gettext("This roundtable has been cancelled.")
    if roundtable.status != RoundtableStatus.PUBLISHED:
        return gettext("This roundtable is not open for registration yet.")
    if roundtable.starts_at <= now:
        return gettext("This roundtable has already started; registration is closed.")
    if roundtable.registration_opens_at and now < roundtable.registration_opens_at:
        local = timezone.localtime(roundtable.registration_opens_at)
        return gettext("Registration opens on %(date)s at %(time)s.") % {
            "date": local.strftime("%d/%m/%Y"),
            "time": local.strftime("%H:%M"),
        }
    if roundtable.registration_closes_at and now >= roundtable.registration_closes_at:
        return gettext("Registration for this roundtable is closed.")
    return None


def _waitlist_position_expression() -> Case:
    ahead_or_self = (
        Registration.objects.filter(
            roundtable=OuterRef("roundtable"),
            status=RegistrationStatus.WAITLISTED,
            sequence__lte=OuterRef("sequence"),
        )
        .order_by()
        .values("roundtable")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Case(
        When(
            status=RegistrationStatus.WAITLISTED,
            then=Subquery(ahead_or_self, output_field=IntegerField()),
        ),
        default=None,
        output_field=IntegerField(),
    )


def with_waitlist_positions(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """Annotate ``waitlist_position`` (1 is next in line; None unless waitlisted)."""
    return registrations.annotate(waitlist_position=_waitlist_position_expression())


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first person on the waitlist; None for a registration not on it."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    annotated = getattr(registration, "waitlist_position", None)
    if annotated is not None:
        return annotated
    return Registration.objects.filter(
        roundtable_id=registration.roundtable_id,
        status=RegistrationStatus.WAITLISTED,
        sequence__lte=registration.sequence,
    ).count()


def registration_list_for_user(*, user: User, include_cancelled: bool = False):
    """A person's own registrations, the soonest roundtable first, each with its roundtable
    (with seat counts) and ``waitlist_position``."""
    if not (user.is_authenticated and user.is_active):
        return Registration.objects.none()
    registrations = Registration.objects.filter(user=user)
    if not include_cancelled:
        registrations = registrations.exclude(status=RegistrationStatus.CANCELLED)
    return (
        with_waitlist_positions(registrations)
        .select_related("roundtable", "roundtable__campaign")
        .order_by("roundtable__starts_at", "roundtable_id", "-created_at")
    )


def registration_get_active(*, roundtable: Roundtable, user: User) -> Registration | None:
    """This person's registration for this roundtable that is not cancelled, if any."""
    if not (user.is_authenticated and user.is_active):
        return None
    return (
        with_waitlist_positions(
            Registration.objects.filter(roundtable=roundtable, user=user).exclude(
                status=RegistrationStatus.CANCELLED
            )
        )
        .select_related("roundtable", "user")
        .first()
    )


def registration_get(*, pk: int) -> Registration:
    """One registration by id (staff pages, or its registrant after a permission check)."""
    registration = (
        with_waitlist_positions(Registration.objects.filter(pk=pk))
        .select_related("roundtable", "roundtable__campaign", "user")
        .first()
    )
    if registration is None:
        raise NotFoundError(gettext("There is no registration at this address."))
    return registration


def registration_list_for_roundtable(
    *, roundtable: Roundtable, status: str | None = None
) -> QuerySet[Registration]:
    """Everyone who registered (staff): seats first in order of arrival, then the waitlist in
    its order, then cancellations; each with its user and ``waitlist_position``."""
    registrations = Registration.objects.filter(roundtable=roundtable)
    if status is not None:
        registrations = registrations.filter(status=status)
    status_order = Case(
        When(status__in=SEAT_HOLDING_STATUSES, then=Value(0)),
        When(status=RegistrationStatus.WAITLISTED, then=Value(1)),
        default=Value(2),
    )
    return (
        with_waitlist_positions(registrations)
        .select_related("user")
        .order_by(status_order, "sequence")
    )


def outcome_get_for_roundtable(*, roundtable: Roundtable) -> Outcome | None:
    """The recorded outcome with its key points and their articles, or None."""
    return (
        Outcome.objects.filter(roundtable=roundtable)
        .select_related("author")
        .prefetch_related(
            Prefetch(
                "points",
                queryset=OutcomePoint.objects.order_by("order", "pk").prefetch_related("articles"),
            )
        )
        .first()
    )


def outcome_list_for_campaign(*, campaign: Campaign) -> QuerySet[Outcome]:
    """The outcomes of a campaign's roundtables (for the end report), in the roundtables' order."""
    return (
        Outcome.objects.filter(roundtable__campaign=campaign)
        .select_related("roundtable", "author")
        .prefetch_related(
            Prefetch(
                "points",
                queryset=OutcomePoint.objects.order_by("order", "pk").prefetch_related("articles"),
            )
        )
        .order_by("roundtable__starts_at", "roundtable_id")
    )
