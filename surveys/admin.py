"""Authoring surveys in the admin.

A survey's page lists its questions inline; each question's own page holds its options inline
(the admin nests no inlines). Once a survey has responses, questions cannot be deleted and option
values cannot change: the models refuse it (surveys.models.definition_change_refusal) and the
pages below show why instead of failing.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.exceptions import InvalidInputError
from surveys.models import (
    OPTION_KINDS,
    Option,
    Question,
    Survey,
    definition_change_refusal,
)
from surveys.selectors import survey_view

# --- Questions inside a survey -------------------------------------------------------------------


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["order", "key", "kind", "text_nl", "min_age", "max_age"]
    extra = 0
    show_change_link = True
    verbose_name_plural = _("questions (open one to edit its wording, options and conditions)")

    def has_delete_permission(self, request: HttpRequest, obj: Survey | None = None) -> bool:
        if obj is not None and obj.has_responses():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["slug", "title_nl", "campaign", "status", "opens_at", "closes_at", "responses"]
    list_filter = ["status", "campaign"]
    list_select_related = ["campaign"]
    search_fields = ["slug", "title_nl", "title_fr", "title_en"]
    prepopulated_fields = {"slug": ["title_nl"]}
    readonly_fields = ["definition_lock", "created_at", "updated_at"]
    change_form_template = "admin/surveys/survey/change_form.html"
    fieldsets = [
        (None, {"fields": ["campaign", "slug", "status", "opens_at", "closes_at"]}),
        (_("Dutch"), {"fields": ["title_nl", "intro_nl"]}),
        (_("French"), {"fields": ["title_fr", "intro_fr"]}),
        (_("English"), {"fields": ["title_en", "intro_en"]}),
        (_("Responses"), {"fields": ["definition_lock"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [QuestionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Survey]:
        return super().get_queryset(request).annotate(_responses=Count("responses"))

    @admin.display(description=_("responses"), ordering="_responses")
    def responses(self, survey: Survey) -> int:
        return survey._responses

    @admin.display(description=_("definition"))
    def definition_lock(self, survey: Survey) -> str:
        if survey.pk is None:
            return "—"
        return definition_change_refusal(survey.pk) or gettext(
            "No responses yet: every part of this survey can still change."
        )

    def get_urls(self) -> list:
        preview = path(
            "<path:object_id>/preview/",
            self.admin_site.admin_view(self.preview_view),
            name="surveys_survey_preview",
        )
        return [preview, *super().get_urls()]

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The survey as a young person of a chosen age and language would see it."""
        survey = get_object_or_404(Survey.objects.select_related("campaign"), pk=object_id)
        if not self.has_view_permission(request, survey):
            return HttpResponseRedirect(reverse("admin:index"))
        form = SurveyPreviewForm(survey, request.GET or None)
        view = None
        if form.is_valid():
            try:
                view = survey_view(
                    survey=survey,
                    language=form.cleaned_data["language"],
                    age=form.cleaned_data["age"],
                )
            except InvalidInputError as error:
                form.add_error(None, error.message)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": survey,
            "title": gettext("Preview of %(survey)s") % {"survey": survey.title},
            "form": form,
            "view": view,
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/surveys/survey/preview.html", context)


class SurveyPreviewForm(forms.Form):
    language = forms.ChoiceField(label=_("language"))
    age = forms.TypedChoiceField(label=_("age"), coerce=int)

    def __init__(self, survey: Survey, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        languages = dict(_language_names())
        self.fields["language"].choices = [
            (code, languages.get(code, code)) for code in survey.campaign.languages
        ]
        ages = sorted(
            {
                age
                for band in survey.campaign.age_bands.all()
                for age in range(band.min_age, band.max_age + 1)
            }
        )
        self.fields["age"].choices = [(age, str(age)) for age in ages]


def _language_names() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


# --- A question with its options -----------------------------------------------------------------


class OptionInlineFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        question: Question = self.instance
        kept = 0
        # Deleting an option that was chosen is refused by the admin itself: Answer.option is
        # PROTECTed, and the formset names the answers in the way.
        for form in self.forms:
            if not form.is_valid() or self._should_delete_form(form):
                continue
            if form.instance.pk is not None or form.has_changed():
                kept += 1
        if question.kind in OPTION_KINDS and kept < 2:
            raise ValidationError(gettext("A question with choices needs at least two options."))


class OptionInline(admin.TabularInline):
    model = Option
    formset = OptionInlineFormSet
    fields = ["order", "value", "label_nl", "label_fr", "label_en", "emoji"]
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["key", "survey", "order", "kind", "text_nl", "min_age", "max_age"]
    list_filter = ["kind", "survey"]
    list_select_related = ["survey"]
    search_fields = ["key", "text_nl", "text_fr", "text_en", "survey__slug"]
    filter_horizontal = ["articles"]
    fieldsets = [
        (None, {"fields": ["survey", "key", "order", "kind"]}),
        (_("Dutch"), {"fields": ["text_nl", "easy_text_nl", "help_nl"]}),
        (_("French"), {"fields": ["text_fr", "easy_text_fr", "help_fr"]}),
        (_("English"), {"fields": ["text_en", "easy_text_en", "help_en"]}),
        (
            _("Answer"),
            {
                "fields": ["scale_points", "min_value", "max_value", "max_choices", "max_length"],
                "description": _(
                    "Scale: 3 or 5 points (options 1..N may replace a point's word and face). "
                    "Number: lowest and highest. Several choices: most choices. Free text: "
                    "longest answer."
                ),
            },
        ),
        (_("Who is asked"), {"fields": ["min_age", "max_age", "show_if"]}),
        (_("UNCRC"), {"fields": ["articles"]}),
    ]
    inlines = [OptionInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Question | None = None) -> list:
        # A question stays in the survey it was written for.
        return ["survey"] if obj is not None else []

    def get_deleted_objects(self, objs, request: HttpRequest):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected)
        for survey_id in dict.fromkeys(question.survey_id for question in objs):
            refusal = definition_change_refusal(survey_id)
            if refusal:
                survey = Survey.objects.get(pk=survey_id)
                protected.append(format_html("{}: {}", survey, refusal))
        return deleted, counts, perms_needed, protected
