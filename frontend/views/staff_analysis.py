"""Staff pages for survey results: the surveys with their snapshots, and per question the
published numbers (a chart image and an accessible table beside it), broken down by a
dimension chosen in a plain form.

These pages read the result snapshot only, through ``analysis.selectors.survey_results``,
which applies small-cell suppression (DESIGN §4): a suppressed number arrives as None and is
shown as "< k". They never read raw answers, so they stay fast however many answers there are.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from analysis.charts import Series, horizontal_bar_chart_svg
from analysis.models import ResultSnapshot
from analysis.overview import campaign_overview
from analysis.renderers import hidden
from analysis.selectors import results_dimensions, survey_results
from analysis.services import survey_results_refresh_schedule
from config.exceptions import InvalidInputError, NotFoundError
from consultations.selectors import campaign_get
from frontend.views.staff_roundtables import staff_only
from surveys.models import QuestionKind, Survey

NO_VALUE = "\u2013"  # an en dash: nothing to show (no one answered)

# --- Helpers -------------------------------------------------------------------------------------


def _survey_or_404(slug: str) -> Survey:
    survey = Survey.objects.select_related("campaign").filter(slug=slug).first()
    if survey is None:
        raise Http404(gettext("There is no survey at this address."))
    return survey


def _dimension_label(dimension: str, question_texts: dict[str, str]) -> str:
    names = {
        "age_band": gettext("Age band"),
        "organisation": gettext("Organisation"),
        "language": gettext("Language"),
    }
    if dimension in names:
        return names[dimension]
    return gettext("Answer to: %(question)s") % {
        "question": question_texts.get(dimension, dimension)
    }


def _results_or_404(survey: Survey, by: str | None) -> dict[str, Any]:
    try:
        return survey_results(survey=survey, by=by)
    except InvalidInputError as error:
        raise Http404(error.message) from None


def _count(value: int | None, n: int | None, k: int, *, percent: bool = True) -> str:
    if value is None:
        return hidden()
    if not percent or not n:
        return number_format(value)
    share = number_format(round(100 * value / n), decimal_pos=0)
    return gettext("%(count)s (%(share)s%%)") % {"count": number_format(value), "share": share}


def _statistic(value: float | None, n: int | None, k: int) -> str:
    if value is None:
        return NO_VALUE if not n else hidden()
    # number_format cuts decimals off; round first so that 2.96 reads 3.0, not 2.9.
    return number_format(round(value, 1), decimal_pos=1)


def _columns(question: dict[str, Any]) -> list[dict[str, Any]]:
    """The overall column, then one per group of the breakdown."""
    columns = [{"label": gettext("All"), "n": question["n"], "results": question["results"]}]
    for group in question.get("breakdown", []):
        columns.append(
            {
                "label": group["label"],
                "n": group["n"],
                "results": group["results"],
                "suppressed": group["suppressed"],
            }
        )
    return columns


def _cell_rows(
    columns: list[dict[str, Any]], part: str, k: int, *, prefix: str = "", percent: bool = True
) -> list[dict[str, Any]]:
    """One row per option of ``part`` ("counts" or "first_choice") across the columns."""
    cells_of = [
        {cell["value"]: cell for cell in (column["results"] or {}).get(part, [])}
        for column in columns
    ]
    overall = columns[0]["results"].get(part, [])
    rows = []
    for option in overall:
        cells = []
        for column, cells_here in zip(columns, cells_of, strict=True):
            cell = cells_here.get(option["value"])
            count = None if cell is None else cell["count"]
            cells.append(_count(count, column["n"], k, percent=percent))
        label = option["label"] if not prefix else f"{prefix}: {option['label']}"
        rows.append({"label": label, "cells": cells})
    return rows


def results_table(question: dict[str, Any], k: int) -> dict[str, Any]:
    """The question's numbers as a table: header cells (with n) and rows of display strings."""
    columns = _columns(question)
    kind = question["kind"]
    rows: list[dict[str, Any]] = []
    if kind == QuestionKind.TEXT:
        rows.append(
            {
                "label": gettext("Answered"),
                "cells": [_count(column["n"], None, k, percent=False) for column in columns],
            }
        )
    elif kind == QuestionKind.RANKING:
        rows += _cell_rows(columns, "first_choice", k, prefix=gettext("First choice"))
        ranks_of = [
            {rank["value"]: rank for rank in (column["results"] or {}).get("mean_rank", [])}
            for column in columns
        ]
        for option in columns[0]["results"].get("mean_rank", []):
            cells = []
            for column, ranks in zip(columns, ranks_of, strict=True):
                rank = ranks.get(option["value"])
                value = None if rank is None else rank["mean_rank"]
                suppressed = rank is None or rank["suppressed"]
                if suppressed and column["n"] != 0:
                    cells.append(hidden())
                else:
                    cells.append(
                        NO_VALUE if value is None else number_format(round(value, 2), decimal_pos=2)
                    )
            rows.append(
                {
                    "label": gettext("Mean rank: %(option)s") % {"option": option["label"]},
                    "cells": cells,
                }
            )
    else:
        rows += _cell_rows(columns, "counts", k)
        if kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
            statistics = [("mean", gettext("Mean"))]
            if kind == QuestionKind.NUMBER:
                statistics.append(("median", gettext("Median")))
            for name, label in statistics:
                rows.append(
                    {
                        "label": label,
                        "cells": [
                            _statistic((column["results"] or {}).get(name), column["n"], k)
                            for column in columns
                        ],
                    }
                )
    header = [
        {
            "label": column["label"],
            "n": _count(column["n"], None, k, percent=False),
        }
        for column in columns
    ]
    suppressed = any(hidden() in cell for row in rows for cell in row["cells"]) or any(
        column["n"] is None for column in columns
    )
    return {"header": header, "rows": rows, "has_suppressed": suppressed}


def _chart_data(question: dict[str, Any]) -> tuple[list[str], list[Series]] | None:
    """Categories and series for the question's chart; None for open questions."""
    part = {QuestionKind.TEXT: None, QuestionKind.RANKING: "first_choice"}.get(
        question["kind"], "counts"
    )
    if part is None:
        return None
    overall = question["results"].get(part, [])
    categories = [cell["label"] for cell in overall]
    values = [cell["value"] for cell in overall]
    series = [Series(gettext("All"), [cell["count"] for cell in overall])]
    for group in question.get("breakdown", []):
        cells = {cell["value"]: cell for cell in (group["results"] or {}).get(part, [])}
        series.append(
            Series(
                group["label"],
                [cells[value]["count"] if value in cells else None for value in values],
            )
        )
    return categories, series


# --- Pages ---------------------------------------------------------------------------------------


@require_safe
@staff_only
def survey_list_page(request: HttpRequest) -> HttpResponse:
    surveys = Survey.objects.select_related("campaign").order_by("-pk")
    snapshots = {
        snapshot.survey_id: snapshot
        for snapshot in ResultSnapshot.objects.only(
            "survey_id", "response_count", "computed_at"
        ).filter(survey_id__in=[survey.pk for survey in surveys])
    }
    rows = [{"survey": survey, "snapshot": snapshots.get(survey.pk)} for survey in surveys]
    return render(request, "frontend/staff/analysis/survey_list.html", {"rows": rows})


@require_safe
@staff_only
def survey_results_page(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _survey_or_404(slug)
    dimensions = results_dimensions(survey=survey)
    by = request.GET.get("by") or None
    if by is not None and by not in dimensions:
        by = None
        messages.error(request, gettext("This breakdown does not exist; showing all answers."))
    results = _results_or_404(survey, by)
    k = results["min_cell_size"]
    texts = {question["key"]: question["text"] for question in results["questions"]}
    questions = []
    for question in results["questions"]:
        chart_url = None
        if question["kind"] != QuestionKind.TEXT:
            chart_url = reverse(
                "frontend:staff_survey_results_chart", args=[survey.slug, question["key"]]
            ) + (f"?by={by}" if by else "")
        questions.append({**question, "table": results_table(question, k), "chart_url": chart_url})
    context = {
        "survey": survey,
        "results": results,
        "questions": questions,
        "k": k,
        "by": by,
        "by_label": _dimension_label(by, texts) if by else "",
        "dimensions": [(key, _dimension_label(key, texts)) for key in dimensions],
        "groups": results.get("groups", []),
    }
    return render(request, "frontend/staff/analysis/results.html", context)


@require_safe
@staff_only
def campaign_overview_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Responses of a campaign per day, organisation, age band and language (suppressed)."""
    try:
        campaign = campaign_get(slug=slug)
    except NotFoundError as error:
        raise Http404(error.message) from None
    overview = campaign_overview(campaign=campaign)
    tables = [
        ("per-day", gettext("Responses per day"), gettext("Day"), overview.per_day),
        (
            "per-organisation",
            gettext("Responses per organisation"),
            gettext("Organisation"),
            overview.per_organisation,
        ),
        (
            "per-age-band",
            gettext("Responses per age band"),
            gettext("Age band"),
            overview.per_age_band,
        ),
        (
            "per-language",
            gettext("Responses per language"),
            gettext("Language"),
            overview.per_language,
        ),
    ]
    context = {
        "campaign": campaign,
        "overview": overview,
        "k": overview.k,
        "tables": [
            {
                "id": table_id,
                "caption": caption,
                "heading": heading,
                "rows": rows,
                "has_suppressed": any(row.suppressed for row in rows),
                "is_days": table_id == "per-day",
            }
            for table_id, caption, heading, rows in tables
        ],
    }
    return render(request, "frontend/staff/analysis/campaign_overview.html", context)


@require_POST
@staff_only
def survey_results_refresh_page(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _survey_or_404(slug)
    if survey_results_refresh_schedule(survey_id=survey.pk):
        messages.success(
            request,
            gettext("The results are being computed again; reload this page in a moment."),
        )
    else:
        messages.info(
            request,
            gettext("A new computation of these results is already on its way."),
        )
    url = reverse("frontend:staff_survey_results", args=[survey.slug])
    by = request.POST.get("by")
    if by and by in results_dimensions(survey=survey):
        url += f"?by={by}"
    return HttpResponseRedirect(url)


@require_safe
@staff_only
def survey_results_chart(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    survey = _survey_or_404(slug)
    results = _results_or_404(survey, request.GET.get("by") or None)
    question = next((q for q in results["questions"] if q["key"] == key), None)
    data = None if question is None else _chart_data(question)
    if data is None:
        raise Http404(gettext("There is no chart at this address."))
    categories, series = data
    svg = horizontal_bar_chart_svg(
        categories=categories,
        series=series,
        value_label=gettext("Young people")
        if question["kind"] != QuestionKind.RANKING
        else gettext("Young people who put it first"),
    )
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=60"
    return response
