"""The receipt pages: /r/ to type a code, /r/<code>/ to see it, and to take the answers back.

Once the campaign has published its results, the receipt page also shows "what happened with
your voice": the summary and charts of the young person's own age band, in the language of the
page (frontend.views.youth_results).

A receipt code is all a young person holds; look-ups are rate-limited per address (the same
rate as the API's), so codes cannot be found by trying.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from rest_framework.settings import api_settings

from config.exceptions import NotFoundError
from config.throttling import SlidingWindowThrottle
from frontend.views.youth_results import youth_results_for_page
from surveys.receipts import format_receipt_code, normalise_receipt_code
from surveys.selectors import response_get_by_receipt
from surveys.services import response_withdraw

if TYPE_CHECKING:
    from surveys.models import Response


class ReceiptLookupThrottle(SlidingWindowThrottle):
    """Look-ups of receipt codes per address, sharing the API's budget (same scope, key and
    storage)."""

    scope = "receipt_lookup"

    def get_rate(self) -> str | None:
        # Read when used rather than when the class is defined, so settings can change it.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.key(self.get_ident(request))


def _throttled(request: HttpRequest) -> HttpResponse | None:
    throttle = ReceiptLookupThrottle()  # a cache that is down lets the look-up through
    if throttle.allow_request(request, None):
        return None
    wait = max(1, math.ceil(throttle.wait() or 1))
    response = render(request, "frontend/youth/receipt_throttled.html", {"wait": wait}, status=429)
    response.headers["Retry-After"] = str(wait)
    return response


def _receipt_language(request: HttpRequest, response: Response) -> str:
    """The page speaks the language the answers were given in, unless the visitor chose one."""
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        return translation.get_language()
    return response.language if response.language in settings.LANGUAGE_CODES else "nl"


@require_safe
@never_cache
def receipt_lookup(request: HttpRequest) -> HttpResponse:
    """/r/: type the code from the end screen (lower case, spaces, no dash: all fine)."""
    typed = request.GET.get("code", "").strip()
    if typed:
        normalised = normalise_receipt_code(typed)
        # A code that cannot be one still goes through the (rate-limited) look-up page.
        code = format_receipt_code(normalised) if normalised else typed.replace("/", "")
        return redirect("frontend:youth_receipt", code=code or "-")
    return render(request, "frontend/youth/receipt_lookup.html", {"code": ""})


def _response_or_page(
    request: HttpRequest, code: str
) -> tuple[Response | None, HttpResponse | None]:
    """The response behind a code, or the page to show instead (throttled, unknown, moved)."""
    normalised = normalise_receipt_code(code)
    pretty = format_receipt_code(normalised) if normalised else code
    if pretty != code:
        return None, HttpResponseRedirect(
            reverse(request.resolver_match.view_name, kwargs={"code": pretty})
        )
    throttled = _throttled(request)
    if throttled:
        return None, throttled
    try:
        return response_get_by_receipt(code=code), None
    except NotFoundError:
        return None, render(
            request,
            "frontend/youth/receipt_lookup.html",
            {"code": code, "unknown": True},
            status=404,
        )


@require_safe
@never_cache
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    """/r/<code>/: are my answers in; when are the results expected, or what are they; take
    them back."""
    response, page = _response_or_page(request, code)
    if page:
        return page
    language = _receipt_language(request, response)
    campaign = response.survey.campaign
    with translation.override(language):
        return render(
            request,
            "frontend/youth/receipt.html",
            {
                "code": code,
                "response": response,
                "campaign": campaign,
                "withdrawn": response.withdrawn_at is not None,
                "results": youth_results_for_page(
                    campaign=campaign, age_band=response.age_band, language=language
                ),
            },
        )


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def receipt_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    """Take my answers back: a confirmation screen, then the answers leave every count."""
    response, page = _response_or_page(request, code)
    if page:
        return page
    if request.method == "POST":
        response_withdraw(code=code)
        return redirect("frontend:youth_receipt", code=code)
    if response.withdrawn_at is not None:
        return redirect("frontend:youth_receipt", code=code)
    with translation.override(_receipt_language(request, response)):
        return render(
            request,
            "frontend/youth/receipt_withdraw.html",
            {"code": code, "response": response},
        )
