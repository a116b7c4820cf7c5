"""Staff pages for a campaign's findings: the list by priority with an add form, one finding
with its evidence and the numbers (a question's results as a table, a chart beside it; quotes;
roundtable outcome points), forms to attach and remove evidence, and edit and delete pages.

Every write is one service of ``analysis.findings``; every read goes through
``analysis.findings_selectors``. Numbers arrive from ``survey_results`` already suppressed
(DESIGN §4): a suppressed count is None and is shown as "< k". Every form works without
JavaScript; a refusal of a service is shown beside its field, and nothing changes.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from analysis.coding_selectors import MAX_ID
from analysis.findings import (
    NOTE_MAX_LENGTH,
    STATEMENT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    evidence_add_outcome_point,
    evidence_add_question,
    evidence_add_quote,
    evidence_move,
    evidence_remove,
    finding_create,
    finding_delete,
    finding_move,
    finding_update,
)
from analysis.findings_selectors import evidence_choices, finding_detail, finding_list
from analysis.models import Finding, FindingEvidence, FindingPriority
from config.exceptions import ApplicationError
from consultations.models import Campaign, CrcArticle
from frontend.views.staff_analysis import results_table
from frontend.views.staff_helpers import article_clusters, campaign_or_404, form_error
from frontend.views.staff_roundtables import staff_only
from surveys.models import QuestionKind

LANGUAGE_NAMES = dict(settings.LANGUAGES)

# --- Helpers -------------------------------------------------------------------------------------


def _finding_or_404(campaign: Campaign, finding_id: int) -> Finding:
    finding = (
        Finding.objects.select_related("campaign")
        .filter(campaign=campaign, pk=min(finding_id, MAX_ID))
        .first()
    )
    if finding is None:
        raise Http404(gettext("There is no finding at this address."))
    return finding


def _evidence_or_404(finding: Finding, evidence_id: int) -> FindingEvidence:
    evidence = (
        FindingEvidence.objects.select_related("finding__campaign")
        .filter(finding=finding, pk=min(evidence_id, MAX_ID))
        .first()
    )
    if evidence is None:
        raise Http404(gettext("This evidence is no longer on the finding."))
    return evidence


def _findings_url(campaign: Campaign, anchor: str = "") -> str:
    url = reverse("frontend:staff_findings", args=[campaign.slug])
    return f"{url}#{anchor}" if anchor else url


def _finding_url(finding: Finding, anchor: str = "") -> str:
    url = reverse("frontend:staff_finding", args=[finding.campaign.slug, finding.pk])
    return f"{url}#{anchor}" if anchor else url


# --- Forms ---------------------------------------------------------------------------------------


class FindingForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("One line, as it will read as a heading in the report."),
    )
    statement = forms.CharField(
        label=_("Statement"),
        max_length=STATEMENT_MAX_LENGTH,
        help_text=_("What was found, in full. Attach the evidence for it on the finding's page."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        coerce=int,
        choices=FindingPriority.choices,
        initial=FindingPriority.MEDIUM,
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


class NoteField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=_("Note (optional)"),
            required=False,
            max_length=NOTE_MAX_LENGTH,
            help_text=_("Why this supports the finding; shown with it in the report."),
            widget=forms.Textarea(attrs={"rows": 2}),
            **kwargs,
        )


class QuestionEvidenceForm(forms.Form):
    question = forms.ChoiceField(label=_("Question"), choices=())
    breakdown = forms.ChoiceField(label=_("Break down by"), required=False, choices=())
    note = NoteField()

    def __init__(self, *args: Any, choices: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, prefix="q", **kwargs)
        surveys: dict[str, list[tuple[str, str]]] = {}
        breakdowns: dict[str, str] = {}
        several = len({item["survey_slug"] for item in choices["questions"]}) > 1
        for item in choices["questions"]:
            surveys.setdefault(item["survey_title"], []).append((str(item["id"]), item["text"]))
            for breakdown in item["breakdowns"]:
                label = breakdown["label"]
                if several and breakdown["key"] not in ("", "age_band", "organisation", "language"):
                    label = f"{label} ({item['survey_title']})"
                breakdowns.setdefault(breakdown["key"], label)
        self.fields["question"].choices = [("", gettext("Choose a question")), *surveys.items()]
        self.fields["breakdown"].choices = list(breakdowns.items()) or [
            ("", gettext("No breakdown"))
        ]


class QuoteEvidenceForm(forms.Form):
    quote = forms.ChoiceField(label=_("Quote"), choices=())
    note = NoteField()

    def __init__(self, *args: Any, choices: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, prefix="c", **kwargs)
        self.fields["quote"].choices = [("", gettext("Choose a quote"))] + [
            (
                str(item["id"]),
                gettext("“%(text)s” (%(age_band)s, %(language)s)")
                % {
                    "text": Truncator(" ".join(item["text"].split())).chars(110),
                    "age_band": item["age_band"],
                    "language": item["language"],
                },
            )
            for item in choices
        ]


class OutcomePointEvidenceForm(forms.Form):
    outcome_point = forms.ChoiceField(label=_("Key point of a roundtable"), choices=())
    note = NoteField()

    def __init__(self, *args: Any, choices: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, prefix="p", **kwargs)
        roundtables: dict[str, list[tuple[str, str]]] = {}
        for item in choices:
            roundtables.setdefault(item["roundtable"], []).append(
                (str(item["id"]), Truncator(" ".join(item["text"].split())).chars(140))
            )
        self.fields["outcome_point"].choices = [
            ("", gettext("Choose a key point")),
            *roundtables.items(),
        ]


EVIDENCE_FORMS = {
    "question": QuestionEvidenceForm,
    "quote": QuoteEvidenceForm,
    "outcome_point": OutcomePointEvidenceForm,
}


# --- The list ------------------------------------------------------------------------------------


def _render_list(
    request: HttpRequest, campaign: Campaign, form: FindingForm, *, status: int = 200
) -> HttpResponse:
    findings = list(finding_list(campaign=campaign))
    groups = []
    for priority, label in FindingPriority.choices:
        items = [finding for finding in findings if finding.priority == priority]
        for index, finding in enumerate(items):
            finding.can_move_up = index > 0
            finding.can_move_down = index < len(items) - 1
        groups.append({"priority": priority, "label": label, "findings": items})
    context = {
        "campaign": campaign,
        "groups": groups,
        "count": len(findings),
        "form": form,
        "clusters": article_clusters(),
    }
    return render(request, "frontend/staff/findings/list.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def findings_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The campaign's findings by priority; POST adds one."""
    campaign = campaign_or_404(slug)
    if request.method != "POST":
        return _render_list(request, campaign, FindingForm())
    form = FindingForm(request.POST)
    if form.is_valid():
        try:
            finding = finding_create(
                campaign=campaign,
                title=form.cleaned_data["title"],
                statement=form.cleaned_data["statement"],
                article_numbers=form.cleaned_data["articles"],
                priority=form.cleaned_data["priority"],
                user=request.user,
            )
        except ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                gettext("The finding “%(title)s” is added. Now attach its evidence.")
                % {"title": finding.title},
            )
            return HttpResponseRedirect(_finding_url(finding, "add-evidence"))
    return _render_list(request, campaign, form, status=400)


@require_POST
@staff_only
def finding_move_view(request: HttpRequest, slug: str, finding_id: int) -> HttpResponse:
    campaign = campaign_or_404(slug)
    finding = _finding_or_404(campaign, finding_id)
    try:
        finding_move(finding=finding, direction=request.POST.get("direction", ""))
    except ApplicationError as error:
        messages.error(request, error.message)
    return HttpResponseRedirect(_findings_url(campaign, f"finding-{finding.pk}"))


# --- One finding ---------------------------------------------------------------------------------


def _question_display(question: dict[str, Any]) -> dict[str, Any]:
    """A question's evidence with its table of display strings and its chart's address."""
    entry = question["results"]
    display = {**question, "table": None, "chart_url": None}
    if entry is None:
        return display
    display["table"] = results_table(entry, question["min_cell_size"])
    if entry["kind"] != QuestionKind.TEXT:
        url = reverse(
            "frontend:staff_survey_results_chart", args=[question["survey_slug"], question["key"]]
        )
        display["chart_url"] = url + (
            f"?by={question['breakdown']}" if question["breakdown"] else ""
        )
    return display


def _render_finding(
    request: HttpRequest,
    finding: Finding,
    *,
    bound: forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    detail = finding_detail(finding=finding)
    choices = evidence_choices(campaign=finding.campaign)
    attached_quotes = {item["quote"]["id"] for item in detail["evidence"] if item.get("quote")}
    attached_points = {
        item["outcome_point"]["id"] for item in detail["evidence"] if item.get("outcome_point")
    }
    quote_choices = [item for item in choices["quotes"] if item["id"] not in attached_quotes]
    point_choices = [
        item for item in choices["outcome_points"] if item["id"] not in attached_points
    ]
    evidence_forms = {
        "question": QuestionEvidenceForm(choices=choices),
        "quote": QuoteEvidenceForm(choices=quote_choices),
        "outcome_point": OutcomePointEvidenceForm(choices=point_choices),
    }
    # A refused form is shown again with what was chosen, even when its choice is now taken.
    bound_kind = None
    if bound is not None:
        bound_kind = next(kind for kind, cls in EVIDENCE_FORMS.items() if isinstance(bound, cls))
        evidence_forms[bound_kind] = bound
    evidence = []
    last = len(detail["evidence"]) - 1
    for index, item in enumerate(detail["evidence"]):
        shown = {**item, "can_move_up": index > 0, "can_move_down": index < last}
        if item.get("question"):
            shown["question"] = _question_display(item["question"])
        if item.get("quote"):
            language = item["quote"]["language"]
            shown["quote"] = {
                **item["quote"],
                "language_name": LANGUAGE_NAMES.get(language, language),
            }
        evidence.append(shown)
    context = {
        "campaign": finding.campaign,
        "finding": finding,
        "detail": detail,
        "evidence": evidence,
        "k": finding.campaign.min_cell_size,
        "forms": evidence_forms,
        "has_questions": bool(choices["questions"]) or bound_kind == "question",
        "has_quotes": bool(quote_choices) or bound_kind == "quote",
        "has_points": bool(point_choices) or bound_kind == "outcome_point",
    }
    return render(request, "frontend/staff/findings/detail.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
@staff_only
def finding_page(request: HttpRequest, slug: str, finding_id: int) -> HttpResponse:
    campaign = campaign_or_404(slug)
    return _render_finding(request, _finding_or_404(campaign, finding_id))


@require_POST
@staff_only
def evidence_add(request: HttpRequest, slug: str, finding_id: int, kind: str) -> HttpResponse:
    """Attach evidence of one kind (the URL says which) from its form on the finding's page."""
    campaign = campaign_or_404(slug)
    finding = _finding_or_404(campaign, finding_id)
    choices = evidence_choices(campaign=campaign)
    if kind == "question":
        form: forms.Form = QuestionEvidenceForm(request.POST, choices=choices)
    elif kind == "quote":
        form = QuoteEvidenceForm(request.POST, choices=choices["quotes"])
    else:
        form = OutcomePointEvidenceForm(request.POST, choices=choices["outcome_points"])
    if form.is_valid():
        data = form.cleaned_data
        try:
            if kind == "question":
                evidence_add_question(
                    finding=finding,
                    question_id=data["question"],
                    breakdown=data["breakdown"],
                    note=data["note"],
                )
            elif kind == "quote":
                evidence_add_quote(finding=finding, coding_id=data["quote"], note=data["note"])
            else:
                evidence_add_outcome_point(
                    finding=finding, point_id=data["outcome_point"], note=data["note"]
                )
        except ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(request, gettext("The evidence is attached."))
            return HttpResponseRedirect(_finding_url(finding, "evidence"))
    messages.error(request, gettext("The evidence was not attached: see the form below."))
    return _render_finding(request, finding, bound=form, status=400)


@require_POST
@staff_only
def evidence_remove_view(
    request: HttpRequest, slug: str, finding_id: int, evidence_id: int
) -> HttpResponse:
    campaign = campaign_or_404(slug)
    finding = _finding_or_404(campaign, finding_id)
    evidence_remove(evidence=_evidence_or_404(finding, evidence_id))
    messages.success(request, gettext("The evidence is removed from this finding."))
    return HttpResponseRedirect(_finding_url(finding, "evidence"))


@require_POST
@staff_only
def evidence_move_view(
    request: HttpRequest, slug: str, finding_id: int, evidence_id: int
) -> HttpResponse:
    campaign = campaign_or_404(slug)
    finding = _finding_or_404(campaign, finding_id)
    evidence = _evidence_or_404(finding, evidence_id)
    try:
        evidence_move(evidence=evidence, direction=request.POST.get("direction", ""))
    except ApplicationError as error:
        messages.error(request, error.message)
    return HttpResponseRedirect(_finding_url(finding, f"evidence-{evidence.pk}"))


# --- Edit and delete -----------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def finding_edit_page(request: HttpRequest, slug: str, finding_id: int) -> HttpResponse:
    campaign = campaign_or_404(slug)
    finding = _finding_or_404(campaign, finding_id)
    status = 200
    if request.method == "POST":
        form = FindingForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                finding_update(
                    finding=finding,
                    title=form.cleaned_data["title"],
                    statement=form.cleaned_data["statement"],
                    article_numbers=form.cleaned_data["articles"],
                    priority=form.cleaned_data["priority"],
                    user=request.user,
                )
            except ApplicationError as error:
                form_error(form, error)
            else:
                messages.success(
                    request, gettext("The finding “%(title)s” is saved.") % {"title": finding.title}
                )
                return HttpResponseRedirect(_finding_url(finding))
        # What was typed, against the stored title in the heading.
        finding.refresh_from_db()
    else:
        form = FindingForm(
            initial={
                "title": finding.title,
                "statement": finding.statement,
                "priority": finding.priority,
                "articles": [article.code for article in finding.articles.all()],
            }
        )
    return render(
        request,
        "frontend/staff/findings/edit.html",
        {"campaign": campaign, "finding": finding, "form": form, "clusters": article_clusters()},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def finding_delete_page(request: HttpRequest, slug: str, finding_id: int) -> HttpResponse:
    """GET asks "are you sure?" and says how much evidence it has; POST deletes it."""
    campaign = campaign_or_404(slug)
    finding = _finding_or_404(campaign, finding_id)
    if request.method == "POST":
        title = finding.title
        linked = finding_delete(finding=finding)
        if linked:
            message = ngettext(
                "The finding “%(title)s” is deleted, with its %(count)s piece of evidence.",
                "The finding “%(title)s” is deleted, with its %(count)s pieces of evidence.",
                linked,
            ) % {"title": title, "count": linked}
        else:
            message = gettext("The finding “%(title)s” is deleted.") % {"title": title}
        messages.success(request, message)
        return HttpResponseRedirect(_findings_url(campaign))
    return render(
        request,
        "frontend/staff/findings/delete.html",
        {
            "campaign": campaign,
            "finding": finding,
            "evidence_count": finding.evidence.count(),
        },
    )
