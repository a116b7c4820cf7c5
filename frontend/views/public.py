"""Pages anyone can see without an account: home, a campaign, privacy."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from analysis.feedback_selectors import youth_feedback_publication
from config.exceptions import NotFoundError
from consultations.selectors import campaign_get_published, campaign_list_published
from roundtables.selectors import roundtable_list_public
from surveys.selectors import survey_list_open


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/home.html", {"campaigns": campaign_list_published()})


@require_safe
def campaign_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        campaign = campaign_get_published(slug=slug)
    except NotFoundError as error:
        raise Http404(error.message) from None
    return render(
        request,
        "frontend/campaign_detail.html",
        {
            "campaign": campaign,
            "theme_articles": campaign.theme_articles.all(),
            "open_surveys": survey_list_open(campaign=campaign),
            "has_roundtables": roundtable_list_public(campaign=campaign).exists(),
            "results_published": youth_feedback_publication(campaign=campaign) is not None,
        },
    )


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/privacy.html")
