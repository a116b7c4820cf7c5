import secrets

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from consultations.translation import localized
from consultations.validators import validate_age_bands, validate_language_codes

MIN_CELL_SIZE_FLOOR = 5
AGE_BAND_MIN_AGE = 4
AGE_BAND_MAX_AGE = 25

INVITE_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud, typed by kids
INVITE_CODE_LENGTH = 8
INVITE_CODE_ATTEMPTS = 5


def default_languages() -> list[str]:
    return list(settings.LANGUAGE_CODES)


def generate_invite_code() -> str:
    return "".join(secrets.choice(INVITE_CODE_ALPHABET) for _ in range(INVITE_CODE_LENGTH))


# --- UNCRC reference data (loaded by migration 0002, never edited) ------------------------------


class CrcCluster(models.Model):
    """A reporting cluster of the UN Committee (guideline CRC/C/58/Rev.3)."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    order = models.PositiveSmallIntegerField(_("order"))
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)

    class Meta:
        ordering = ["order"]
        verbose_name = _("UNCRC cluster")
        verbose_name_plural = _("UNCRC clusters")

    def __str__(self) -> str:
        return f"{self.code} — {localized(self, 'name')}"


class CrcArticle(models.Model):
    """An article of the Convention, or a part of one, filed under the Committee's clusters."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    number = models.PositiveSmallIntegerField(_("article number"))
    part = models.CharField(_("part"), max_length=8, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300)
    primary_cluster = models.ForeignKey(
        CrcCluster,
        on_delete=models.PROTECT,
        related_name="primary_articles",
        verbose_name=_("cluster"),
    )
    secondary_clusters = models.ManyToManyField(
        CrcCluster, related_name="secondary_articles", blank=True, verbose_name=_("also under")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["number", "part"]
        verbose_name = _("UNCRC article")
        verbose_name_plural = _("UNCRC articles")

    def __str__(self) -> str:
        return f"Art. {self.code} {self.title_en}"


# --- Organisations and campaigns ---------------------------------------------------------------


class MemberOrganisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="coordinated_organisations",
        blank=True,
        verbose_name=_("coordinators"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("member organisation")
        verbose_name_plural = _("member organisations")

    def __str__(self) -> str:
        return self.name


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONSULTING = "consulting", _("Consulting")
    ANALYSING = "analysing", _("Analysing")
    REPORTING = "reporting", _("Reporting")
    CLOSED = "closed", _("Closed")


# A campaign moves forward one phase at a time; analysis may be reopened for more consulting.
CAMPAIGN_TRANSITIONS: dict[str, tuple[str, ...]] = {
    CampaignStatus.DRAFT: (CampaignStatus.CONSULTING,),
    CampaignStatus.CONSULTING: (CampaignStatus.ANALYSING,),
    CampaignStatus.ANALYSING: (CampaignStatus.CONSULTING, CampaignStatus.REPORTING),
    CampaignStatus.REPORTING: (CampaignStatus.CLOSED,),
    CampaignStatus.CLOSED: (),
}


def campaign_transition_refusal(from_status: str, to_status: str) -> str | None:
    """Why a campaign may not go from one status to another, or None when it may."""
    if to_status not in CampaignStatus.values:
        return gettext("Unknown status '%(status)s'; statuses are %(statuses)s.") % {
            "status": to_status,
            "statuses": ", ".join(CampaignStatus.values),
        }
    if to_status in CAMPAIGN_TRANSITIONS[from_status]:
        return None
    names = {"from": CampaignStatus(from_status).label, "to": CampaignStatus(to_status).label}
    if from_status == to_status:
        return gettext("The campaign is already in status %(from)s.") % names
    allowed = CAMPAIGN_TRANSITIONS[from_status]
    if not allowed:
        return gettext("A campaign cannot go from %(from)s to %(to)s; %(from)s is final.") % names
    return gettext(
        "A campaign cannot go from %(from)s to %(to)s; from %(from)s it can go to: %(allowed)s."
    ) % {**names, "allowed": ", ".join(str(CampaignStatus(s).label) for s in allowed)}


class Campaign(models.Model):
    """A main theme the coalition consults young people and experts on."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_nl = models.TextField(_("summary (Dutch)"), blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    theme_articles = models.ManyToManyField(
        CrcArticle, related_name="campaigns", blank=True, verbose_name=_("UNCRC articles")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    results_expected_on = models.DateField(_("results expected on"), null=True, blank=True)
    languages = models.JSONField(
        _("languages"),
        default=default_languages,
        validators=[validate_language_codes],
        error_messages={"blank": _("Choose at least one language.")},
    )
    min_cell_size = models.PositiveSmallIntegerField(
        _("minimum cell size"),
        default=10,
        validators=[
            MinValueValidator(
                MIN_CELL_SIZE_FLOOR,
                message=_("The minimum cell size must be at least %(limit_value)s."),
            )
        ],
        help_text=_("Groups with fewer responses than this are never shown (at least 5)."),
    )
    organisations = models.ManyToManyField(
        MemberOrganisation,
        related_name="campaigns",
        blank=True,
        verbose_name=_("member organisations taking part"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_cell_size__gte=MIN_CELL_SIZE_FLOOR),
                name="consultations_campaign_min_cell_size_at_least_5",
                violation_error_message=_("The minimum cell size must be at least 5."),
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="consultations_campaign_ends_after_start",
                violation_error_message=_("A campaign cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def summary(self) -> str:
        return localized(self, "summary")

    @property
    def is_published(self) -> bool:
        return self.status != CampaignStatus.DRAFT

    def age_band_for(self, age: int) -> "AgeBand | None":
        # Iterates .all() so that a prefetch of age_bands is used.
        for band in self.age_bands.all():
            if band.min_age <= age <= band.max_age:
                return band
        return None

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = gettext("A campaign cannot end before it starts.")
        # Forms (the admin) set the status directly: hold them to campaign_transition's rule.
        if self._state.adding:
            if self.status != CampaignStatus.DRAFT:
                errors["status"] = gettext("A new campaign starts as a draft.")
        else:
            stored = Campaign.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored is not None and stored != self.status:
                refusal = campaign_transition_refusal(stored, self.status)
                if refusal:
                    errors["status"] = refusal
        if errors:
            raise ValidationError(errors)


class AgeBand(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="age_bands", verbose_name=_("campaign")
    )
    code = models.CharField(_("code"), max_length=10, help_text=_("For example 9-11."))
    min_age = models.PositiveSmallIntegerField(_("youngest age"))
    max_age = models.PositiveSmallIntegerField(_("oldest age"))
    easy_read = models.BooleanField(
        _("easy read"), default=False, help_text=_("Questions use their easy-read wording.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["campaign", "order", "min_age"]
        verbose_name = _("age band")
        verbose_name_plural = _("age bands")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "code"],
                name="consultations_ageband_unique_code",
                violation_error_message=_("This campaign already has an age band with this code."),
            ),
            models.CheckConstraint(
                condition=Q(min_age__lte=F("max_age")),
                name="consultations_ageband_min_not_above_max",
                violation_error_message=_("The youngest age cannot be above the oldest age."),
            ),
            models.CheckConstraint(
                condition=Q(min_age__gte=AGE_BAND_MIN_AGE, max_age__lte=AGE_BAND_MAX_AGE),
                name="consultations_ageband_ages_4_to_25",
                violation_error_message=_("Age bands cover ages 4 to 25."),
            ),
        ]

    # Compare with the campaign's other bands as stored. A form that edits all bands at once
    # (the admin inline) turns this off and checks the submitted bands together instead.
    check_stored_siblings = True

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        super().clean()
        if not self.check_stored_siblings or self.campaign_id is None:
            return
        if self.min_age is None or self.max_age is None:
            return
        siblings = AgeBand.objects.filter(campaign_id=self.campaign_id).exclude(pk=self.pk)
        validate_age_bands([*siblings, self])


class InviteLink(models.Model):
    """A link (and QR code) a member organisation hands to one group of young people."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="invite_links", verbose_name=_("campaign")
    )
    organisation = models.ForeignKey(
        MemberOrganisation,
        on_delete=models.PROTECT,
        related_name="invite_links",
        verbose_name=_("organisation"),
    )
    label = models.CharField(
        _("label"), max_length=200, help_text=_("The group it is for, e.g. Chiro Gent — group 3.")
    )
    # Filled in on the first save (see save()); never typed by staff.
    code = models.CharField(
        _("code"),
        max_length=INVITE_CODE_LENGTH,
        unique=True,
        blank=True,
        editable=False,
        validators=[RegexValidator(f"^[{INVITE_CODE_ALPHABET}]{{{INVITE_CODE_LENGTH}}}$")],
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "label"]
        verbose_name = _("invite link")
        verbose_name_plural = _("invite links")
        constraints = [
            # An old link can be deactivated and a fresh one issued under the same label.
            models.UniqueConstraint(
                fields=["campaign", "organisation", "label"],
                condition=Q(is_active=True),
                name="consultations_invitelink_unique_active_label",
                violation_error_message=_(
                    "This organisation already has an active invite link with this label "
                    "for this campaign."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.code})"

    def save(self, *args, **kwargs) -> None:
        if not (self._state.adding and not self.code):
            super().save(*args, **kwargs)
            return
        # 31^8 codes make a collision very rare; when one happens, draw again. The savepoint
        # keeps the surrounding transaction usable on PostgreSQL after the failed insert.
        for attempt in range(INVITE_CODE_ATTEMPTS):
            self.code = generate_invite_code()
            try:
                with transaction.atomic():
                    super().save(*args, **kwargs)
                return
            except IntegrityError:
                taken = InviteLink.objects.filter(code=self.code).exists()
                if not taken or attempt == INVITE_CODE_ATTEMPTS - 1:
                    self.code = ""
                    raise

    def clean(self) -> None:
        super().clean()
        if not self._state.adding:
            return
        errors = {}
        if self.campaign_id is not None and self.campaign.status == CampaignStatus.CLOSED:
            errors["campaign"] = gettext("This campaign is closed; it takes no new invite links.")
        if self.organisation_id is not None and not self.organisation.is_active:
            errors["organisation"] = gettext(
                "%(organisation)s is not an active member organisation."
            ) % {"organisation": self.organisation.name}
        if errors:
            raise ValidationError(errors)

    @property
    def path(self) -> str:
        return f"/j/{self.code}"

    def absolute_url(self) -> str:
        return settings.SITE_URL + self.path

    def qr_svg(self, *, scale: int = 4) -> str:
        """The link as an inline SVG QR code: presentation attributes only (no style=""), a
        viewBox so CSS can resize it, and a <title> that screen readers announce."""
        url = self.absolute_url()
        svg = segno.make(url, error="m").svg_inline(
            scale=scale,
            unit="px",
            light="#fff",
            svgclass="qr-code",
            lineclass=None,
            title=gettext("QR code for %(url)s") % {"url": url},
        )
        return svg.replace("<svg ", '<svg role="img" ', 1)
