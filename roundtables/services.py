"""Every write to roundtables, registrations and outcomes goes through here.

Seats are exact under concurrency: every change that takes or frees a seat first locks the
roundtable's row (``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite every write transaction
starts with ``BEGIN IMMEDIATE`` and so runs alone), then counts, decides and writes within the
same transaction. The lock also orders arrivals: the ``sequence`` a registration gets is the
order in which the lock was granted, and the waitlist follows it.

E-mails go out through Celery once the transaction has committed (``delay_on_commit``), so that
nobody is told about a seat that a rollback took back.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping, Sequence
from smtplib import SMTPException
from typing import Any, TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Sector, User
from accounts.roles import is_expert
from config.exceptions import ConflictError, InvalidInputError, NotAllowedError
from consultations.models import Campaign, CrcArticle
from roundtables import notices
from roundtables.models import (
    SEAT_HOLDING_STATUSES,
    Outcome,
    OutcomePoint,
    Registration,
    RegistrationStatus,
    Roundtable,
    RoundtableStatus,
)
from roundtables.notices import Notice
from roundtables.permissions import (
    can_cancel_registration,
    can_change_roundtable_capacity,
    can_check_in_registration,
    can_manage_roundtable,
    can_record_outcome,
)
from roundtables.selectors import registration_refusal
from roundtables.validators import TEXT_ANSWER_MAX_LENGTH

logger = logging.getLogger(__name__)

REMINDER_LEAD_TIME = datetime.timedelta(hours=48)
ORGANISATION_MAX_LENGTH = 200
EXPERTISE_MAX_LENGTH = 500
NEEDS_MAX_LENGTH = 1000
SUMMARY_MAX_LENGTH = 20000
POINT_MAX_LENGTH = 2000


class OutcomePointSpec(TypedDict):
    text: str
    articles: Sequence[str]  # UNCRC article codes: "12", "6(2)"


def _send_on_commit(registration: Registration, notice: Notice) -> None:
    # Imported here: the tasks call back into this module (the reminders).
    from roundtables.tasks import send_registration_notice

    send_registration_notice.delay_on_commit(registration.pk, str(notice))


def _invalid_input(error: ValidationError, *, default_field: str) -> InvalidInputError:
    if hasattr(error, "error_dict"):
        field, messages = next(iter(error.message_dict.items()))
        return InvalidInputError(messages[0], field=default_field if field == "__all__" else field)
    return InvalidInputError(error.messages[0], field=default_field)


def _reminder_is_due(roundtable: Roundtable, now: datetime.datetime) -> bool:
    """Inside the last 48 hours a confirmation or promotion e-mail, which has the date, place
    and calendar file, also serves as the reminder: nobody gets both within minutes."""
    return roundtable.starts_at - now <= REMINDER_LEAD_TIME


def _lock_roundtable(roundtable_id: int) -> Roundtable:
    return Roundtable.objects.select_for_update().get(pk=roundtable_id)


# --- Roundtables -------------------------------------------------------------------------------


@transaction.atomic
def roundtable_create(
    *,
    campaign: Campaign,
    slug: str,
    title_nl: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    capacity: int,
    title_fr: str = "",
    title_en: str = "",
    description_nl: str = "",
    description_fr: str = "",
    description_en: str = "",
    venue: str = "",
    online_url: str = "",
    registration_opens_at: datetime.datetime | None = None,
    registration_closes_at: datetime.datetime | None = None,
    target_sectors: Sequence[str] = (),
    questions: Sequence[Mapping[str, Any]] = (),
    status: str = RoundtableStatus.DRAFT,
) -> Roundtable:
    """Plan a roundtable. Raises InvalidInputError naming the field for a taken slug, no seat,
    an end before the start, a published roundtable with no venue nor link, an unknown sector
    or malformed extra questions."""
    roundtable = Roundtable(
        campaign=campaign,
        slug=slug,
        title_nl=title_nl,
        title_fr=title_fr,
        title_en=title_en,
        description_nl=description_nl,
        description_fr=description_fr,
        description_en=description_en,
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue,
        online_url=online_url,
        capacity=capacity,
        registration_opens_at=registration_opens_at,
        registration_closes_at=registration_closes_at,
        target_sectors=list(target_sectors),
        questions=[dict(question) for question in questions],
        status=status,
    )
    if capacity is not None and capacity < 1:
        raise InvalidInputError(gettext("A roundtable needs at least one seat."), field="capacity")
    try:
        roundtable.full_clean()
    except ValidationError as error:
        raise _invalid_input(error, default_field="slug") from None
    try:
        with transaction.atomic():
            roundtable.save()
    except IntegrityError:
        raise InvalidInputError(
            gettext("Roundtable with this slug already exists."), field="slug"
        ) from None
    return roundtable


@transaction.atomic
def roundtable_cancel(
    *, roundtable: Roundtable, by: User, now: datetime.datetime | None = None
) -> Roundtable:
    """Call a roundtable off: every registration still standing is cancelled and its registrant
    told by e-mail. Refused once the roundtable has started."""
    if not can_manage_roundtable(by, roundtable):
        raise NotAllowedError(gettext("Only coalition staff can cancel a roundtable."))
    now = now or timezone.now()
    locked = _lock_roundtable(roundtable.pk)
    if locked.status == RoundtableStatus.CANCELLED:
        raise ConflictError(gettext("This roundtable has already been cancelled."))
    if locked.starts_at <= now:
        raise ConflictError(gettext("This roundtable has already started; it cannot be cancelled."))
    standing = list(
        Registration.objects.filter(
            roundtable=locked,
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED],
        )
    )
    Registration.objects.filter(pk__in=[r.pk for r in standing]).update(
        status=RegistrationStatus.CANCELLED, cancelled_at=now, cancelled_by=by, updated_at=now
    )
    locked.status = RoundtableStatus.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    for registration in standing:
        _send_on_commit(registration, Notice.ROUNDTABLE_CANCELLED)
    roundtable.status = locked.status
    roundtable.updated_at = locked.updated_at
    return roundtable


# --- Registrations -----------------------------------------------------------------------------


def _clean_text(value: Any, *, field: str, max_length: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInputError(gettext("Give this as text."), field=field)
    value = value.strip()
    if len(value) > max_length:
        raise InvalidInputError(
            gettext("Keep this to at most %(max)s characters.") % {"max": max_length},
            field=field,
        )
    return value


def _clean_sector(value: Any) -> str:
    if value not in Sector.values:
        raise InvalidInputError(
            gettext("Choose your sector: %(sectors)s.") % {"sectors": ", ".join(Sector.values)},
            field="sector",
        )
    return value


def _clean_answers(questions: Sequence[Mapping[str, Any]], answers: Any) -> dict[str, str]:
    """The answers to a roundtable's extra questions, checked against their definition."""
    if answers is None:
        answers = {}
    if not isinstance(answers, Mapping):
        raise InvalidInputError(
            gettext("Give the answers as an object of question key to answer."), field="answers"
        )
    by_key = {question["key"]: question for question in questions}
    unknown = [key for key in answers if key not in by_key]
    if unknown:
        raise InvalidInputError(
            gettext("There is no question '%(key)s' for this roundtable.") % {"key": unknown[0]},
            field="answers",
        )
    cleaned: dict[str, str] = {}
    for key, question in by_key.items():
        field = f"answers.{key}"
        value = answers.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if question.get("required"):
                raise InvalidInputError(gettext("This question needs an answer."), field=field)
            continue
        if question["kind"] == "single":
            values = [option["value"] for option in question.get("options", [])]
            if value not in values:
                raise InvalidInputError(
                    gettext("'%(value)s' is not one of the options: %(options)s.")
                    % {"value": value, "options": ", ".join(values)},
                    field=field,
                )
            cleaned[key] = value
        else:
            cleaned[key] = _clean_text(value, field=field, max_length=TEXT_ANSWER_MAX_LENGTH)
    return cleaned


@transaction.atomic
def registration_create(
    *,
    roundtable: Roundtable,
    user: User,
    sector: str | None = None,
    organisation: str | None = None,
    expertise: str | None = None,
    needs: str = "",
    answers: Mapping[str, Any] | None = None,
    now: datetime.datetime | None = None,
) -> Registration:
    """Register ``user`` for ``roundtable``: a seat while there is one, else the waitlist.

    ``sector``, ``organisation`` and ``expertise`` left as None are taken from the user's
    profile. Raises NotAllowedError for an account without a verified e-mail address;
    ConflictError when the roundtable is not open for registration (not published, cancelled,
    started, outside its registration window) or the user already holds a registration for it;
    InvalidInputError naming the field (``sector``, ``organisation``, ``expertise``, ``needs``,
    ``answers`` or ``answers.<key>``) for input that does not fit.

    The registrant gets a confirmation (with the calendar file) or a waitlist notice by e-mail.
    """
    if not is_expert(user):
        raise NotAllowedError(
            gettext(
                "Confirm your e-mail address first: follow the link in the e-mail we sent you "
                "when you signed up."
            )
        )
    now = now or timezone.now()
    sector = _clean_sector(user.sector if sector is None else sector)
    organisation = _clean_text(
        user.organisation if organisation is None else organisation,
        field="organisation",
        max_length=ORGANISATION_MAX_LENGTH,
    )
    expertise = _clean_text(
        user.expertise if expertise is None else expertise,
        field="expertise",
        max_length=EXPERTISE_MAX_LENGTH,
    )
    needs = _clean_text(needs, field="needs", max_length=NEEDS_MAX_LENGTH)

    # From here on, this transaction is the only one deciding about this roundtable's seats.
    locked = _lock_roundtable(roundtable.pk)
    refusal = registration_refusal(locked, now)
    if refusal:
        raise ConflictError(refusal)
    if (
        Registration.objects.filter(roundtable=locked, user=user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .exists()
    ):
        raise ConflictError(gettext("You are already registered for this roundtable."))
    cleaned_answers = _clean_answers(locked.questions, answers)

    counts = Registration.objects.filter(roundtable=locked).aggregate(
        seats_taken=Count("pk", filter=Q(status__in=SEAT_HOLDING_STATUSES)),
        last_sequence=Max("sequence"),
    )
    has_seat = counts["seats_taken"] < locked.capacity
    registration = Registration(
        roundtable=locked,
        user=user,
        status=RegistrationStatus.CONFIRMED if has_seat else RegistrationStatus.WAITLISTED,
        sequence=(counts["last_sequence"] or 0) + 1,
        sector=sector,
        organisation=organisation,
        expertise=expertise,
        needs=needs,
        answers=cleaned_answers,
        reminder_sent_at=now if has_seat and _reminder_is_due(locked, now) else None,
    )
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        # Only a write that bypassed this service (the lock) can get here.
        raise ConflictError(gettext("You are already registered for this roundtable.")) from None
    _send_on_commit(registration, Notice.CONFIRMED if has_seat else Notice.WAITLISTED)
    return registration


def _promote_waitlisted(roundtable: Roundtable, now: datetime.datetime) -> list[Registration]:
    """Give free seats to the waitlist, first come first served. The caller holds the lock."""
    if roundtable.status != RoundtableStatus.PUBLISHED or roundtable.starts_at <= now:
        return []
    seats_taken = Registration.objects.filter(
        roundtable=roundtable, status__in=SEAT_HOLDING_STATUSES
    ).count()
    free = roundtable.capacity - seats_taken
    if free <= 0:
        return []
    promoted = list(
        Registration.objects.filter(
            roundtable=roundtable, status=RegistrationStatus.WAITLISTED
        ).order_by("sequence")[:free]
    )
    Registration.objects.filter(pk__in=[r.pk for r in promoted]).update(
        status=RegistrationStatus.CONFIRMED,
        promoted_at=now,
        updated_at=now,
        reminder_sent_at=now if _reminder_is_due(roundtable, now) else None,
    )
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.promoted_at = now
        _send_on_commit(registration, Notice.PROMOTED)
    return promoted


@transaction.atomic
def registration_cancel(
    *, registration: Registration, by: User, now: datetime.datetime | None = None
) -> Registration:
    """Give up a registration, by its registrant or by staff; refused once the roundtable has
    started. A freed seat goes to the first person on the waitlist, who is told by e-mail;
    the registrant gets a cancellation notice."""
    now = now or timezone.now()
    roundtable = _lock_roundtable(registration.roundtable_id)
    current = (
        Registration.objects.select_for_update().select_related("user").get(pk=registration.pk)
    )
    if not can_cancel_registration(by, current):
        raise NotAllowedError(gettext("You can only cancel your own registration."))
    if current.status == RegistrationStatus.CANCELLED:
        raise ConflictError(gettext("This registration has already been cancelled."))
    if current.status not in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED):
        raise ConflictError(gettext("This roundtable has taken place; nothing to cancel."))
    if roundtable.starts_at <= now:
        raise ConflictError(
            gettext("This roundtable has already started; the registration cannot be cancelled.")
        )
    held_a_seat = current.status == RegistrationStatus.CONFIRMED
    current.status = RegistrationStatus.CANCELLED
    current.cancelled_at = now
    current.cancelled_by = by
    current.save(update_fields=["status", "cancelled_at", "cancelled_by", "updated_at"])
    _send_on_commit(current, Notice.CANCELLED)
    if held_a_seat:
        _promote_waitlisted(roundtable, now)

    registration.status = current.status
    registration.cancelled_at = current.cancelled_at
    registration.cancelled_by = by
    return registration


@transaction.atomic
def roundtable_capacity_change(
    *,
    roundtable: Roundtable,
    capacity: int,
    by: User,
    now: datetime.datetime | None = None,
) -> Roundtable:
    """Change the number of seats (staff). More seats go to the waitlist in its order, each
    promoted person told by e-mail; fewer seats than are already taken is refused
    (ConflictError on ``capacity``: cancel registrations first)."""
    if not can_change_roundtable_capacity(by, roundtable):
        raise NotAllowedError(gettext("Only coalition staff can change the number of seats."))
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
        raise InvalidInputError(gettext("A roundtable needs at least one seat."), field="capacity")
    now = now or timezone.now()
    locked = _lock_roundtable(roundtable.pk)
    seats_taken = Registration.objects.filter(
        roundtable=locked, status__in=SEAT_HOLDING_STATUSES
    ).count()
    if capacity < seats_taken:
        raise ConflictError(
            gettext(
                "%(taken)s people already have a seat; the roundtable cannot have fewer than "
                "%(taken)s seats. Cancel registrations first to go lower."
            )
            % {"taken": seats_taken},
            field="capacity",
        )
    locked.capacity = capacity
    locked.save(update_fields=["capacity", "updated_at"])
    promoted = _promote_waitlisted(locked, now)
    roundtable.capacity = capacity
    roundtable.updated_at = locked.updated_at
    if hasattr(roundtable, "seats_left"):
        roundtable.seats_taken = seats_taken + len(promoted)
        roundtable.seats_left = capacity - roundtable.seats_taken
        roundtable.waitlist_length = max(
            getattr(roundtable, "waitlist_length", 0) - len(promoted), 0
        )
    return roundtable


@transaction.atomic
def registration_check_in(
    *,
    registration: Registration,
    attended: bool,
    by: User,
    now: datetime.datetime | None = None,
) -> Registration:
    """Mark a person as present or absent (staff), from the day of the roundtable on.

    Only someone with a seat can be checked in; a mistake can be corrected by checking in
    again the other way.
    """
    if not can_check_in_registration(by, registration):
        raise NotAllowedError(gettext("Only coalition staff can check people in."))
    now = now or timezone.now()
    current = (
        Registration.objects.select_for_update()
        .select_related("roundtable")
        .get(pk=registration.pk)
    )
    if current.status not in SEAT_HOLDING_STATUSES:
        raise ConflictError(
            gettext("Only people with a seat can be checked in; this registration is %(status)s.")
            % {"status": current.get_status_display()}
        )
    if timezone.localdate(now) < timezone.localdate(current.roundtable.starts_at):
        raise ConflictError(gettext("Check-in opens on the day of the roundtable."))
    current.status = RegistrationStatus.ATTENDED if attended else RegistrationStatus.NO_SHOW
    current.checked_in_at = now
    current.save(update_fields=["status", "checked_in_at", "updated_at"])
    registration.status = current.status
    registration.checked_in_at = now
    return registration


# --- Reminders ---------------------------------------------------------------------------------


def registration_reminders_send_due(*, now: datetime.datetime | None = None) -> int:
    """Remind everyone with a seat at a roundtable starting within 48 hours, once.

    Each reminder is claimed by a conditional UPDATE (``reminder_sent_at IS NULL``) and sent in
    the same transaction: a second run, at the same time or later, finds it claimed and sends
    nothing; a send that fails rolls the claim back, so the next run tries again. Returns the
    number of reminders sent.
    """
    now = now or timezone.now()
    due = list(
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED,
            reminder_sent_at__isnull=True,
            roundtable__status=RoundtableStatus.PUBLISHED,
            roundtable__starts_at__gt=now,
            roundtable__starts_at__lte=now + REMINDER_LEAD_TIME,
        )
        .order_by("roundtable__starts_at", "sequence")
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in due:
        try:
            with transaction.atomic():
                claimed = Registration.objects.filter(
                    pk=pk, reminder_sent_at__isnull=True, status=RegistrationStatus.CONFIRMED
                ).update(reminder_sent_at=now)
                if not claimed:
                    continue
                registration = Registration.objects.select_related(
                    "user", "roundtable", "roundtable__campaign"
                ).get(pk=pk)
                notices.notice_send(registration=registration, notice=Notice.REMINDER)
        except (SMTPException, OSError):
            logger.exception("Reminder for registration %s not sent; the next run retries.", pk)
            continue
        sent += 1
    return sent


# --- Outcomes ----------------------------------------------------------------------------------


def _outcome_points(points: Any) -> list[tuple[str, list[CrcArticle]]]:
    if isinstance(points, str | bytes | Mapping) or not isinstance(points, Iterable):
        raise InvalidInputError(gettext("Give the key points as a list."), field="points")
    points = list(points)
    codes = set()
    for index, point in enumerate(points):
        if not isinstance(point, Mapping):
            raise InvalidInputError(
                gettext("Each key point has a text and articles."), field=f"points.{index}"
            )
        articles = point.get("articles", [])
        if not isinstance(articles, list | tuple) or not all(isinstance(a, str) for a in articles):
            raise InvalidInputError(
                gettext("Give the articles as a list of codes, such as 12 or 6(2)."),
                field=f"points.{index}.articles",
            )
        codes.update(articles)
    known = {article.code: article for article in CrcArticle.objects.filter(code__in=codes)}
    cleaned = []
    for index, point in enumerate(points):
        text = _clean_text(
            point.get("text"), field=f"points.{index}.text", max_length=POINT_MAX_LENGTH
        )
        if not text:
            raise InvalidInputError(
                gettext("A key point needs a text."), field=f"points.{index}.text"
            )
        unknown = [code for code in point.get("articles", []) if code not in known]
        if unknown:
            raise InvalidInputError(
                gettext("Unknown UNCRC article '%(code)s'.") % {"code": unknown[0]},
                field=f"points.{index}.articles",
            )
        cleaned.append((text, [known[code] for code in dict.fromkeys(point.get("articles", []))]))
    return cleaned


@transaction.atomic
def outcome_record(
    *,
    roundtable: Roundtable,
    summary: str,
    points: Iterable[OutcomePointSpec | Mapping[str, Any]],
    author: User,
    language: str | None = None,
    now: datetime.datetime | None = None,
) -> Outcome:
    """Record what a roundtable concluded (staff), once it has started: a summary and key
    points, each tagged with UNCRC articles by code. Recording again replaces the summary and
    the points. ``language`` (the summary's) defaults to the author's preferred language."""
    if not can_record_outcome(author, roundtable):
        raise NotAllowedError(gettext("Only coalition staff can record outcomes."))
    now = now or timezone.now()
    locked = _lock_roundtable(roundtable.pk)
    if locked.status == RoundtableStatus.CANCELLED:
        raise ConflictError(gettext("This roundtable was cancelled; it has no outcome."))
    if locked.starts_at > now:
        raise ConflictError(gettext("Outcomes can be recorded once the roundtable has started."))
    summary = _clean_text(summary, field="summary", max_length=SUMMARY_MAX_LENGTH)
    if not summary:
        raise InvalidInputError(gettext("Write a summary."), field="summary")
    language = language or author.preferred_language or settings.LANGUAGE_CODE
    if language not in settings.LANGUAGE_CODES:
        raise InvalidInputError(
            gettext("Unknown language '%(language)s'.") % {"language": language},
            field="language",
        )
    cleaned_points = _outcome_points(points)

    outcome, _created = Outcome.objects.update_or_create(
        roundtable=locked,
        defaults={"summary": summary, "language": language, "author": author},
    )
    outcome.points.all().delete()
    for order, (text, articles) in enumerate(cleaned_points):
        point = OutcomePoint.objects.create(outcome=outcome, text=text, order=order)
        point.articles.set(articles)
    return outcome
