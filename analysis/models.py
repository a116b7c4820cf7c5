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

from consultations.models import AgeBand, Campaign, CrcArticle
from roundtables.models import OutcomePoint
from surveys.models import Answer, Question, Survey


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


# --- End-report input: findings with their evidence ----------------------------------------------


class FindingPriority(models.IntegerChoices):
    HIGH = 1, _("High")
    MEDIUM = 2, _("Medium")
    LOW = 3, _("Low")


class Finding(models.Model):
    """A statement staff draw from the evidence of a campaign, for the end report: every claim
    traces back to question results, coded quotes and roundtable outcome points."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="findings", verbose_name=_("campaign")
    )
    title = models.CharField(_("title"), max_length=200)
    statement = models.TextField(_("statement"))
    articles = models.ManyToManyField(
        CrcArticle, related_name="findings", blank=True, verbose_name=_("UNCRC articles")
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=FindingPriority.choices, default=FindingPriority.MEDIUM
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
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
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["campaign", "priority", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title="") & ~Q(statement=""), name="analysis_finding_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(priority__in=FindingPriority.values),
                name="analysis_finding_priority_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EvidenceKind(models.TextChoices):
    QUESTION = "question", _("Question results")
    QUOTE = "quote", _("Quote")
    OUTCOME_POINT = "outcome_point", _("Roundtable outcome point")


class FindingEvidence(models.Model):
    """One piece of evidence of a finding: a question's results (optionally broken down), a
    coded answer marked as quote, or a key point of a roundtable outcome."""

    finding = models.ForeignKey(
        Finding, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("finding")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKind.choices)
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("question"),
    )
    # age_band, organisation, language or a single-choice question key; blank: overall only.
    breakdown = models.CharField(_("broken down by"), max_length=100, blank=True)
    quote = models.ForeignKey(
        AnswerCoding,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quote"),
    )
    outcome_point = models.ForeignKey(
        OutcomePoint,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("roundtable outcome point"),
    )
    note = models.TextField(_("note"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["finding", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=EvidenceKind.QUESTION,
                        question__isnull=False,
                        quote__isnull=True,
                        outcome_point__isnull=True,
                    )
                    | Q(
                        kind=EvidenceKind.QUOTE,
                        question__isnull=True,
                        breakdown="",
                        quote__isnull=False,
                        outcome_point__isnull=True,
                    )
                    | Q(
                        kind=EvidenceKind.OUTCOME_POINT,
                        question__isnull=True,
                        breakdown="",
                        quote__isnull=True,
                        outcome_point__isnull=False,
                    )
                ),
                name="analysis_findingevidence_one_target_of_its_kind",
            ),
            models.UniqueConstraint(
                fields=["finding", "question", "breakdown"],
                condition=Q(kind=EvidenceKind.QUESTION),
                name="analysis_findingevidence_question_once",
            ),
            models.UniqueConstraint(
                fields=["finding", "quote"],
                condition=Q(kind=EvidenceKind.QUOTE),
                name="analysis_findingevidence_quote_once",
            ),
            models.UniqueConstraint(
                fields=["finding", "outcome_point"],
                condition=Q(kind=EvidenceKind.OUTCOME_POINT),
                name="analysis_findingevidence_outcome_point_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.finding_id}:{self.kind}"


# --- Exports -------------------------------------------------------------------------------------


class ExportFormat(models.TextChoices):
    DOCX = "docx", _("Word document (end-report input)")
    XLSX = "xlsx", _("Excel workbook")
    CSV = "csv", _("CSV (anonymised raw responses)")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Export(models.Model):
    """One export job: requested by staff, rendered by a task on the "exports" queue, its file
    downloadable until the cleanup task removes it. The row stays: it is the log of who
    exported what, raw data included."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="exports", verbose_name=_("campaign")
    )
    format = models.CharField(_("format"), max_length=8, choices=ExportFormat.choices)
    language = models.CharField(
        _("language of the headings"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    includes_raw_responses = models.BooleanField(_("includes raw responses"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.FloatField(_("progress"), default=0.0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    error_message = models.TextField(_("error message"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="exports",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file_removed_at = models.DateTimeField(_("file removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("export_raw_responses", _("Can export anonymised raw responses")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=1),
                name="analysis_export_progress_between_0_and_1",
            ),
            models.CheckConstraint(
                condition=~Q(status=ExportStatus.FAILED) | ~Q(error_message=""),
                name="analysis_export_failure_says_why",
            ),
            models.CheckConstraint(
                condition=~Q(format=ExportFormat.CSV) | Q(includes_raw_responses=True),
                name="analysis_export_csv_is_raw_responses",
            ),
        ]
        indexes = [models.Index(fields=["status", "finished_at"], name="analysis_export_cleanup")]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.format} #{self.pk}"


# --- "What happened with your voice": results back to the young people ---------------------------


class YouthFeedback(models.Model):
    """The child-friendly summary of a campaign for one age band, in each language: what young
    people told us, what the coalition did with it, what happens next."""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="youth_feedback",
        verbose_name=_("campaign"),
    )
    age_band = models.ForeignKey(
        AgeBand, on_delete=models.CASCADE, related_name="+", verbose_name=_("age band")
    )
    told_us_nl = models.TextField(_("what you told us (Dutch)"), blank=True)
    told_us_fr = models.TextField(_("what you told us (French)"), blank=True)
    told_us_en = models.TextField(_("what you told us (English)"), blank=True)
    we_did_nl = models.TextField(_("what we did with it (Dutch)"), blank=True)
    we_did_fr = models.TextField(_("what we did with it (French)"), blank=True)
    we_did_en = models.TextField(_("what we did with it (English)"), blank=True)
    next_steps_nl = models.TextField(_("what happens next (Dutch)"), blank=True)
    next_steps_fr = models.TextField(_("what happens next (French)"), blank=True)
    next_steps_en = models.TextField(_("what happens next (English)"), blank=True)
    questions = models.ManyToManyField(
        Question,
        related_name="+",
        blank=True,
        verbose_name=_("questions whose results are shown"),
        help_text=_("None chosen: every closed question asked of this age band."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("feedback to young people")
        verbose_name_plural = _("feedback to young people")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "age_band"], name="analysis_youthfeedback_one_per_age_band"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.age_band_id}"


class YouthFeedbackPublication(models.Model):
    """A campaign's results published to the young people: from ``published_at`` on, receipt
    pages and the public results page show the feedback. No row: not published (yet)."""

    campaign = models.OneToOneField(
        Campaign,
        on_delete=models.CASCADE,
        related_name="youth_feedback_publication",
        verbose_name=_("campaign"),
    )
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("publication of the results to young people")
        verbose_name_plural = _("publications of the results to young people")

    def __str__(self) -> str:
        return f"{self.campaign_id} @ {self.published_at:%Y-%m-%d}"
