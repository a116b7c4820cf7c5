"""Roundtable pages for experts, academics and policymakers.

The list and one roundtable (with its register form), "my registrations" with cancelling, and the
calendar files. Every rule (who may register, seats, the waitlist) lives in
``roundtables.services`` and ``roundtables.selectors``; these views only read the form and show
the service's answer, including its refusals, in plain words.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Sector
from accounts.roles import has_verified_email, is_staff_member
from config.exceptions import ApplicationError, InvalidInputError, NotFoundError
from consultations.selectors import campaign_get_published
from roundtables.calendar import campaign_ics, roundtable_ics
from roundtables.models import Registration, RegistrationStatus, Roundtable, RoundtableStatus
from roundtables.permissions import can_register_for_roundtable
from roundtables.selectors import (
    outcome_get_for_roundtable,
    registration_get,
    registration_get_active,
    registration_list_for_user,
    registration_refusal,
    roundtable_get,
    roundtable_get_public,
    roundtable_list_public,
    waitlist_position,
)
from roundtables.services import (
    EXPERTISE_MAX_LENGTH,
    NEEDS_MAX_LENGTH,
    ORGANISATION_MAX_LENGTH,
    registration_cancel,
    registration_create,
)
from roundtables.validators import TEXT_ANSWER_MAX_LENGTH

ANSWER_PREFIX = "answer_"

# --- Showing roundtables -------------------------------------------------------------------------


def question_label(item: dict[str, Any], language: str | None = None) -> str:
    """A registration question's (or option's) label in the active language, else Dutch, else
    any language that has one."""
    wanted = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    for code in dict.fromkeys([wanted, settings.LANGUAGE_CODE, *settings.LANGUAGE_CODES]):
        label = item.get(f"label_{code}")
        if label:
            return str(label)
    return str(item.get("key") or item.get("value") or "")


def sector_labels(values: list[str]) -> list[str]:
    labels = dict(Sector.choices)
    return [str(labels[value]) for value in values if value in labels]


def _with_state(roundtable: Roundtable, now: datetime.datetime) -> Roundtable:
    """Attach what the pages show about a roundtable's registration: ``refusal`` (why nobody
    can register now, or None), ``has_ended`` and ``is_full``."""
    roundtable.refusal = registration_refusal(roundtable, now)
    roundtable.has_ended = roundtable.ends_at <= now
    roundtable.is_full = getattr(roundtable, "seats_left", 1) <= 0
    return roundtable


def _public_roundtable_or_404(request: HttpRequest, slug: str) -> Roundtable:
    """A published roundtable; staff may also open a draft (to check it before publishing)."""
    try:
        return roundtable_get_public(slug=slug)
    except NotFoundError as error:
        if is_staff_member(request.user):
            try:
                return roundtable_get(slug=slug)
            except NotFoundError:
                pass
        raise Http404(error.message) from None


@require_safe
def roundtable_list(request: HttpRequest) -> HttpResponse:
    campaign = None
    if request.GET.get("campaign"):
        try:
            campaign = campaign_get_published(slug=request.GET["campaign"])
        except NotFoundError as error:
            raise Http404(error.message) from None
    now = timezone.now()
    roundtables = [_with_state(r, now) for r in roundtable_list_public(campaign=campaign, now=now)]
    mine = {
        registration.roundtable_id: registration
        for registration in registration_list_for_user(user=request.user)
    }
    for roundtable in roundtables:
        roundtable.my_registration = mine.get(roundtable.pk)
    return render(
        request,
        "frontend/roundtables/list.html",
        {
            "campaign": campaign,
            "upcoming": [r for r in roundtables if not r.has_ended],
            "past": [r for r in roundtables if r.has_ended],
        },
    )


# --- Registering ---------------------------------------------------------------------------------


class RegistrationForm(forms.Form):
    """What an expert tells the coalition when registering: the profile (prefilled), needs,
    and the roundtable's own extra questions (``answer_<key>`` fields)."""

    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("Choose the sector you work in")), *Sector.choices]
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=ORGANISATION_MAX_LENGTH,
        required=False,
        help_text=_("Leave empty if you take part on your own."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    expertise = forms.CharField(
        label=_("Expertise"),
        max_length=EXPERTISE_MAX_LENGTH,
        required=False,
        help_text=_("In a few words, what you will bring to the table."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    needs = forms.CharField(
        label=_("Access or dietary needs"),
        max_length=NEEDS_MAX_LENGTH,
        required=False,
        help_text=_(
            "For example wheelchair access, a hearing loop, sign-language interpretation or a "
            "vegetarian meal. Only the organisers see this."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, roundtable: Roundtable, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(roundtable.questions or [])
        for question in self.questions:
            self.fields[ANSWER_PREFIX + question["key"]] = self._question_field(question)

    @staticmethod
    def _question_field(question: dict[str, Any]) -> forms.Field:
        required = bool(question.get("required"))
        label = question_label(question)
        if question["kind"] == "single":
            choices = [
                (option["value"], question_label(option)) for option in question.get("options", [])
            ]
            return forms.ChoiceField(
                label=label, choices=choices, required=required, widget=forms.RadioSelect
            )
        return forms.CharField(
            label=label,
            required=required,
            max_length=TEXT_ANSWER_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 2}),
        )

    @property
    def profile_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("sector", "organisation", "expertise")]

    @property
    def question_fields(self) -> list[forms.BoundField]:
        return [self[ANSWER_PREFIX + question["key"]] for question in self.questions]

    def answers(self) -> dict[str, str]:
        return {
            question["key"]: self.cleaned_data[ANSWER_PREFIX + question["key"]]
            for question in self.questions
            if self.cleaned_data.get(ANSWER_PREFIX + question["key"])
        }

    def add_service_error(self, error: ApplicationError) -> None:
        """Show a service's refusal beside the field it names (``answers.<key>`` is the
        ``answer_<key>`` field), or above the form."""
        field = error.field or ""
        if field.startswith("answers."):
            field = ANSWER_PREFIX + field.removeprefix("answers.")
        self.add_error(field if field in self.fields else None, error.message)


def _initial_from_profile(user) -> dict[str, str]:
    return {"sector": user.sector, "organisation": user.organisation, "expertise": user.expertise}


def _detail_context(request: HttpRequest, roundtable: Roundtable, form=None) -> dict[str, Any]:
    now = timezone.now()
    _with_state(roundtable, now)
    user = request.user
    registration = registration_get_active(roundtable=roundtable, user=user)
    may_register = can_register_for_roundtable(user, roundtable)
    if form is None and registration is None and may_register and roundtable.refusal is None:
        form = RegistrationForm(roundtable=roundtable, initial=_initial_from_profile(user))
    return {
        "roundtable": roundtable,
        "registration": registration,
        "form": form,
        "needs_verified_email": user.is_authenticated and not has_verified_email(user),
        "target_sectors": sector_labels(roundtable.target_sectors or []),
        "outcome": outcome_get_for_roundtable(roundtable=roundtable),
        "is_draft_preview": roundtable.status == RoundtableStatus.DRAFT,
        "rt_login_url": f"{reverse('account_login')}?next={roundtable.page_path}",
        "rt_signup_url": f"{reverse('account_signup')}?next={roundtable.page_path}",
    }


@require_safe
def roundtable_detail(request: HttpRequest, slug: str) -> HttpResponse:
    roundtable = _public_roundtable_or_404(request, slug)
    return render(request, "frontend/roundtables/detail.html", _detail_context(request, roundtable))


@require_POST
def roundtable_register(request: HttpRequest, slug: str) -> HttpResponse:
    roundtable = _public_roundtable_or_404(request, slug)
    if not request.user.is_authenticated:
        # Signed out since the page was shown: sign in, then back to the roundtable.
        return redirect(f"{reverse('account_login')}?next={roundtable.page_path}")
    form = RegistrationForm(request.POST, roundtable=roundtable)
    if form.is_valid():
        try:
            registration = registration_create(
                roundtable=roundtable,
                user=request.user,
                sector=form.cleaned_data["sector"],
                organisation=form.cleaned_data["organisation"],
                expertise=form.cleaned_data["expertise"],
                needs=form.cleaned_data["needs"],
                answers=form.answers(),
            )
        except InvalidInputError as error:
            form.add_service_error(error)
        except ApplicationError as error:
            # Closed in the meantime, already registered, e-mail not confirmed: say why.
            messages.error(request, error.message)
            return HttpResponseRedirect(roundtable.page_path)
        else:
            messages.success(request, _registered_message(registration))
            return HttpResponseRedirect(roundtable.page_path + "#registration")
    context = _detail_context(request, roundtable, form=form)
    return render(request, "frontend/roundtables/detail.html", context, status=400)


def _registered_message(registration: Registration) -> str:
    if registration.status == RegistrationStatus.WAITLISTED:
        return gettext(
            "The roundtable is full, so you are on the waitlist at position %(position)s. "
            "We will e-mail you as soon as a seat frees up."
        ) % {"position": waitlist_position(registration)}
    return gettext(
        "You are registered and have a seat. We sent a confirmation with a calendar file to "
        "your e-mail address."
    )


# --- My registrations ----------------------------------------------------------------------------


@login_required
@require_safe
def my_registrations(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    registrations = list(registration_list_for_user(user=request.user))
    for registration in registrations:
        _with_state(registration.roundtable, now)
    return render(
        request,
        "frontend/roundtables/mine.html",
        {
            "upcoming": [r for r in registrations if not r.roundtable.has_ended],
            "past": [r for r in registrations if r.roundtable.has_ended],
        },
    )


def _own_registration_or_404(request: HttpRequest, pk: int) -> Registration:
    """The signed-in person's own registration; anyone else's is "not found", so that nobody
    learns who registered for what."""
    try:
        registration = registration_get(pk=pk)
    except NotFoundError as error:
        raise Http404(error.message) from None
    if registration.user_id != request.user.pk:
        raise Http404(gettext("There is no registration at this address."))
    return registration


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks "are you sure?"; POST cancels."""
    registration = _own_registration_or_404(request, pk)
    roundtable = registration.roundtable
    if request.method == "POST":
        try:
            registration_cancel(registration=registration, by=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                gettext("Your registration for “%(title)s” is cancelled.")
                % {"title": roundtable.title},
            )
        return redirect("frontend:roundtable_mine")
    if registration.status not in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED):
        messages.info(
            request,
            gettext("Your registration for “%(title)s” can no longer be cancelled.")
            % {"title": roundtable.title},
        )
        return redirect("frontend:roundtable_mine")
    _with_state(roundtable, timezone.now())
    return render(request, "frontend/roundtables/cancel.html", {"registration": registration})


# --- Calendar files ------------------------------------------------------------------------------


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def roundtable_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        roundtable = roundtable_get_public(slug=slug)
    except NotFoundError as error:
        raise Http404(error.message) from None
    return _calendar_response(roundtable_ics(roundtable), f"{roundtable.slug}.ics")


@require_safe
def campaign_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """The campaign's roundtables as one feed a calendar app can subscribe to."""
    try:
        campaign = campaign_get_published(slug=slug)
    except NotFoundError as error:
        raise Http404(error.message) from None
    return _calendar_response(campaign_ics(campaign), f"{campaign.slug}-roundtables.ics")
