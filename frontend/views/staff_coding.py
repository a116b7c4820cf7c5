"""Staff pages for the open answers of a campaign: the codebook (codes, how often each was given
by age band, theme suggestions), coding one answer at a time, and the quotes for the report.

Every write is one service of ``analysis.coding``; every read goes through
``analysis.coding_selectors``. Code frequencies are published numbers: they arrive from the
selector already suppressed (DESIGN §4), a suppressed count as None, shown as "< k".

The coding page works by keyboard without JavaScript: one form, the codes as checkboxes and
"Save and next" as its first (default) button; ``inspraak/coding.js`` adds shortcuts on top.
The filters travel in the query string, so Previous, Next and the redirect after saving (PRG)
keep them. A filter value that does not fit the campaign is left out with a message, never an
error page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from analysis.coding import (
    DESCRIPTION_MAX_LENGTH,
    LABEL_MAX_LENGTH,
    answer_coding_clear,
    answer_coding_save,
    code_create,
    code_delete,
    code_merge,
    code_update,
    theme_suggestion_accept,
    theme_suggestion_ignore,
)
from analysis.coding_selectors import (
    MAX_ID,
    SEARCH_MAX_LENGTH,
    codebook,
    open_answer_neighbours,
    open_answer_questions,
    open_answers,
    quotes,
    theme_suggestions,
)
from analysis.models import Code, ThemeSuggestion
from analysis.renderers import hidden
from analysis.tasks import theme_suggestions_refresh_task
from config.exceptions import ApplicationError, InvalidInputError, NotFoundError
from consultations.models import AgeBand, Campaign, CrcArticle
from consultations.translation import localized
from frontend.views.staff_helpers import article_clusters, campaign_or_404, form_error
from frontend.views.staff_roundtables import staff_only
from surveys.models import Answer

LANGUAGE_NAMES = dict(settings.LANGUAGES)
# The first codes of the coding form answer to the number keys 1-9 (with JavaScript).
NUMBER_KEYS = 9
# Where the coding page starts when no status is chosen: the answers nobody has read yet.
DEFAULT_STATUS = "uncoded"
# The filters of the coding page, as named in the query string and by open_answers' errors.
FILTERS = ("question", "age_band", "language", "status", "code", "search")

# --- Helpers -------------------------------------------------------------------------------------


def _code_or_404(campaign: Campaign, code_id: int) -> Code:
    code = Code.objects.filter(campaign=campaign, pk=min(code_id, MAX_ID)).first()
    if code is None:
        raise Http404(gettext("There is no code at this address."))
    return code


def _suggestion_or_404(campaign: Campaign, suggestion_id: int) -> ThemeSuggestion:
    suggestion = ThemeSuggestion.objects.filter(
        campaign=campaign, pk=min(suggestion_id, MAX_ID)
    ).first()
    if suggestion is None:
        raise Http404(gettext("There is no theme suggestion at this address."))
    return suggestion


def _campaign_codes(campaign: Campaign) -> list[Code]:
    """The codes in the order staff see them everywhere: by label, case left aside."""
    return list(Code.objects.filter(campaign=campaign).order_by(Lower("label"), "pk"))


def _language_choices(campaign: Campaign) -> list[tuple[str, str]]:
    return [
        (code, str(name)) for code, name in LANGUAGE_NAMES.items() if code in campaign.languages
    ]


def _with_query(url: str, query: dict[str, Any], anchor: str = "") -> str:
    query = {key: value for key, value in query.items() if value not in (None, "")}
    url = f"{url}?{urlencode(query)}" if query else url
    return f"{url}#{anchor}" if anchor else url


def _codebook_url(campaign: Campaign, anchor: str = "") -> str:
    return _with_query(reverse("frontend:staff_codebook", args=[campaign.slug]), {}, anchor)


# --- Codebook ------------------------------------------------------------------------------------


class CodeForm(forms.Form):
    label = forms.CharField(
        label=_("Label"),
        max_length=LABEL_MAX_LENGTH,
        help_text=_("A short name for the theme, as it will read in the report."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        help_text=_("When to give this code, so that everyone who codes uses it the same way."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    articles = forms.MultipleChoiceField(label=_("UNCRC articles"), required=False, choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["articles"].choices = [
            (code, code) for code in CrcArticle.objects.values_list("code", flat=True)
        ]

    @property
    def chosen_articles(self) -> set[str]:
        return {str(value) for value in (self["articles"].value() or [])}


def _shown(cell: dict[str, Any], k: int) -> str:
    return hidden() if cell["suppressed"] else str(cell["count"])


def _frequency_table(book: dict[str, Any]) -> dict[str, Any]:
    """The code frequencies as a table of display strings: a header (all young people with a
    coded answer, then each age band, with n) and a row per code."""
    k = book["k"]
    header = [{"label": gettext("All"), "n": str(book["coded_responses"])}]
    header += [
        {"label": band["code"], "n": hidden() if band["suppressed"] else str(band["n"])}
        for band in book["age_bands"]
    ]
    rows = [
        {
            "id": code["id"],
            "label": code["label"],
            "cells": [
                _shown(code["frequency"]["overall"], k),
                *[_shown(cell, k) for cell in code["frequency"]["by_age_band"]],
            ],
        }
        for code in book["codes"]
    ]
    has_suppressed = any(
        cell["suppressed"]
        for code in book["codes"]
        for cell in [code["frequency"]["overall"], *code["frequency"]["by_age_band"]]
    ) or any(band["suppressed"] for band in book["age_bands"])
    return {"header": header, "rows": rows, "has_suppressed": has_suppressed}


def _suggestions_by_language(campaign: Campaign) -> list[dict[str, Any]]:
    open_ones = list(theme_suggestions(campaign=campaign))
    return [
        {
            "code": code,
            "name": name,
            "suggestions": [item for item in open_ones if item.language == code],
        }
        for code, name in _language_choices(campaign)
    ]


def _render_codebook(
    request: HttpRequest, campaign: Campaign, form: CodeForm, *, status: int = 200
) -> HttpResponse:
    book = codebook(campaign=campaign)
    coding_url = reverse("frontend:staff_coding", args=[campaign.slug])
    context = {
        "campaign": campaign,
        "book": book,
        "k": book["k"],
        "frequencies": _frequency_table(book),
        "form": form,
        "clusters": article_clusters(),
        "themes": _suggestions_by_language(campaign),
        "uncoded_url": _with_query(coding_url, {"status": "uncoded"}),
        "coded_url": _with_query(coding_url, {"status": "coded"}),
    }
    return render(request, "frontend/staff/coding/codebook.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def codebook_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The codebook; POST adds a code."""
    campaign = campaign_or_404(slug)
    if request.method != "POST":
        return _render_codebook(request, campaign, CodeForm())
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            code = code_create(
                campaign=campaign,
                label=form.cleaned_data["label"],
                description=form.cleaned_data["description"],
                article_numbers=form.cleaned_data["articles"],
                user=request.user,
            )
        except InvalidInputError as error:
            form_error(form, error)
        else:
            messages.success(
                request, gettext("The code “%(label)s” is added.") % {"label": code.label}
            )
            return HttpResponseRedirect(_codebook_url(campaign, f"code-{code.pk}"))
    return _render_codebook(request, campaign, form, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def code_edit_page(request: HttpRequest, slug: str, code_id: int) -> HttpResponse:
    campaign = campaign_or_404(slug)
    code = _code_or_404(campaign, code_id)
    status = 200
    if request.method == "POST":
        form = CodeForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                code_update(
                    code=code,
                    label=form.cleaned_data["label"],
                    description=form.cleaned_data["description"],
                    article_numbers=form.cleaned_data["articles"],
                    user=request.user,
                )
            except InvalidInputError as error:
                form_error(form, error)
            else:
                messages.success(
                    request, gettext("The code “%(label)s” is saved.") % {"label": code.label}
                )
                return HttpResponseRedirect(_codebook_url(campaign, f"code-{code.pk}"))
        # What was typed, against the stored label in the heading.
        code.refresh_from_db()
    else:
        form = CodeForm(
            initial={
                "label": code.label,
                "description": code.description,
                "articles": [article.code for article in code.articles.all()],
            }
        )
    return render(
        request,
        "frontend/staff/coding/code_edit.html",
        {"campaign": campaign, "code": code, "form": form, "clusters": article_clusters()},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def code_delete_page(request: HttpRequest, slug: str, code_id: int) -> HttpResponse:
    """GET asks "are you sure?" and says how many answers carry the code; POST deletes it."""
    campaign = campaign_or_404(slug)
    code = _code_or_404(campaign, code_id)
    if request.method == "POST":
        label = code.label
        carried = code_delete(code=code)
        messages.success(
            request,
            ngettext(
                "The code “%(label)s” is deleted; %(count)s answer no longer carries it.",
                "The code “%(label)s” is deleted; %(count)s answers no longer carry it.",
                carried,
            )
            % {"label": label, "count": carried},
        )
        return HttpResponseRedirect(_codebook_url(campaign, "codes"))
    carried = open_answers(campaign=campaign, code_id=code.pk).count()
    return render(
        request,
        "frontend/staff/coding/code_delete.html",
        {"campaign": campaign, "code": code, "carried": carried},
    )


class MergeForm(forms.Form):
    target = forms.TypedChoiceField(label=_("Merge into"), coerce=int, choices=())

    def __init__(self, *args: Any, targets: list[Code], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", gettext("Choose a code"))] + [
            (code.pk, code.label) for code in targets
        ]


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def code_merge_page(request: HttpRequest, slug: str, code_id: int) -> HttpResponse:
    """Fold this code into another one: its answers carry the other code instead."""
    campaign = campaign_or_404(slug)
    code = _code_or_404(campaign, code_id)
    targets = [other for other in _campaign_codes(campaign) if other.pk != code.pk]
    form = MergeForm(request.POST if request.method == "POST" else None, targets=targets)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            target = next(t for t in targets if t.pk == form.cleaned_data["target"])
            label = code.label
            try:
                code_merge(source=code, target=target, user=request.user)
            except ApplicationError as error:
                form_error(form, error)
            else:
                messages.success(
                    request,
                    gettext(
                        "The code “%(source)s” is merged into “%(target)s”: its answers now "
                        "carry “%(target)s”."
                    )
                    % {"source": label, "target": target.label},
                )
                return HttpResponseRedirect(_codebook_url(campaign, f"code-{target.pk}"))
    carried = open_answers(campaign=campaign, code_id=code.pk).count()
    return render(
        request,
        "frontend/staff/coding/code_merge.html",
        {
            "campaign": campaign,
            "code": code,
            "form": form,
            "has_targets": bool(targets),
            "carried": carried,
        },
        status=status,
    )


# --- Theme suggestions ---------------------------------------------------------------------------


@require_POST
@staff_only
def themes_refresh(request: HttpRequest, slug: str) -> HttpResponse:
    """Queue a new search for themes in the uncoded answers (in-process without Redis)."""
    campaign = campaign_or_404(slug)
    theme_suggestions_refresh_task.delay_on_commit(campaign.pk)
    messages.success(
        request,
        gettext(
            "The search for themes in the uncoded answers is queued; reload this page in a "
            "moment to see what it found."
        ),
    )
    return HttpResponseRedirect(_codebook_url(campaign, "themes"))


@require_POST
@staff_only
def theme_accept(request: HttpRequest, slug: str, suggestion_id: int) -> HttpResponse:
    """Accept a suggestion as a code, then show the uncoded answers that contain its phrase,
    so that staff can give them the new code straight away."""
    campaign = campaign_or_404(slug)
    suggestion = _suggestion_or_404(campaign, suggestion_id)
    label = request.POST.get("label", "").strip() or None
    try:
        code = theme_suggestion_accept(suggestion=suggestion, label=label, user=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(_codebook_url(campaign, "themes"))
    messages.success(
        request,
        gettext(
            "“%(label)s” is now a code. Below are the uncoded answers that contain "
            "“%(phrase)s”: give them the code where it fits."
        )
        % {"label": code.label, "phrase": suggestion.phrase},
    )
    url = reverse("frontend:staff_coding", args=[campaign.slug])
    return HttpResponseRedirect(
        _with_query(
            url,
            {"language": suggestion.language, "status": "uncoded", "search": suggestion.phrase},
        )
    )


@require_POST
@staff_only
def theme_ignore(request: HttpRequest, slug: str, suggestion_id: int) -> HttpResponse:
    campaign = campaign_or_404(slug)
    suggestion = _suggestion_or_404(campaign, suggestion_id)
    try:
        theme_suggestion_ignore(suggestion=suggestion, user=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            gettext("“%(phrase)s” is ignored; it will not be suggested again.")
            % {"phrase": suggestion.phrase},
        )
    return HttpResponseRedirect(_codebook_url(campaign, "themes"))


# --- Coding --------------------------------------------------------------------------------------


@dataclass
class CodingFilters:
    """The coding page's filters as they travel in the query string."""

    values: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_query(cls, query: Any) -> CodingFilters:
        values = {name: query.get(name, "").strip() for name in FILTERS}
        values["search"] = values["search"][: SEARCH_MAX_LENGTH + 1]
        values["status"] = values["status"] or DEFAULT_STATUS
        return cls(values)

    @property
    def query(self) -> dict[str, str]:
        return {name: value for name, value in self.values.items() if value}

    def selector_arguments(self) -> dict[str, Any]:
        values = self.values
        return {
            "question_id": values["question"] or None,
            "age_band_id": values["age_band"] or None,
            "language": values["language"] or None,
            "status": values["status"] or "all",
            "code_id": values["code"] or None,
            "search": values["search"] or None,
        }


def _filtered_answers(
    request: HttpRequest, campaign: Campaign
) -> tuple[CodingFilters, QuerySet[Answer]]:
    """The answers matching the query string's filters. A value that does not fit the
    campaign (an unknown question, a code of another campaign, ...) is left out, and staff
    are told why; the selector decides what fits."""
    filters = CodingFilters.from_query(request.GET)
    for _attempt in range(len(FILTERS) + 1):
        try:
            return filters, open_answers(campaign=campaign, **filters.selector_arguments())
        except InvalidInputError as error:
            if error.field not in FILTERS or not filters.values.get(error.field):
                break
            filters.values[error.field] = "all" if error.field == "status" else ""
            messages.warning(
                request,
                gettext("A filter was left out: %(reason)s") % {"reason": error.message},
            )
    return CodingFilters({**{name: "" for name in FILTERS}, "status": "all"}), open_answers(
        campaign=campaign
    )


def _filter_choices(campaign: Campaign, codes: list[Code]) -> dict[str, list[tuple[str, str]]]:
    questions = open_answer_questions(campaign=campaign)
    several_surveys = len({question.survey_id for question in questions}) > 1
    return {
        "question": [
            (
                str(question.pk),
                f"{localized(question.survey, 'title')}: {localized(question, 'text')}"
                if several_surveys
                else localized(question, "text"),
            )
            for question in questions
        ],
        "age_band": [
            (str(band.pk), band.code)
            for band in AgeBand.objects.filter(campaign=campaign).order_by("order", "min_age")
        ],
        "language": _language_choices(campaign),
        "status": [
            ("uncoded", gettext("Not coded yet")),
            ("coded", gettext("Coded")),
            ("quotes", gettext("Quotes for the report")),
            ("all", gettext("All answers")),
        ],
        "code": [(str(code.pk), code.label) for code in codes],
    }


def _coding_url(campaign: Campaign, answer_id: int | None, filters: CodingFilters) -> str:
    if answer_id is None:
        url = reverse("frontend:staff_coding", args=[campaign.slug])
    else:
        url = reverse("frontend:staff_coding_answer", args=[campaign.slug, answer_id])
    return _with_query(url, filters.query)


def _open_answer_or_404(campaign: Campaign, answer_id: int) -> Answer:
    answer = open_answers(campaign=campaign).filter(pk=min(answer_id, MAX_ID)).first()
    if answer is None:
        raise Http404(gettext("There is no open answer at this address."))
    return answer


def _coding_of(answer: Answer) -> Any:
    try:
        return answer.coding
    except ObjectDoesNotExist:
        return None


def _render_coding(
    request: HttpRequest,
    campaign: Campaign,
    filters: CodingFilters,
    answers: QuerySet[Answer],
    answer: Answer | None,
    *,
    status: int = 200,
    chosen: set[int] | None = None,
    is_quote: bool | None = None,
) -> HttpResponse:
    codes = _campaign_codes(campaign)
    context: dict[str, Any] = {
        "campaign": campaign,
        "filters": filters.values,
        "choices": _filter_choices(campaign, codes),
        "answer": answer,
        "has_filters": any(filters.values[name] for name in FILTERS if name != "status")
        or filters.values["status"] != "all",
        "clear_filters_url": _with_query(
            reverse("frontend:staff_coding", args=[campaign.slug]), {"status": "all"}
        ),
        "codebook_url": _codebook_url(campaign),
        "search_max_length": SEARCH_MAX_LENGTH,
    }
    if answer is not None:
        previous_id, next_id, position, total = open_answer_neighbours(
            queryset=answers, answer_id=answer.pk
        )
        coding = _coding_of(answer)
        if chosen is None:
            chosen = {code.pk for code in coding.codes.all()} if coding else set()
        if is_quote is None:
            is_quote = bool(coding and coding.is_quote)
        context.update(
            {
                "question_text": localized(answer.question, "text"),
                "survey_title": localized(answer.question.survey, "title"),
                "age_band": answer.response.age_band.code,
                "language": answer.response.language,
                "language_name": LANGUAGE_NAMES.get(answer.response.language, ""),
                "coding": coding,
                "codes": [
                    {
                        "id": code.pk,
                        "label": code.label,
                        "key": index if index <= NUMBER_KEYS else None,
                        "checked": code.pk in chosen,
                    }
                    for index, code in enumerate(codes, start=1)
                ],
                "is_quote": is_quote,
                "position": position,
                "total": total,
                "previous_url": _coding_url(campaign, previous_id, filters)
                if previous_id
                else None,
                "next_url": _coding_url(campaign, next_id, filters) if next_id else None,
                "form_action": _coding_url(campaign, answer.pk, filters),
            }
        )
    else:
        context["total"] = 0
    return render(request, "frontend/staff/coding/coding.html", context, status=status)


@require_safe
@staff_only
def coding_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The first answer that matches the filters (by default: the first uncoded one)."""
    campaign = campaign_or_404(slug)
    filters, answers = _filtered_answers(request, campaign)
    return _render_coding(request, campaign, filters, answers, answers.first())


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def coding_answer_page(request: HttpRequest, slug: str, answer_id: int) -> HttpResponse:
    """One answer; POST saves its coding (then the next answer of the filters) or clears it."""
    campaign = campaign_or_404(slug)
    answer = _open_answer_or_404(campaign, answer_id)
    filters, answers = _filtered_answers(request, campaign)
    if request.method != "POST":
        return _render_coding(request, campaign, filters, answers, answer)

    if request.POST.get("action") == "clear":
        try:
            answer_coding_clear(answer_id=answer.pk, campaign=campaign)
        except NotFoundError as error:  # withdrawn meanwhile
            raise Http404(error.message) from None
        messages.success(request, gettext("The coding of this answer is cleared."))
        return HttpResponseRedirect(_coding_url(campaign, answer.pk, filters))

    code_ids = request.POST.getlist("codes")
    is_quote = request.POST.get("is_quote") == "on"
    try:
        answer_coding_save(
            answer_id=answer.pk,
            campaign=campaign,
            code_ids=code_ids,
            is_quote=is_quote,
            user=request.user,
        )
    except NotFoundError as error:  # withdrawn meanwhile
        raise Http404(error.message) from None
    except InvalidInputError as error:
        messages.error(request, error.message)
        chosen = {int(value) for value in code_ids if value.isdigit() and len(value) < 19}
        return _render_coding(
            request, campaign, filters, answers, answer, status=400, chosen=chosen
        )
    _previous, next_id, _position, _total = open_answer_neighbours(
        queryset=answers, answer_id=answer.pk
    )
    if next_id is None:
        messages.success(
            request, gettext("Saved. That was the last answer after this one in your filters.")
        )
    else:
        messages.success(request, gettext("Saved. Here is the next answer."))
    # Without a next one: the filters' first answer, if any is left before this one.
    return HttpResponseRedirect(_coding_url(campaign, next_id, filters))


# --- Quotes --------------------------------------------------------------------------------------


@require_safe
@staff_only
def quotes_page(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = campaign_or_404(slug)
    language = request.GET.get("language", "").strip()
    languages = _language_choices(campaign)
    if language and language not in dict(languages):
        messages.warning(
            request, gettext("This language is not one of the campaign's; showing all quotes.")
        )
        language = ""
    items = quotes(campaign=campaign, language=language or None)
    coding_url = reverse("frontend:staff_coding", args=[campaign.slug])
    for item in items:
        item["language_name"] = LANGUAGE_NAMES.get(item["language"], "")
        item["coding_url"] = _with_query(
            reverse("frontend:staff_coding_answer", args=[campaign.slug, item["answer_id"]]),
            {"status": "quotes"},
        )
    return render(
        request,
        "frontend/staff/coding/quotes.html",
        {
            "campaign": campaign,
            "quotes": items,
            "language": language,
            "languages": languages,
            "coding_url": _with_query(coding_url, {"status": "quotes"}),
        },
    )
