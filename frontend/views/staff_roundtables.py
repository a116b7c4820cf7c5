"""Staff pages for roundtables: who registered (with a CSV for Excel), check-in on the day,
cancelling someone, the number of seats, and recording the outcome.

Only coalition staff open these pages (``accounts.permissions.can_open_staff_area``); with
``STAFF_MFA_REQUIRED`` on, ``accounts.middleware.StaffMFARequiredMiddleware`` has already sent a
staff member without an authenticator app to set one up. Each write is one service call; a
refusal of the service is shown as a message, never as an error page.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Sector
from accounts.permissions import can_open_staff_area
from config.exceptions import ApplicationError, InvalidInputError, NotFoundError
from consultations.models import CrcArticle
from frontend.views.roundtables import question_label
from frontend.views.staff_helpers import article_clusters
from roundtables.models import SEAT_HOLDING_STATUSES, Registration, RegistrationStatus, Roundtable
from roundtables.permissions import (
    can_cancel_registration,
    can_change_roundtable_capacity,
    can_check_in_registration,
    can_list_registrations,
    can_record_outcome,
)
from roundtables.selectors import (
    outcome_get_for_roundtable,
    registration_get,
    registration_list_for_roundtable,
    roundtable_get,
    roundtable_list,
)
from roundtables.services import (
    POINT_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    outcome_record,
    registration_cancel,
    registration_check_in,
    roundtable_capacity_change,
)

# --- Access --------------------------------------------------------------------------------------


def staff_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-out visitors go to the sign-in page; signed-in non-staff get a 403 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_open_staff_area(request.user):
            return forbidden(request)
        return view(request, *args, **kwargs)

    return wrapper


def forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/staff/forbidden.html", status=403)


def _roundtable_or_404(slug: str) -> Roundtable:
    try:
        return roundtable_get(slug=slug)
    except NotFoundError as error:
        raise Http404(error.message) from None


def _registration_of(roundtable: Roundtable, pk: int) -> Registration:
    try:
        registration = registration_get(pk=pk)
    except NotFoundError as error:
        raise Http404(error.message) from None
    if registration.roundtable_id != roundtable.pk:
        raise Http404(gettext("There is no registration at this address."))
    return registration


def _registrations_url(roundtable: Roundtable) -> str:
    return reverse("frontend:staff_roundtable_registrations", args=[roundtable.slug])


# --- Lists ---------------------------------------------------------------------------------------


@require_safe
@staff_only
def roundtable_list_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "frontend/staff/roundtables/list.html",
        {"roundtables": roundtable_list(), "now": timezone.now()},
    )


def answer_rows(roundtable: Roundtable, registration: Registration) -> list[tuple[str, str]]:
    """(question, answer) pairs in the active language, the chosen option's label for a
    single-choice question."""
    rows = []
    for question in roundtable.questions or []:
        value = (registration.answers or {}).get(question["key"], "")
        if question["kind"] == "single":
            options = {option["value"]: option for option in question.get("options", [])}
            value = question_label(options[value]) if value in options else value
        rows.append((question_label(question), value))
    return rows


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label=_("Number of seats"), min_value=1, max_value=10000)


@require_safe
@staff_only
def registrations_page(request: HttpRequest, slug: str) -> HttpResponse:
    roundtable = _roundtable_or_404(slug)
    if not can_list_registrations(request.user, roundtable):
        return forbidden(request)
    return _render_registrations(request, roundtable)


def _render_registrations(
    request: HttpRequest, roundtable: Roundtable, capacity_form: CapacityForm | None = None
) -> HttpResponse:
    registrations = list(registration_list_for_roundtable(roundtable=roundtable))
    now = timezone.now()
    for registration in registrations:
        registration.answer_rows = answer_rows(roundtable, registration)
        registration.can_be_cancelled = (
            registration.status in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
            and roundtable.starts_at > now
        )
    counts = {status: 0 for status in RegistrationStatus.values}
    for registration in registrations:
        counts[registration.status] += 1
    return render(
        request,
        "frontend/staff/roundtables/registrations.html",
        {
            "roundtable": roundtable,
            "registrations": registrations,
            "counts": counts,
            "capacity_form": capacity_form
            or CapacityForm(initial={"capacity": roundtable.capacity}),
            "has_started": roundtable.starts_at <= now,
        },
        status=400 if capacity_form is not None and capacity_form.errors else 200,
    )


# --- CSV -----------------------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write returns the line, for csv.writer over a stream."""

    def write(self, value: str) -> str:
        return value


# A cell starting with one of these is a formula in Excel: prefix it so it stays text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def registration_csv_rows(roundtable: Roundtable) -> Iterator[list[Any]]:
    """The header, then one row per registration: what staff need to prepare the day."""
    questions = list(roundtable.questions or [])
    sectors = dict(Sector.choices)
    statuses = dict(RegistrationStatus.choices)
    yield [
        gettext("Name"),
        gettext("E-mail"),
        gettext("Organisation"),
        gettext("Sector"),
        gettext("Expertise"),
        gettext("Access or dietary needs"),
        *[question_label(question) for question in questions],
        gettext("Status"),
        gettext("Waitlist position"),
        gettext("Registered at"),
    ]
    registrations = registration_list_for_roundtable(roundtable=roundtable)
    for registration in registrations.iterator(chunk_size=500):
        answers = dict(answer_rows(roundtable, registration))
        yield [
            _safe_cell(value)
            for value in [
                registration.user.full_name,
                registration.user.email,
                registration.organisation,
                str(sectors.get(registration.sector, registration.sector)),
                registration.expertise,
                registration.needs,
                *[answers.get(question_label(question), "") for question in questions],
                str(statuses.get(registration.status, registration.status)),
                registration.waitlist_position or "",
                timezone.localtime(registration.created_at).strftime("%Y-%m-%d %H:%M"),
            ]
        ]


@require_safe
@staff_only
def registrations_csv(request: HttpRequest, slug: str) -> HttpResponse:
    roundtable = _roundtable_or_404(slug)
    if not can_list_registrations(request.user, roundtable):
        return forbidden(request)
    writer = csv.writer(_Echo())
    language = get_language()

    def lines() -> Iterator[str]:
        # Excel reads UTF-8 only with a byte-order mark. The rows are rendered while streaming,
        # after the view has returned: the language is set again for them.
        with translation.override(language):
            yield "\ufeff"
            for row in registration_csv_rows(roundtable):
                yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{roundtable.slug}-registrations.csv"'
    return response


# --- Writes --------------------------------------------------------------------------------------


@require_POST
@staff_only
def capacity_change(request: HttpRequest, slug: str) -> HttpResponse:
    roundtable = _roundtable_or_404(slug)
    if not can_change_roundtable_capacity(request.user, roundtable):
        return forbidden(request)
    form = CapacityForm(request.POST)
    if not form.is_valid():
        return _render_registrations(request, roundtable, capacity_form=form)
    waitlist_before = roundtable.waitlist_length
    try:
        roundtable_capacity_change(
            roundtable=roundtable, capacity=form.cleaned_data["capacity"], by=request.user
        )
    except ApplicationError as error:
        form.add_error("capacity", error.message)
        return _render_registrations(request, roundtable, capacity_form=form)
    promoted = waitlist_before - roundtable.waitlist_length
    text = gettext("The roundtable now has %(capacity)s seats.") % {"capacity": roundtable.capacity}
    if promoted:
        text += " " + ngettext(
            "%(count)s person moved up from the waitlist and was told by e-mail.",
            "%(count)s people moved up from the waitlist and were told by e-mail.",
            promoted,
        ) % {"count": promoted}
    messages.success(request, text)
    return HttpResponseRedirect(_registrations_url(roundtable))


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def registration_cancel_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """GET asks "are you sure?"; POST cancels (the first person waiting gets the seat)."""
    roundtable = _roundtable_or_404(slug)
    registration = _registration_of(roundtable, pk)
    if not can_cancel_registration(request.user, registration):
        return forbidden(request)
    name = registration.user.full_name or registration.user.email
    if request.method == "POST":
        held_a_seat = registration.status == RegistrationStatus.CONFIRMED
        try:
            registration_cancel(registration=registration, by=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            text = gettext("The registration of %(name)s is cancelled; they were told by e-mail.")
            text %= {"name": name}
            if held_a_seat:
                promoted = registration_list_for_roundtable(
                    roundtable=roundtable, status=RegistrationStatus.CONFIRMED
                ).filter(promoted_at__isnull=False, promoted_at__gte=registration.cancelled_at)
                for person in promoted:
                    text += " " + gettext(
                        "%(name)s moved up from the waitlist and was told by e-mail."
                    ) % {"name": person.user.full_name or person.user.email}
            messages.success(request, text)
        return HttpResponseRedirect(_registrations_url(roundtable))
    return render(
        request,
        "frontend/staff/roundtables/cancel.html",
        {"roundtable": roundtable, "registration": registration, "name": name},
    )


@require_safe
@staff_only
def check_in_page(request: HttpRequest, slug: str) -> HttpResponse:
    roundtable = _roundtable_or_404(slug)
    if not can_list_registrations(request.user, roundtable):
        return forbidden(request)
    people = sorted(
        registration_list_for_roundtable(roundtable=roundtable).filter(
            status__in=SEAT_HOLDING_STATUSES
        ),
        key=lambda r: (r.user.full_name or r.user.email).casefold(),
    )
    now = timezone.now()
    return render(
        request,
        "frontend/staff/roundtables/check_in.html",
        {
            "roundtable": roundtable,
            "people": people,
            "present": sum(1 for r in people if r.status == RegistrationStatus.ATTENDED),
            "absent": sum(1 for r in people if r.status == RegistrationStatus.NO_SHOW),
            "check_in_open": timezone.localdate(now) >= timezone.localdate(roundtable.starts_at),
            "opens_on": date_format(timezone.localtime(roundtable.starts_at), "DATE_FORMAT"),
        },
    )


@require_POST
@staff_only
def check_in(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    roundtable = _roundtable_or_404(slug)
    registration = _registration_of(roundtable, pk)
    if not can_check_in_registration(request.user, registration):
        return forbidden(request)
    attended = request.POST.get("attended")
    if attended not in ("yes", "no"):
        messages.error(request, gettext("Choose present or absent."))
    else:
        try:
            registration_check_in(
                registration=registration, attended=attended == "yes", by=request.user
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            name = registration.user.full_name or registration.user.email
            messages.success(
                request,
                (
                    gettext("%(name)s: present.")
                    if attended == "yes"
                    else gettext("%(name)s: absent.")
                )
                % {"name": name},
            )
    url = reverse("frontend:staff_roundtable_check_in", args=[roundtable.slug])
    return HttpResponseRedirect(f"{url}#registration-{registration.pk}")


# --- Outcome -------------------------------------------------------------------------------------


class OutcomeForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        max_length=SUMMARY_MAX_LENGTH,
        help_text=_("What the roundtable concluded, for the end report."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    language = forms.ChoiceField(
        label=_("Language of the summary and key points"), choices=settings.LANGUAGES
    )


class PointForm(forms.Form):
    text = forms.CharField(
        label=_("What was concluded"),
        max_length=POINT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    articles = forms.MultipleChoiceField(label=_("UNCRC articles"), required=False, choices=())

    def __init__(self, *args: Any, article_choices: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["articles"].choices = article_choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("articles") and not (cleaned.get("text") or "").strip():
            self.add_error("text", gettext("A key point needs a text."))
        return cleaned

    @property
    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not (data.get("text") or "").strip() and not data.get("articles")

    @property
    def chosen_articles(self) -> set[str]:
        value = self["articles"].value() or []
        return {str(code) for code in value}


PointFormSet = forms.formset_factory(PointForm, extra=0, max_num=50, absolute_max=50)
BLANK_POINTS = 3


def _point_formset(
    data: Any = None, *, initial: list[dict] | None = None, extra: int = 0
) -> forms.BaseFormSet:
    choices = [(code, code) for code in CrcArticle.objects.values_list("code", flat=True)]
    formset = PointFormSet(
        data, initial=initial, prefix="points", form_kwargs={"article_choices": choices}
    )
    formset.extra = extra
    return formset


def _points_from_post(data: Any) -> list[dict[str, Any]]:
    """The points as typed so far, to show them again (with blank rows added) unsaved."""
    try:
        total = min(int(data.get("points-TOTAL_FORMS", 0)), PointFormSet.absolute_max)
    except ValueError:
        total = 0
    return [
        {
            "text": data.get(f"points-{index}-text", ""),
            "articles": data.getlist(f"points-{index}-articles"),
        }
        for index in range(total)
    ]


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def outcome_page(request: HttpRequest, slug: str) -> HttpResponse:
    roundtable = _roundtable_or_404(slug)
    if not can_record_outcome(request.user, roundtable):
        return forbidden(request)
    outcome = outcome_get_for_roundtable(roundtable=roundtable)
    status = 200
    if request.method == "POST" and "add_points" in request.POST:
        # More rows without JavaScript: the same text again, unsaved, with blank points added.
        form = OutcomeForm(
            initial={
                "summary": request.POST.get("summary", ""),
                "language": request.POST.get("language", get_language()),
            }
        )
        points = _point_formset(initial=_points_from_post(request.POST), extra=BLANK_POINTS)
    elif request.method == "POST":
        form = OutcomeForm(request.POST)
        points = _point_formset(request.POST)
        status = 400
        if form.is_valid() and points.is_valid():
            kept = [point for point in points.forms if not point.is_blank]
            try:
                outcome_record(
                    roundtable=roundtable,
                    summary=form.cleaned_data["summary"],
                    points=[
                        {"text": p.cleaned_data["text"], "articles": p.cleaned_data["articles"]}
                        for p in kept
                    ],
                    author=request.user,
                    language=form.cleaned_data["language"],
                )
            except InvalidInputError as error:
                _add_outcome_error(form, kept, error)
            except ApplicationError as error:
                messages.error(request, error.message)
                status = 409
            else:
                messages.success(request, gettext("The outcome is saved."))
                return HttpResponseRedirect(
                    reverse("frontend:staff_roundtable_outcome", args=[roundtable.slug])
                )
    else:
        initial_points = [
            {"text": point.text, "articles": [article.code for article in point.articles.all()]}
            for point in (outcome.points.all() if outcome else [])
        ]
        form = OutcomeForm(
            initial={
                "summary": outcome.summary if outcome else "",
                "language": outcome.language if outcome else get_language(),
            }
        )
        points = _point_formset(initial=initial_points, extra=BLANK_POINTS)
    return render(
        request,
        "frontend/staff/roundtables/outcome.html",
        {
            "roundtable": roundtable,
            "outcome": outcome,
            "form": form,
            "points": points,
            "clusters": article_clusters(),
            "not_started": roundtable.starts_at > timezone.now(),
        },
        status=status,
    )


def _add_outcome_error(form: OutcomeForm, kept: list[PointForm], error: ApplicationError) -> None:
    """A service refusal beside what it names: a form field, a key point
    (``points.<n>.<field>``, n counting the points sent), or else above the form."""
    field = error.field or ""
    if field.startswith("points."):
        _points, index, *rest = [*field.split("."), ""][:3]
        if index.isdigit() and int(index) < len(kept):
            point = kept[int(index)]
            point.add_error(rest[0] if rest and rest[0] in point.fields else None, error.message)
            form.add_error(None, gettext("Please check the key points marked below."))
            return
    form.add_error(field if field in form.fields else None, error.message)
