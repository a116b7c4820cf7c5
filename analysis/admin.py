"""Admin of the analysis app: the codebooks, and the theme suggestions (read only).

Staff code answers and decide on suggestions on the staff pages; the admin is for looking things
up and for tidying a codebook (its form keeps the label unique per campaign through the
model's constraint).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from analysis.coding import theme_suggestion_ignore
from analysis.models import (
    Code,
    EvidenceKind,
    Finding,
    FindingEvidence,
    ThemeSuggestion,
    ThemeSuggestionStatus,
)
from config.exceptions import ApplicationError


@admin.register(Code)
class CodeAdmin(admin.ModelAdmin):
    list_display = ["label", "campaign", "answer_count", "article_list", "created_by", "updated_at"]
    list_filter = ["campaign"]
    list_select_related = ["campaign", "created_by"]
    search_fields = ["label", "description", "campaign__slug"]
    filter_horizontal = ["articles"]
    fields = ["campaign", "label", "description", "articles", "created_by", "created_at"]
    readonly_fields = ["created_by", "created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Code]:
        return (
            super()
            .get_queryset(request)
            .annotate(_answer_count=Count("codings", distinct=True))
            .prefetch_related("articles")
        )

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        # A code's answers belong to its campaign: it cannot move to another one.
        if obj is not None:
            return [*self.readonly_fields, "campaign"]
        return self.readonly_fields

    @admin.display(description=_("coded answers"), ordering="_answer_count")
    def answer_count(self, code: Code) -> int:
        return code._answer_count

    @admin.display(description=_("UNCRC articles"))
    def article_list(self, code: Code) -> str:
        return ", ".join(article.code for article in code.articles.all())

    def save_model(self, request: HttpRequest, obj: Code, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ThemeSuggestion)
class ThemeSuggestionAdmin(admin.ModelAdmin):
    """Read only: suggestions come from keyword extraction and are decided on the codebook
    page. Open ones can be ignored here in bulk."""

    list_display = [
        "phrase",
        "language",
        "campaign",
        "status",
        "answer_count",
        "score",
        "code",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status", "language", "campaign"]
    list_select_related = ["campaign", "code", "decided_by"]
    search_fields = ["phrase"]
    readonly_fields = [
        "campaign",
        "language",
        "phrase",
        "answer_count",
        "score",
        "status",
        "code",
        "decided_by",
        "decided_at",
        "created_at",
    ]
    fields = readonly_fields
    actions = ["ignore_suggestions"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # Viewing only (the action below needs the change permission of the list).
        return obj is None and super().has_change_permission(request, obj)

    @admin.action(description=_("Ignore the selected suggestions"))
    def ignore_suggestions(self, request: HttpRequest, queryset: QuerySet[ThemeSuggestion]) -> None:
        ignored = 0
        for suggestion in queryset.filter(status=ThemeSuggestionStatus.SUGGESTED):
            try:
                theme_suggestion_ignore(suggestion=suggestion, user=request.user)
            except ApplicationError:
                continue  # decided meanwhile by someone else
            ignored += 1
        self.message_user(
            request,
            ngettext("%(count)d suggestion ignored.", "%(count)d suggestions ignored.", ignored)
            % {"count": ignored},
            messages.SUCCESS if ignored else messages.WARNING,
        )
        if ignored < queryset.count():
            self.message_user(
                request, gettext("Suggestions already accepted or ignored were left as they are.")
            )


# --- Findings ------------------------------------------------------------------------------------


class FindingEvidenceFormSet(BaseInlineFormSet):
    """Refuses the same evidence twice on one finding with a message, before the database's
    unique constraints would (the forms' own validation leaves constraints on the finding out,
    since the finding is set only when saving)."""

    def clean(self) -> None:
        super().clean()
        seen: set[tuple] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            kind = data.get("kind")
            target = {
                EvidenceKind.QUESTION: (data.get("question"), data.get("breakdown") or ""),
                EvidenceKind.QUOTE: (data.get("quote"),),
                EvidenceKind.OUTCOME_POINT: (data.get("outcome_point"),),
            }.get(kind)
            if target is None:
                continue
            key = (kind, *(getattr(item, "pk", item) for item in target))
            if key in seen:
                raise ValidationError(gettext("The same evidence is listed twice."))
            seen.add(key)


class FindingEvidenceInline(admin.TabularInline):
    """The evidence of a finding. Staff attach it on the finding's page, which offers only
    evidence of the campaign; here the database's constraints keep each row to one target of
    its kind, once per finding."""

    model = FindingEvidence
    formset = FindingEvidenceFormSet
    extra = 0
    fields = ["order", "kind", "question", "breakdown", "quote", "outcome_point", "note"]
    raw_id_fields = ["question", "quote", "outcome_point"]


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "campaign",
        "priority",
        "order",
        "evidence_count",
        "created_by",
        "updated_at",
    ]
    list_filter = ["priority", "campaign"]
    list_select_related = ["campaign", "created_by"]
    search_fields = ["title", "statement", "campaign__slug"]
    filter_horizontal = ["articles"]
    fields = [
        "campaign",
        "title",
        "statement",
        "articles",
        "priority",
        "order",
        "created_by",
        "created_at",
        "updated_at",
    ]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [FindingEvidenceInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Finding]:
        return super().get_queryset(request).annotate(_evidence_count=Count("evidence"))

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        # Its evidence belongs to its campaign: a finding cannot move to another one.
        if obj is not None:
            return [*self.readonly_fields, "campaign"]
        return self.readonly_fields

    @admin.display(description=_("evidence"), ordering="_evidence_count")
    def evidence_count(self, finding: Finding) -> int:
        return finding._evidence_count

    def save_model(self, request: HttpRequest, obj: Finding, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
