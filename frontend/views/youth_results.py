""" "What happened with your voice": a campaign's results page for young people, /c/<slug>/results/.

It shows what the receipt page shows once the campaign has published its results: the summary
for one age band (chosen by a link per band, the youngest by default) with simple bar charts of
that band's answers. The numbers arrive suppressed from ``analysis.feedback_selectors``; the
charts are plain HTML and CSS (a width class per bar), so they work without JavaScript and
under the Content-Security-Policy, which allows no inline style.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe

from analysis.feedback_selectors import youth_results
from config.exceptions import NotFoundError
from consultations.models import AgeBand, Campaign
from consultations.selectors import campaign_get_published

# Bars are drawn in steps of this many percent (youth.css has a class per step); the exact
# number is always written beside the bar.
BAR_STEP = 5


def bar_width(share: int | None, count: int | None) -> int:
    """The width class of a bar: its share rounded to a step, at least one step when anyone
    chose the option, so that a small bar never looks like nobody."""
    if not share or not count:
        return 0
    return min(100, max(BAR_STEP, BAR_STEP * round(share / BAR_STEP)))


def with_bars(results: dict[str, Any]) -> dict[str, Any]:
    """``results`` with a ``width`` per option and ``any_hidden`` per question (a line under
    the chart then says why numbers are missing), for the chart template."""
    for question in results["questions"]:
        for option in question["options"]:
            option["width"] = bar_width(option["share"], option["count"])
        question["any_hidden"] = any(option["suppressed"] for option in question["options"])
    return results


def youth_results_for_page(
    *, campaign: Campaign, age_band: AgeBand, language: str, preview: bool = False
) -> dict[str, Any]:
    """youth_results ready for frontend/youth/results_summary.html."""
    return with_bars(
        youth_results(campaign=campaign, age_band=age_band, language=language, preview=preview)
    )


def _language() -> str:
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in settings.LANGUAGE_CODES else settings.LANGUAGE_CODE


@require_safe
def results_page(request: HttpRequest, slug: str) -> HttpResponse:
    """/c/<slug>/results/?band=<code>: the published results for one age band."""
    try:
        campaign = campaign_get_published(slug=slug)
    except NotFoundError as error:
        raise Http404(error.message) from None
    bands = sorted(campaign.age_bands.all(), key=lambda band: (band.min_age, band.order))
    asked = request.GET.get("band", "").strip()
    band = next((band for band in bands if band.code == asked), None)
    unknown_band = bool(asked) and band is None
    band = band or (bands[0] if bands else None)
    results = None
    if band is not None:
        results = youth_results_for_page(campaign=campaign, age_band=band, language=_language())
    return render(
        request,
        "frontend/youth/results.html",
        {
            "campaign": campaign,
            "bands": bands,
            "band": band,
            "unknown_band": unknown_band,
            "results": results,
            "published": bool(results and results["published"]),
        },
    )
