"""Youth surveys: the definition (survey, questions, options) and what young people answered.

A response holds nothing about the young person but their age band, the language they chose and
the invite link (so the member organisation) they came through: no name, no e-mail address, no
birth date, no IP address, no user agent.

Once a survey has responses its definition must keep meaning what it meant when they were given:
questions cannot be deleted and the stored values of options, and a question's key and kind,
cannot change (see ``definition_change_refusal``). Answers PROTECT what they point at.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from consultations.models import (
    AgeBand,
    Campaign,
    CampaignStatus,
    CrcArticle,
    InviteLink,
    MemberOrganisation,
)
from consultations.translation import localized
from surveys.receipts import RECEIPT_ALPHABET, RECEIPT_LENGTH
from surveys.validators import condition_problem

KEY_MAX_LENGTH = 50
TEXT_MAX_LENGTH_DEFAULT = 2000
TEXT_MAX_LENGTH_LIMIT = 10000
SCALE_POINT_CHOICES = (3, 5)
# Number answers are stored as decimals with two places; without a min/max of its own a number
# question accepts answers within ±NUMBER_LIMIT.
NUMBER_MAX_DIGITS = 12
NUMBER_DECIMAL_PLACES = 2
NUMBER_LIMIT = 1_000_000_000
AGE_MIN = 4
AGE_MAX = 25


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    SCALE = "scale", _("Scale with faces")
    NUMBER = "number", _("Number")
    TEXT = "text", _("Free text")
    RANKING = "ranking", _("Ranking")


OPTION_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING)
CONDITION_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)

_receipt_code_regex = "^[" + RECEIPT_ALPHABET + "]{" + str(RECEIPT_LENGTH) + "}$"


class Survey(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="surveys", verbose_name=_("campaign")
    )
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_(
            "The survey's address is /s/ followed by this slug. Never change it once links are out."
        ),
    )
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    intro_nl = models.TextField(_("introduction (Dutch)"), blank=True)
    intro_fr = models.TextField(_("introduction (French)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    opens_at = models.DateTimeField(
        _("opens at"), null=True, blank=True, help_text=_("Empty: as soon as it is open.")
    )
    closes_at = models.DateTimeField(
        _("closes at"), null=True, blank=True, help_text=_("Empty: until it is closed by hand.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Also moved forward whenever a question or option changes: the cached definition is keyed
    # on it (surveys.definition).
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SurveyStatus.values),
                name="surveys_survey_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="surveys_survey_closes_after_opening",
                violation_error_message=_("A survey must close after it opens."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def intro(self) -> str:
        return localized(self, "intro")

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        """Young people can answer now: open, its campaign consulting, within its dates."""
        now = now or timezone.now()
        return (
            self.status == SurveyStatus.OPEN
            and self.campaign.status == CampaignStatus.CONSULTING
            and (self.opens_at is None or self.opens_at <= now)
            and (self.closes_at is None or now < self.closes_at)
        )

    def has_responses(self) -> bool:
        return self.pk is not None and Response.objects.filter(survey_id=self.pk).exists()

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = gettext("A survey must close after it opens.")
        if self.status == SurveyStatus.OPEN and self.pk is not None:
            problem = _open_refusal(self)
            if problem:
                errors["status"] = problem
        if errors:
            raise ValidationError(errors)


def _open_refusal(survey: Survey) -> str | None:
    """Why a survey cannot be opened as it is stored, or None."""
    questions = list(survey.questions.annotate(option_count=models.Count("options")))
    if not questions:
        return gettext("A survey needs at least one question before it opens.")
    for question in questions:
        if question.kind in OPTION_KINDS and question.option_count < 2:
            return gettext("Question '%(key)s' needs at least two options.") % {"key": question.key}
    return None


def definition_change_refusal(survey_id: int | None) -> str | None:
    """Why the definition of a survey may no longer change in a way that alters stored answers."""
    if survey_id is not None and Response.objects.filter(survey_id=survey_id).exists():
        return gettext(
            "This survey already has responses: its questions cannot be deleted, and the keys "
            "and kinds of questions and the values of options cannot change, so that every "
            "stored answer keeps its meaning. Add a new question or option instead."
        )
    return None


class SurveyDefinitionLocked(ValidationError):
    """A change to a survey with responses that would make stored answers lose their meaning."""


def refuse_if_answered(survey_ids: Iterable[int]) -> None:
    for survey_id in dict.fromkeys(survey_ids):
        refusal = definition_change_refusal(survey_id)
        if refusal:
            raise SurveyDefinitionLocked(refusal)


class QuestionQuerySet(models.QuerySet):
    def delete(self):
        # Checked before Django's delete opens its transaction: a refusal raised inside it would
        # leave the caller's transaction unusable.
        refuse_if_answered(self.values_list("survey_id", flat=True))
        return super().delete()


class Question(models.Model):
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey")
    )
    key = models.SlugField(
        _("key"),
        max_length=KEY_MAX_LENGTH,
        help_text=_("Stable name of the question in submissions and exports, e.g. feel_safe."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text_nl = models.CharField(_("question (Dutch)"), max_length=500)
    text_fr = models.CharField(_("question (French)"), max_length=500, blank=True)
    text_en = models.CharField(_("question (English)"), max_length=500, blank=True)
    easy_text_nl = models.CharField(
        _("easy-read question (Dutch)"),
        max_length=500,
        blank=True,
        help_text=_("For easy-read age bands; empty: the standard wording."),
    )
    easy_text_fr = models.CharField(_("easy-read question (French)"), max_length=500, blank=True)
    easy_text_en = models.CharField(_("easy-read question (English)"), max_length=500, blank=True)
    help_nl = models.CharField(_("help (Dutch)"), max_length=500, blank=True)
    help_fr = models.CharField(_("help (French)"), max_length=500, blank=True)
    help_en = models.CharField(_("help (English)"), max_length=500, blank=True)
    min_value = models.DecimalField(
        _("lowest number"),
        max_digits=NUMBER_MAX_DIGITS,
        decimal_places=NUMBER_DECIMAL_PLACES,
        null=True,
        blank=True,
        help_text=_("Number questions only."),
    )
    max_value = models.DecimalField(
        _("highest number"),
        max_digits=NUMBER_MAX_DIGITS,
        decimal_places=NUMBER_DECIMAL_PLACES,
        null=True,
        blank=True,
        help_text=_("Number questions only."),
    )
    scale_points = models.PositiveSmallIntegerField(
        _("scale points"),
        null=True,
        blank=True,
        choices=[(points, str(points)) for points in SCALE_POINT_CHOICES],
        help_text=_("Scale questions only: 3 or 5 faces."),
    )
    max_choices = models.PositiveSmallIntegerField(
        _("most choices"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Several-choices questions only; empty: no limit."),
    )
    max_length = models.PositiveIntegerField(
        _("longest answer (characters)"),
        default=TEXT_MAX_LENGTH_DEFAULT,
        validators=[MinValueValidator(1), MaxValueValidator(TEXT_MAX_LENGTH_LIMIT)],
        help_text=_("Free-text questions only."),
    )
    show_if = models.JSONField(
        _("show only if"),
        null=True,
        blank=True,
        help_text=_(
            'Optional: {"question": "key", "any_of": ["value", ...]}, with the key of an earlier '
            "choice question and the option values that show this question."
        ),
    )
    min_age = models.PositiveSmallIntegerField(
        _("youngest age"),
        null=True,
        blank=True,
        validators=[MinValueValidator(AGE_MIN), MaxValueValidator(AGE_MAX)],
    )
    max_age = models.PositiveSmallIntegerField(
        _("oldest age"),
        null=True,
        blank=True,
        validators=[MinValueValidator(AGE_MIN), MaxValueValidator(AGE_MAX)],
    )
    articles = models.ManyToManyField(
        CrcArticle, related_name="questions", blank=True, verbose_name=_("UNCRC articles")
    )

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["survey", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "key"],
                name="surveys_question_unique_key",
                violation_error_message=_("This survey already has a question with this key."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values), name="surveys_question_kind_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=QuestionKind.SCALE)
                    & Q(scale_points__isnull=False)  # NULL IN (3, 5) would not be false
                    & Q(scale_points__in=SCALE_POINT_CHOICES)
                )
                | (~Q(kind=QuestionKind.SCALE) & Q(scale_points__isnull=True)),
                name="surveys_question_scale_points_for_scales_only",
                violation_error_message=_(
                    "A scale question has 3 or 5 points; other questions have none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind=QuestionKind.NUMBER)
                | Q(min_value__isnull=True, max_value__isnull=True),
                name="surveys_question_min_max_for_numbers_only",
                violation_error_message=_("Only number questions have a lowest/highest number."),
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=F("max_value")),
                name="surveys_question_min_not_above_max",
                violation_error_message=_("The lowest number cannot be above the highest."),
            ),
            models.CheckConstraint(
                condition=Q(max_choices__isnull=True)
                | (Q(kind=QuestionKind.MULTIPLE) & Q(max_choices__gte=1)),
                name="surveys_question_max_choices_for_multiple_only",
                violation_error_message=_(
                    "Only several-choices questions have a most number of choices (at least 1)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(max_length__gte=1, max_length__lte=TEXT_MAX_LENGTH_LIMIT),
                name="surveys_question_max_length_in_range",
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(min_age__lte=F("max_age")),
                name="surveys_question_min_age_not_above_max_age",
                violation_error_message=_("The youngest age cannot be above the oldest age."),
            ),
            models.CheckConstraint(
                condition=Q(show_if__isnull=True) | Q(show_if__has_keys=["question", "any_of"]),
                name="surveys_question_show_if_shape",
                violation_error_message=_('A condition needs "question" and "any_of".'),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {localized(self, 'text')}"

    def save(self, *args, **kwargs) -> None:
        # The same rule for code that skips full_clean().
        locked = self._locked_change()
        if locked:
            raise SurveyDefinitionLocked({locked[0]: locked[1]})
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refuse_if_answered([self.survey_id])
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.kind != QuestionKind.SCALE:
            self.scale_points = None
        elif self.scale_points is None:
            self.scale_points = max(SCALE_POINT_CHOICES)
        if self.kind != QuestionKind.NUMBER and (
            self.min_value is not None or self.max_value is not None
        ):
            errors["min_value"] = gettext("Only number questions have a lowest/highest number.")
        if (
            self.min_value is not None
            and self.max_value is not None
            and self.min_value > self.max_value
        ):
            errors["max_value"] = gettext("The highest number cannot be below the lowest.")
        if self.kind != QuestionKind.MULTIPLE and self.max_choices is not None:
            errors["max_choices"] = gettext("Only several-choices questions have a limit.")
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            errors["max_age"] = gettext("The oldest age cannot be below the youngest age.")
        show_if_problem = condition_problem(self)
        if show_if_problem:
            errors["show_if"] = show_if_problem
        locked = self._locked_change()
        if locked:
            field, refusal = locked
            errors[field] = refusal
        if errors:
            raise ValidationError(errors)

    def _locked_change(self) -> tuple[str, str] | None:
        """(field, why) when this edit changes the key or kind of an answered survey's question."""
        if self._state.adding or self.pk is None:
            return None
        stored = Question.objects.filter(pk=self.pk).values("key", "kind", "survey_id").first()
        if stored is None:
            return None
        changed = [field for field in ("key", "kind") if stored[field] != getattr(self, field)]
        if not changed:
            return None
        refusal = definition_change_refusal(stored["survey_id"])
        return (changed[0], refusal) if refusal else None


class Option(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("question")
    )
    value = models.SlugField(
        _("value"),
        max_length=KEY_MAX_LENGTH,
        help_text=_("Stored with each answer; for scales 1..N overrides the point's word/face."),
    )
    label_nl = models.CharField(_("label (Dutch)"), max_length=200)
    label_fr = models.CharField(_("label (French)"), max_length=200, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    emoji = models.CharField(_("emoji"), max_length=16, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["question", "order", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "value"],
                name="surveys_option_unique_value",
                violation_error_message=_("This question already has an option with this value."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value}: {localized(self, 'label')}"

    def save(self, *args, **kwargs) -> None:
        # The same rule for code that skips full_clean(): a stored answer's option keeps its value.
        refusal = self._locked_change()
        if refusal:
            raise SurveyDefinitionLocked({"value": refusal})
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        refusal = self._locked_change()
        if refusal:
            raise ValidationError({"value": refusal})
        try:
            question = self.question  # set by the admin's inline even before the question is saved
        except Question.DoesNotExist:
            return
        if question.kind == QuestionKind.SCALE:
            points = [str(point) for point in range(1, (question.scale_points or 5) + 1)]
            if self.value not in points:
                raise ValidationError(
                    {
                        "value": gettext(
                            "An option of a scale gives the word and face of one point: "
                            "its value is one of %(points)s."
                        )
                        % {"points": ", ".join(points)}
                    }
                )
        elif question.kind not in OPTION_KINDS:
            raise ValidationError(
                gettext("%(kind)s questions have no options.")
                % {"kind": QuestionKind(question.kind).label}
            )

    def _locked_change(self) -> str | None:
        """Why this edit may not change the value, when its survey has responses."""
        if self._state.adding or self.pk is None:
            return None
        stored = Option.objects.filter(pk=self.pk).values("value", "question__survey_id").first()
        if stored is None or stored["value"] == self.value:
            return None
        return definition_change_refusal(stored["question__survey_id"])


class Response(models.Model):
    """One young person's submission. Nothing else about them is stored."""

    survey = models.ForeignKey(
        Survey, on_delete=models.PROTECT, related_name="responses", verbose_name=_("survey")
    )
    age_band = models.ForeignKey(
        AgeBand, on_delete=models.PROTECT, related_name="responses", verbose_name=_("age band")
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    invite_link = models.ForeignKey(
        InviteLink,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("invite link"),
    )
    # Copied from the invite link, so that counts per organisation need no join through links.
    organisation = models.ForeignKey(
        MemberOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("organisation"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    receipt_code = models.CharField(_("receipt code"), max_length=RECEIPT_LENGTH, unique=True)
    client_token = models.UUIDField(_("client token"), unique=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [
            models.Index(fields=["survey", "submitted_at"], name="surveys_resp_survey_time_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(language__in=settings.LANGUAGE_CODES),
                name="surveys_response_language_valid",
            ),
            models.CheckConstraint(
                condition=Q(receipt_code__regex=_receipt_code_regex),
                name="surveys_response_receipt_code_alphabet",
            ),
            models.CheckConstraint(
                condition=Q(invite_link__isnull=True, organisation__isnull=True)
                | Q(invite_link__isnull=False, organisation__isnull=False),
                name="surveys_response_organisation_with_invite",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=F("submitted_at")),
                name="surveys_response_withdrawn_after_submission",
            ),
        ]

    def __str__(self) -> str:
        # Not the receipt code: that is the young person's key to their answers.
        return gettext("Response %(id)s") % {"id": self.pk}

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class Answer(models.Model):
    """One value of one answer: a multiple-choice answer is a row per chosen option, a ranking
    a row per ranked option with its rank (1 = most important)."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question")
    )
    option = models.ForeignKey(
        Option,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answers",
        verbose_name=_("option"),
    )
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    number_value = models.DecimalField(
        _("number"),
        max_digits=NUMBER_MAX_DIGITS,
        decimal_places=NUMBER_DECIMAL_PLACES,
        null=True,
        blank=True,
    )
    text_value = models.TextField(_("text"), null=True, blank=True)  # noqa: DJ001 - null: no text

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(option__isnull=False, number_value__isnull=True, text_value__isnull=True)
                    | Q(
                        option__isnull=True,
                        rank__isnull=True,
                        number_value__isnull=False,
                        text_value__isnull=True,
                    )
                    | Q(
                        option__isnull=True,
                        rank__isnull=True,
                        number_value__isnull=True,
                        text_value__isnull=False,
                    )
                ),
                name="surveys_answer_exactly_one_value",
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(rank__gte=1),
                name="surveys_answer_rank_from_1",
            ),
            models.UniqueConstraint(
                fields=["response", "question", "option"],
                condition=Q(option__isnull=False),
                name="surveys_answer_unique_option",
            ),
            models.UniqueConstraint(
                fields=["response", "question", "rank"],
                condition=Q(rank__isnull=False),
                name="surveys_answer_unique_rank",
            ),
            models.UniqueConstraint(
                fields=["response", "question"],
                condition=Q(option__isnull=True),
                name="surveys_answer_one_number_or_text",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Answer %(id)s") % {"id": self.pk}
