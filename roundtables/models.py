"""Roundtables with experts: the meeting, who registered for a seat, and what came out of it.

Seats are allocated by ``roundtables.services`` under a lock on the roundtable row; the database
holds the rules that must never break whatever the code does: one active registration per person
per roundtable, one place in the queue per registration, a positive capacity, an end after the
start.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Sector
from consultations.models import Campaign, CrcArticle
from consultations.translation import localized
from roundtables.validators import (
    RESERVED_SLUGS,
    validate_questions,
    validate_roundtable_slug,
    validate_target_sectors,
)


class RoundtableStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class Roundtable(models.Model):
    """A meeting of experts, academics and policymakers on a campaign's theme."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="roundtables", verbose_name=_("campaign")
    )
    slug = models.SlugField(
        _("slug"), max_length=80, unique=True, validators=[validate_roundtable_slug]
    )
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.TextField(
        _("venue"), blank=True, help_text=_("Address and room; leave empty for an online meeting.")
    )
    online_url = models.URLField(
        _("online meeting link"), max_length=500, blank=True, help_text=_("Video call link.")
    )
    capacity = models.PositiveIntegerField(_("seats"))
    registration_opens_at = models.DateTimeField(
        _("registration opens at"),
        null=True,
        blank=True,
        help_text=_("Empty: open as soon as the roundtable is published."),
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes at"),
        null=True,
        blank=True,
        help_text=_("Empty: open until the roundtable starts."),
    )
    target_sectors = models.JSONField(
        _("sectors it is meant for"),
        default=list,
        blank=True,
        validators=[validate_target_sectors],
        help_text=_("Shown to experts; anyone may still register."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RoundtableStatus.choices,
        default=RoundtableStatus.DRAFT,
    )
    questions = models.JSONField(
        _("extra registration questions"),
        default=list,
        blank=True,
        validators=[validate_questions],
        help_text=_(
            'A list of {"key", "kind": "text" or "single", "label_nl", "label_fr", "label_en", '
            '"required", "options": [{"value", "label_nl", "label_fr", "label_en"}]}.'
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("roundtable")
        verbose_name_plural = _("roundtables")
        constraints = [
            models.CheckConstraint(
                condition=~Q(slug__in=RESERVED_SLUGS),
                name="roundtables_roundtable_slug_not_reserved",
                violation_error_message=_("This slug is reserved for a page of the site."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gt=0),
                name="roundtables_roundtable_capacity_positive",
                violation_error_message=_("A roundtable needs at least one seat."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="roundtables_roundtable_ends_after_start",
                violation_error_message=_("A roundtable must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="roundtables_roundtable_registration_closes_after_opening",
                violation_error_message=_("Registration must close after it opens."),
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | ~Q(venue="") | ~Q(online_url=""),
                name="roundtables_roundtable_published_has_a_place",
                violation_error_message=_(
                    "A published roundtable needs a venue or an online meeting link."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.page_path

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def page_path(self) -> str:
        """The public page (frontend) of this roundtable."""
        return f"/roundtables/{self.slug}/"

    def absolute_url(self) -> str:
        return settings.SITE_URL + self.page_path

    @property
    def location(self) -> str:
        """Where to go: the venue, or else the online link."""
        return self.venue or self.online_url

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = gettext("A roundtable must end after it starts.")
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            errors["registration_closes_at"] = gettext("Registration must close after it opens.")
        if self.status == RoundtableStatus.PUBLISHED and not (self.venue or self.online_url):
            errors["venue"] = gettext(
                "A published roundtable needs a venue or an online meeting link."
            )
        if errors:
            raise ValidationError(errors)


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waitlist")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not come")


# A registration in one of these holds a seat: the roundtable's seats left are counted from them.
SEAT_HOLDING_STATUSES = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.ATTENDED,
    RegistrationStatus.NO_SHOW,
)


class Registration(models.Model):
    """One person's place at a roundtable: a seat, a place on the waitlist, or given up.

    ``sequence`` is the order of arrival within the roundtable (1, 2, 3, ...), taken under the
    roundtable's row lock: the waitlist is the waitlisted registrations in that order.
    """

    roundtable = models.ForeignKey(
        Roundtable,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("roundtable"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="roundtable_registrations",
        verbose_name=_("person"),
    )
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    sequence = models.PositiveIntegerField(_("order of arrival"), editable=False)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    expertise = models.CharField(_("expertise"), max_length=500, blank=True)
    needs = models.TextField(_("access or dietary needs"), max_length=1000, blank=True)
    answers = models.JSONField(_("answers to the extra questions"), default=dict, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    promoted_at = models.DateTimeField(_("promoted from the waitlist at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    class Meta:
        ordering = ["roundtable", "sequence"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["roundtable", "user"],
                condition=~Q(status="cancelled"),
                name="roundtables_registration_one_active_per_person",
                violation_error_message=_("You are already registered for this roundtable."),
            ),
            models.UniqueConstraint(
                fields=["roundtable", "sequence"],
                name="roundtables_registration_unique_sequence",
            ),
            models.CheckConstraint(
                condition=Q(sequence__gt=0),
                name="roundtables_registration_sequence_positive",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values),
                name="roundtables_registration_known_status",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False),
                name="roundtables_registration_cancelled_has_a_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["reminder_sent_at", "status"], name="roundtables_reg_reminder_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.roundtable} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status != RegistrationStatus.CANCELLED


class Outcome(models.Model):
    """What a roundtable concluded: a summary and key points tagged with UNCRC articles, the
    roundtable's contribution to the campaign's end report."""

    roundtable = models.OneToOneField(
        Roundtable, on_delete=models.CASCADE, related_name="outcome", verbose_name=_("roundtable")
    )
    summary = models.TextField(_("summary"))
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="roundtable_outcomes",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return gettext("Outcome of %(roundtable)s") % {"roundtable": self.roundtable}


class OutcomePoint(models.Model):
    outcome = models.ForeignKey(
        Outcome, on_delete=models.CASCADE, related_name="points", verbose_name=_("outcome")
    )
    text = models.TextField(_("key point"), max_length=2000)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    articles = models.ManyToManyField(
        CrcArticle, related_name="roundtable_points", blank=True, verbose_name=_("UNCRC articles")
    )

    class Meta:
        ordering = ["outcome", "order", "pk"]
        verbose_name = _("key point")
        verbose_name_plural = _("key points")

    def __str__(self) -> str:
        return self.text[:80]
