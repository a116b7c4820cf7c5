"""Pages for coordinators of member organisations: their organisations and campaigns, and per
campaign the organisation's reach (response counts, suppressed per DESIGN §4, never answers)
with the invite links and QR codes to hand out.

Only the organisation's coordinators and coalition staff open an organisation's pages
(``analysis.reach.can_view_organisation_reach``); signed-out visitors go to the sign-in page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from accounts.permissions import can_open_staff_area, must_set_up_two_step_verification
from accounts.roles import coordinator_organisations
from analysis.reach import can_view_organisation_reach, coordinator_campaigns, organisation_reach
from consultations.models import MemberOrganisation


def signed_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def forbidden(request: HttpRequest) -> HttpResponse:
    if must_set_up_two_step_verification(request.user):
        # Staff see every organisation's reach only once their account has a second factor.
        return redirect("mfa_activate_totp")
    return render(request, "frontend/coordinator/forbidden.html", status=403)


@require_safe
@signed_in
def coordinator_home(request: HttpRequest) -> HttpResponse:
    if can_open_staff_area(request.user):
        organisations = MemberOrganisation.objects.all()
    else:
        organisations = coordinator_organisations(request.user)
        if not organisations.exists():
            return forbidden(request)
    organisations = organisations.order_by("name").prefetch_related("campaigns")
    return render(request, "frontend/coordinator/home.html", {"organisations": organisations})


@require_safe
@signed_in
def organisation_campaign_reach(
    request: HttpRequest, organisation_slug: str, campaign_slug: str
) -> HttpResponse:
    organisation = MemberOrganisation.objects.filter(slug=organisation_slug).first()
    if organisation is None:
        raise Http404(gettext("There is no member organisation at this address."))
    if not can_view_organisation_reach(request.user, organisation):
        return forbidden(request)
    campaign = coordinator_campaigns(organisation=organisation).filter(slug=campaign_slug).first()
    if campaign is None:
        raise Http404(gettext("This organisation takes no part in a campaign at this address."))
    reach = organisation_reach(organisation=organisation, campaign=campaign)
    invite_links = [
        # qr_svg() is built by segno from our own URL: presentation attributes only, no script.
        {"link": link, "url": link.absolute_url(), "qr_svg": mark_safe(link.qr_svg())}  # noqa: S308
        for link in reach.invite_links
        if link.is_active
    ]
    return render(
        request,
        "frontend/coordinator/reach.html",
        {"reach": reach, "invite_links": invite_links},
    )
