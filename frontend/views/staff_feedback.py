"""Staff pages for "what happened with your voice": per age band a child-friendly summary in
every language and the questions whose results it shows, a preview per band and language as
young people will see it, and publishing (or unpublishing) the summaries.

Every write is one service of ``analysis.feedback``; the preview reads through
``analysis.feedback_selectors`` like the young people's pages do, so it shows exactly what
they will see, suppression included. Publishing and unpublishing ask first: a GET shows what
will happen, the POST does it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from analysis.feedback import (
    TEXT_FIELDS,
    TEXT_MAX_LENGTH,
    youth_feedback_publish,
    youth_feedback_save,
    youth_feedback_unpublish,
)
from analysis.feedback_selectors import (
    TEXT_PARTS,
    feedback_questions,
    youth_feedback_languages,
    youth_feedback_publication,
)
from analysis.models import YouthFeedback
from config.exceptions import InvalidInputError
from consultations.models import AgeBand, Campaign
from consultations.translation import localized
from frontend.views.staff_helpers import campaign_or_404
from frontend.views.staff_roundtables import staff_only
from frontend.views.youth_results import youth_results_for_page
from surveys.models import Question, QuestionKind

LANGUAGE_NAMES = dict(settings.LANGUAGES)
PART_LABELS = {
    "told_us": _("What you told us"),
    "we_did": _("What we did with it"),
    "next_steps": _("What happens next"),
}
PART_HELP = {
    "told_us": _("What young people of this age said, in their words: short sentences."),
    "we_did": _("What the coalition did with it, e.g. in the report to the UN Committee."),
    "next_steps": _("What happens now, and when."),
}
KIND_LABELS = {
    QuestionKind.SINGLE: _("one choice"),
    QuestionKind.MULTIPLE: _("several choices"),
    QuestionKind.SCALE: _("scale"),
}

# --- Helpers -------------------------------------------------------------------------------------


def _band_or_404(campaign: Campaign, band_id: int) -> AgeBand:
    band = next((band for band in campaign.age_bands.all() if band.pk == band_id), None)
    if band is None:
        raise Http404(gettext("There is no age band at this address."))
    return band


def _bands(campaign: Campaign) -> list[AgeBand]:
    return sorted(campaign.age_bands.all(), key=lambda band: (band.min_age, band.order))


def _languages(campaign: Campaign) -> list[str]:
    """The campaign's languages first (its first one first), then the platform's others."""
    offered = [code for code in campaign.languages if code in LANGUAGE_NAMES]
    return offered + [code for code in settings.LANGUAGE_CODES if code not in offered]


def _feedback_url(campaign: Campaign, band: AgeBand | None = None) -> str:
    url = reverse("frontend:staff_youth_feedback", args=[campaign.slug])
    return f"{url}#band-{band.pk}" if band else url


class YouthFeedbackForm(forms.Form):
    """The three texts in every language (told_us_nl, ...) and the questions to show."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for part in TEXT_PARTS:
            for code in settings.LANGUAGE_CODES:
                self.fields[f"{part}_{code}"] = forms.CharField(
                    label=PART_LABELS[part],
                    help_text=PART_HELP[part],
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 4, "lang": code}),
                )
        several_surveys = len({question.survey_id for question in questions}) > 1
        self.fields["questions"] = forms.MultipleChoiceField(
            label=_("Questions whose results are shown"),
            help_text=_(
                "None chosen: every question with one choice, several choices or a scale "
                "asked of this age band. Young people see the numbers of their own age band "
                "only, with small groups hidden."
            ),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=[
                (
                    str(question.pk),
                    "{survey}{text} ({kind})".format(
                        survey=f"{localized(question.survey, 'title')}: "
                        if several_surveys
                        else "",
                        text=localized(question, "text"),
                        kind=KIND_LABELS.get(question.kind, question.kind),
                    ),
                )
                for question in questions
            ],
        )


def _initial(feedback: YouthFeedback | None) -> dict[str, Any]:
    if feedback is None:
        return {}
    initial: dict[str, Any] = {name: getattr(feedback, name) for name in TEXT_FIELDS}
    initial["questions"] = [str(question.pk) for question in feedback.questions.all()]
    return initial


def _band_panel(
    campaign: Campaign,
    band: AgeBand,
    form: YouthFeedbackForm,
    written: list[str],
    feedback: YouthFeedback | None,
) -> dict[str, Any]:
    languages = _languages(campaign)
    return {
        "band": band,
        "form": form,
        "feedback": feedback,
        "written": [LANGUAGE_NAMES[code] for code in written],
        "chosen": len(feedback.questions.all()) if feedback else 0,
        "languages": [
            {
                "code": code,
                "name": LANGUAGE_NAMES[code],
                "is_first": code == languages[0],
                "offered": code in campaign.languages,
                "fields": [form[f"{part}_{code}"] for part in TEXT_PARTS],
                "preview_url": reverse(
                    "frontend:staff_youth_feedback_preview",
                    args=[campaign.slug, band.pk, code],
                ),
            }
            for code in languages
        ],
    }


def _render_page(
    request: HttpRequest,
    campaign: Campaign,
    *,
    bound: tuple[AgeBand, YouthFeedbackForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    feedback_of = {
        feedback.age_band_id: feedback
        for feedback in YouthFeedback.objects.filter(campaign=campaign)
        .select_related("updated_by")
        .prefetch_related("questions")
    }
    written = youth_feedback_languages(campaign=campaign)
    panels = []
    for band in _bands(campaign):
        if bound and bound[0].pk == band.pk:
            form = bound[1]
        else:
            form = YouthFeedbackForm(
                initial=_initial(feedback_of.get(band.pk)),
                questions=list(feedback_questions(campaign=campaign, age_band=band)),
                prefix=f"band-{band.pk}",
            )
        panels.append(
            _band_panel(campaign, band, form, written.get(band.pk, []), feedback_of.get(band.pk))
        )
    first_language = _languages(campaign)[0]
    context = {
        "campaign": campaign,
        "publication": youth_feedback_publication(campaign=campaign),
        "panels": panels,
        "first_language": LANGUAGE_NAMES[first_language],
        "ready_to_publish": any(first_language in codes for codes in written.values()),
        "text_max_length": TEXT_MAX_LENGTH,
        "public_url": reverse("frontend:youth_results", args=[campaign.slug]),
    }
    return render(request, "frontend/staff/feedback/feedback.html", context, status=status)


# --- Pages ---------------------------------------------------------------------------------------


@require_safe
@staff_only
def feedback_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Every age band's summary form, the publication state and the buttons to change it."""
    return _render_page(request, campaign_or_404(slug))


@require_POST
@staff_only
def feedback_band_save(request: HttpRequest, slug: str, band_id: int) -> HttpResponse:
    campaign = campaign_or_404(slug)
    band = _band_or_404(campaign, band_id)
    form = YouthFeedbackForm(
        request.POST,
        questions=list(feedback_questions(campaign=campaign, age_band=band)),
        prefix=f"band-{band.pk}",
    )
    if form.is_valid():
        try:
            youth_feedback_save(
                campaign=campaign,
                age_band=band,
                texts={name: form.cleaned_data[name] for name in TEXT_FIELDS},
                question_ids=form.cleaned_data["questions"],
                user=request.user,
            )
        except InvalidInputError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                gettext("The summary for ages %(band)s is saved.") % {"band": band.code},
            )
            return HttpResponseRedirect(_feedback_url(campaign, band))
    return _render_page(request, campaign, bound=(band, form), status=400)


@require_safe
@staff_only
def feedback_preview(request: HttpRequest, slug: str, band_id: int, language: str) -> HttpResponse:
    """The results page as young people of this band reading this language will see it."""
    campaign = campaign_or_404(slug)
    band = _band_or_404(campaign, band_id)
    if language not in LANGUAGE_NAMES:
        raise Http404(gettext("There is no preview in this language."))
    results = youth_results_for_page(
        campaign=campaign, age_band=band, language=language, preview=True
    )
    with translation.override(language):
        return render(
            request,
            "frontend/youth/results.html",
            {
                "campaign": campaign,
                "bands": [band],
                "band": band,
                "results": results,
                "published": results["published"],
                "preview": True,
            },
        )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def feedback_publish(request: HttpRequest, slug: str) -> HttpResponse:
    """GET asks "publish?" and says what young people will see; POST publishes."""
    campaign = campaign_or_404(slug)
    if request.method == "POST":
        try:
            youth_feedback_publish(campaign=campaign, user=request.user)
        except InvalidInputError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                gettext(
                    "The results are published: young people see them on their receipt "
                    "page and on the campaign's results page."
                ),
            )
        return HttpResponseRedirect(_feedback_url(campaign))
    return _render_confirmation(request, campaign, "frontend/staff/feedback/publish.html")


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def feedback_unpublish(request: HttpRequest, slug: str) -> HttpResponse:
    """GET asks "unpublish?"; POST hides the results again."""
    campaign = campaign_or_404(slug)
    if request.method == "POST":
        if youth_feedback_unpublish(campaign=campaign):
            messages.success(
                request,
                gettext(
                    "The results are no longer published: receipt pages say when results "
                    "are expected again."
                ),
            )
        else:
            messages.info(request, gettext("The results were not published."))
        return HttpResponseRedirect(_feedback_url(campaign))
    return _render_confirmation(request, campaign, "frontend/staff/feedback/unpublish.html")


def _render_confirmation(request: HttpRequest, campaign: Campaign, template: str) -> HttpResponse:
    written = youth_feedback_languages(campaign=campaign)
    first_language = _languages(campaign)[0]
    bands = [
        {
            "band": band,
            "languages": [LANGUAGE_NAMES[code] for code in written.get(band.pk, [])],
            "ready": first_language in written.get(band.pk, []),
        }
        for band in _bands(campaign)
    ]
    return render(
        request,
        template,
        {
            "campaign": campaign,
            "publication": youth_feedback_publication(campaign=campaign),
            "bands": bands,
            "first_language": LANGUAGE_NAMES[first_language],
            "ready_to_publish": any(band["ready"] for band in bands),
        },
    )
