"""Result snapshots: one per survey, the raw aggregates of its answers.

A snapshot holds exact counts. Small-cell suppression (analysis.suppression) is applied when a
snapshot is read for output, with the campaign's current ``min_cell_size``, so that raising k
protects every page and endpoint at once, without a recomputation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from consultations.models import Campaign, CrcArticle
from surveys.models import Answer, Survey


class ResultSnapshot(models.Model):
    survey = models.OneToOneField(
        Survey,
        on_delete=models.CASCADE,
        related_name="result_snapshot",
        verbose_name=_("survey"),
    )
    # Layout: analysis.services (SNAPSHOT_FORMAT); read through analysis.selectors only.
    data = models.JSONField(_("aggregates"), default=dict)
    # What the snapshot was computed from: the sweeper compares these with the responses now.
    response_count = models.PositiveIntegerField(_("responses"), default=0)
    max_response_id = models.BigIntegerField(_("highest response id"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"))
    duration = models.DurationField(_("time taken"))

    class Meta:
        verbose_name = _("result snapshot")
        verbose_name_plural = _("result snapshots")
        constraints = [
            models.CheckConstraint(
                condition=Q(response_count=0, max_response_id__isnull=True)
                | Q(response_count__gt=0, max_response_id__isnull=False),
                name="analysis_resultsnapshot_max_id_with_responses",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} @ {self.computed_at:%Y-%m-%d %H:%M:%S}"


# --- Open answers: codebook, coding, quotes, theme suggestions -----------------------------------


class Code(models.Model):
    """One entry of a campaign's codebook: a theme that staff attach to open answers."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="codes", verbose_name=_("campaign")
    )
    label = models.CharField(_("label"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    articles = models.ManyToManyField(
        CrcArticle, related_name="codes", blank=True, verbose_name=_("UNCRC articles")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("code")
        verbose_name_plural = _("codes")
        ordering = ["campaign", "label"]
        constraints = [
            models.UniqueConstraint(
                "campaign", Lower("label"), name="analysis_code_label_unique_per_campaign"
            ),
            models.CheckConstraint(condition=~Q(label=""), name="analysis_code_label_not_empty"),
        ]

    def __str__(self) -> str:
        return self.label


class AnswerCoding(models.Model):
    """A staff member's reading of one open answer: the codes that apply (possibly none: read,
    nothing to code) and whether it is a quote usable in the report. An open answer without a
    coding is *uncoded*."""

    answer = models.OneToOneField(
        Answer, on_delete=models.CASCADE, related_name="coding", verbose_name=_("answer")
    )
    codes = models.ManyToManyField(
        Code, through="AnswerCode", related_name="codings", blank=True, verbose_name=_("codes")
    )
    is_quote = models.BooleanField(_("quote for the report"), default=False)
    coded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("coded by"),
    )
    coded_at = models.DateTimeField(_("coded at"), auto_now=True)

    class Meta:
        verbose_name = _("coded answer")
        verbose_name_plural = _("coded answers")
        indexes = [
            models.Index(
                fields=["is_quote"],
                condition=Q(is_quote=True),
                name="analysis_coding_quotes",
            )
        ]

    def __str__(self) -> str:
        return f"{self.answer_id}"


class AnswerCode(models.Model):
    """One code on one coded answer."""

    coding = models.ForeignKey(
        AnswerCoding, on_delete=models.CASCADE, related_name="+", verbose_name=_("coded answer")
    )
    code = models.ForeignKey(
        Code, on_delete=models.CASCADE, related_name="+", verbose_name=_("code")
    )

    class Meta:
        verbose_name = _("code of an answer")
        verbose_name_plural = _("codes of answers")
        constraints = [
            models.UniqueConstraint(fields=["coding", "code"], name="analysis_answercode_unique")
        ]

    def __str__(self) -> str:
        return f"{self.coding_id}:{self.code_id}"


class ThemeSuggestionStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested")
    ACCEPTED = "accepted", _("Accepted")
    IGNORED = "ignored", _("Ignored")


class ThemeSuggestion(models.Model):
    """A candidate theme found by keyword extraction in a campaign's uncoded open answers of
    one language. Staff accept it (it becomes a code) or ignore it (it is not suggested again)."""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="theme_suggestions",
        verbose_name=_("campaign"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    phrase = models.CharField(_("phrase"), max_length=100)
    answer_count = models.PositiveIntegerField(_("uncoded answers with it"), default=0)
    score = models.FloatField(_("relevance"), default=0.0)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ThemeSuggestionStatus.choices,
        default=ThemeSuggestionStatus.SUGGESTED,
    )
    code = models.ForeignKey(
        Code,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("code made from it"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("found at"), auto_now_add=True)

    class Meta:
        verbose_name = _("theme suggestion")
        verbose_name_plural = _("theme suggestions")
        ordering = ["campaign", "language", "-answer_count", "phrase"]
        constraints = [
            models.UniqueConstraint(
                "campaign",
                "language",
                Lower("phrase"),
                name="analysis_themesuggestion_phrase_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.phrase} ({self.language})"
