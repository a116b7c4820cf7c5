"""The youth pages: from an invite link to stored answers, and the receipt afterwards.

A young person needs no account and no JavaScript. Where they are in a survey (language, age,
assent, answers so far) is kept server-side in the session, one entry per survey; every form
posts and redirects (POST-redirect-GET), so the browser's Back and Reload buttons never send
anything twice. The answers reach the database only through ``surveys.services.response_submit``,
with a client token drawn when the flow starts: a double click or a re-sent form stores one
response. youth.js adds what a browser with JavaScript can do on top: keep the answers on the
phone, wait for a lost connection, read the question aloud.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

import segno
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import ordinal
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.exceptions import ConflictError, InvalidInputError, NotFoundError
from consultations.selectors import invite_link_get_active
from frontend.forms.youth import (
    AnswerError,
    answer_as_fields,
    answer_fields,
    fields_to_data,
    parse_answer,
)
from frontend.youth_flow import (
    Flow,
    offered_ages,
    offered_languages,
    survey_or_none,
    survey_view_of,
    visible_and_kept,
)
from surveys.receipts import format_receipt_code, generate_receipt_code
from surveys.selectors import survey_list_open, survey_view
from surveys.services import response_submit

if TYPE_CHECKING:
    from surveys.models import Survey
    from surveys.selectors import QuestionView, SurveyView

# The voice the browser should read aloud with, per language of the survey.
SPEECH_LANGUAGES = {"nl": "nl-BE", "fr": "fr-BE", "en": "en-GB"}
# A field people cannot see (youth.css hides it); a form that fills it in was sent by a robot.
HONEYPOT_FIELD = "website_url"

STEP_LANGUAGE = "language"
STEP_AGE = "age"
STEP_ASSENT = "assent"
STEP_QUESTION = "question"
STEP_SEND = "send"


def _url(name: str, survey: Survey, **kwargs: Any) -> str:
    return reverse(f"frontend:youth_{name}", kwargs={"slug": survey.slug, **kwargs})


def _question_url(survey: Survey, key: str) -> str:
    return _url("question", survey, key=key)


def _where_to(flow: Flow) -> str:
    """The screen this young person should be on now."""
    survey = flow.survey
    if not flow.token:
        return _url("entry", survey)
    if not flow.language:
        return _url("language", survey)
    view = survey_view_of(flow)
    if view is None or flow.age is None:
        return _url("age", survey)
    if not flow.assent:
        return _url("assent", survey)
    questions, _answers = visible_and_kept(view, flow.answers)
    keys = [question.key for question in questions]
    if flow.at in keys:
        return _question_url(survey, flow.at)
    if flow.at == STEP_SEND or not keys:
        return _url("send", survey)
    return _question_url(survey, keys[0])


def _page_context(flow: Flow, step: str, **extra: Any) -> dict[str, Any]:
    return {
        "survey": flow.survey,
        "flow": flow,
        "step": step,
        "speech_language": SPEECH_LANGUAGES.get(flow.language or "", ""),
        "languages": offered_languages(flow.survey),
        **extra,
    }


def survey_page(*, needs_open: bool = True) -> Callable:
    """Load the survey (404 when unknown), show the closed page when it no longer takes
    answers, and render in the language the young person chose for this survey."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        @never_cache
        def wrapper(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
            survey = survey_or_none(slug)
            if survey is None:
                return render(request, "frontend/youth/not_found.html", status=404)
            flow = Flow(request, survey)
            language = flow.language if flow.language in settings.LANGUAGE_CODES else None
            with translation.override(language or translation.get_language()):
                if needs_open and not survey.is_open():
                    response = _closed(request, survey)
                else:
                    response = view(request, flow, **kwargs)
                response.headers["Content-Language"] = translation.get_language()
            return response

        return wrapper

    return decorate


def _closed(request: HttpRequest, survey: Survey) -> HttpResponse:
    not_yet = survey.opens_at is not None and timezone.now() < survey.opens_at
    return render(
        request,
        "frontend/youth/closed.html",
        {"survey": survey, "campaign": survey.campaign, "not_yet": not_yet},
    )


# --- From the invite link to the survey ----------------------------------------------------------


@require_safe
@never_cache
def invite(request: HttpRequest, code: str) -> HttpResponse:
    """/j/<code>: the link or QR code of a youth group leads to its campaign's open survey."""
    try:
        link = invite_link_get_active(code=code)
    except NotFoundError:
        return render(request, "frontend/youth/invite_unknown.html", status=404)
    Flow.remember_invite(request, link.campaign_id, link.code)
    surveys = list(survey_list_open(campaign=link.campaign))
    for survey in surveys:
        flow = Flow(request, survey)
        if flow.data and not flow.receipt:
            flow.set(invite=link.code)  # already on their way: count them with this group
    if len(surveys) == 1:
        return redirect("frontend:youth_entry", slug=surveys[0].slug)
    return render(
        request,
        "frontend/youth/invite_surveys.html",
        {"campaign": link.campaign, "surveys": surveys},
        status=200 if surveys else 404,
    )


@require_safe
@survey_page()
def entry(request: HttpRequest, flow: Flow) -> HttpResponse:
    """/s/<slug>/: start, or carry on where this young person was."""
    if flow.receipt or not flow.token:
        flow.start()  # after sending, the same phone may be handed to the next young person
    languages = offered_languages(flow.survey)
    if not flow.language and len(languages) == 1:
        flow.set(language=languages[0]["code"])
    return redirect(_where_to(flow))


@require_http_methods(["GET", "HEAD", "POST"])
@survey_page()
def choose_language(request: HttpRequest, flow: Flow) -> HttpResponse:
    if not flow.token:
        return redirect("frontend:youth_entry", slug=flow.survey.slug)
    offered = [language["code"] for language in offered_languages(flow.survey)]
    if request.method == "POST":
        language = request.POST.get("language")
        if language in offered:
            flow.set(language=language, error=None)
            return redirect(_where_to(flow))
        flow.set(
            error={"step": STEP_LANGUAGE, "key": None, "message": gettext("Choose a language.")}
        )
        return redirect(_url("language", flow.survey))
    return render(
        request,
        "frontend/youth/language.html",
        _page_context(flow, STEP_LANGUAGE, error=flow.error_for(STEP_LANGUAGE)),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@survey_page()
def choose_age(request: HttpRequest, flow: Flow) -> HttpResponse:
    if not flow.language:
        return redirect("frontend:youth_entry", slug=flow.survey.slug)
    if request.method == "POST":
        try:
            age = int(request.POST.get("age", ""))
            survey_view(survey=flow.survey, language=flow.language, age=age)
        except (ValueError, InvalidInputError):
            flow.set(
                error={
                    "step": STEP_AGE,
                    "key": None,
                    "message": gettext("Tap the button with your age."),
                }
            )
            return redirect(_url("age", flow.survey))
        flow.set(age=age, error=None)
        return redirect(_where_to(flow))
    ages = offered_ages(flow.survey)
    return render(
        request,
        "frontend/youth/age.html",
        _page_context(
            flow,
            STEP_AGE,
            ages=ages,
            youngest=ages[0] if ages else None,
            oldest=ages[-1] if ages else None,
            error=flow.error_for(STEP_AGE),
        ),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@survey_page()
def assent(request: HttpRequest, flow: Flow) -> HttpResponse:
    view = survey_view_of(flow)
    if view is None:
        return redirect(_where_to(flow))
    if request.method == "POST":
        if request.POST.get("assent") == "yes":
            flow.set(assent=True, error=None)
            return redirect(_where_to(flow))
        flow.forget()
        return redirect(_url("goodbye", flow.survey))
    return render(
        request,
        "frontend/youth/assent.html",
        _page_context(
            flow,
            STEP_ASSENT,
            view=view,
            campaign=flow.survey.campaign,
            error=flow.error_for(STEP_ASSENT),
        ),
    )


def _rank_rows(question: QuestionView, values: Any) -> list[dict[str, Any]]:
    rows = []
    for place in range(1, len(question.options) + 1):
        rows.append(
            {
                "place": place,
                "name": f"rank_{place}",
                "label": ordinal(place),
                "selected": values.get(f"rank_{place}", ""),
            }
        )
    return rows


@require_http_methods(["GET", "HEAD", "POST"])
@survey_page()
def question(request: HttpRequest, flow: Flow, key: str) -> HttpResponse:
    view = survey_view_of(flow)
    if view is None or not flow.assent:
        return redirect(_where_to(flow))
    questions, answers = visible_and_kept(view, flow.answers)
    keys = [q.key for q in questions]
    if key not in keys:
        return redirect(_where_to(flow))
    current = questions[keys.index(key)]

    if request.method == "POST":
        return _answer(request, flow, view, current, answers)

    flow.set(at=key)
    error = flow.error_for(STEP_QUESTION, key)
    fields = error["fields"] if error else answer_as_fields(current, answers.get(key))
    values = fields_to_data(fields)
    position = keys.index(key) + 1
    return render(
        request,
        "frontend/youth/question.html",
        _page_context(
            flow,
            STEP_QUESTION,
            view=view,
            question=current,
            position=position,
            total=len(keys),
            chosen=set(values.getlist("answer")),
            answer_text=values.get("answer", ""),
            rank_rows=_rank_rows(current, values) if current.kind == "ranking" else [],
            error=error,
        ),
    )


def _answer(
    request: HttpRequest,
    flow: Flow,
    view: SurveyView,
    current: QuestionView,
    answers: dict[str, Any],
) -> HttpResponse:
    """Keep (or drop) the answer on the screen, then go on, back, or stay to fix it."""
    action = request.POST.get("action", "next")
    answers = dict(answers)
    if action == "skip":
        answers.pop(current.key, None)
    else:
        try:
            value = parse_answer(current, request.POST)
        except AnswerError as problem:
            if action != "back":
                flow.set(
                    answers=answers,
                    error={
                        "step": STEP_QUESTION,
                        "key": current.key,
                        "message": problem.message,
                        "fields": answer_fields(request.POST),
                    },
                )
                return redirect(_question_url(flow.survey, current.key))
            value = answers.get(current.key)  # going back keeps what was there before
        if value is None:
            answers.pop(current.key, None)
        else:
            answers[current.key] = value
    questions, answers = visible_and_kept(view, answers)
    keys = [q.key for q in questions]
    position = keys.index(current.key)
    if action == "back":
        target = (
            _question_url(flow.survey, keys[position - 1])
            if position > 0
            else _url("assent", flow.survey)
        )
        at = keys[position - 1] if position > 0 else current.key
    elif position + 1 < len(keys):
        at = keys[position + 1]
        target = _question_url(flow.survey, at)
    else:
        at, target = STEP_SEND, _url("send", flow.survey)
    flow.set(answers=answers, at=at, error=None)
    return redirect(target)


@require_http_methods(["GET", "HEAD", "POST"])
@survey_page()
def send(request: HttpRequest, flow: Flow) -> HttpResponse:
    """The last screen before the answers leave the phone: send them, or stop and delete them."""
    if flow.receipt:
        return redirect(_url("done", flow.survey))
    view = survey_view_of(flow)
    if view is None or not flow.assent:
        return redirect(_where_to(flow))
    questions, answers = visible_and_kept(view, flow.answers)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "stop":
            flow.forget()
            return redirect(_url("goodbye", flow.survey))
        if request.POST.get(HONEYPOT_FIELD):
            # A robot filled in the field people cannot see: it is told all went well.
            flow.finish(format_receipt_code(generate_receipt_code()))
            return redirect(_url("done", flow.survey))
        return _submit(flow, answers)
    keys = [q.key for q in questions]
    # From the last question they finished; from "I want to stop" they were at a question.
    finished = flow.at not in keys
    back_to = flow.at if not finished else (keys[-1] if keys else None)
    return render(
        request,
        "frontend/youth/send.html",
        _page_context(
            flow,
            STEP_SEND,
            view=view,
            answered=len(answers),
            total=len(questions),
            finished=finished,
            back_url=_question_url(flow.survey, back_to) if back_to else None,
            honeypot_field=HONEYPOT_FIELD,
            error=flow.error_for(STEP_SEND),
        ),
    )


def _submit(flow: Flow, answers: dict[str, Any]) -> HttpResponse:
    survey = flow.survey
    try:
        result = response_submit(
            survey=survey,
            client_token=uuid.UUID(flow.token),
            language=flow.language,
            age=flow.age,
            invite_code=flow.invite,
            assent=True,
            answers=answers,
        )
    except ConflictError:
        return _closed(flow.request, survey)
    except InvalidInputError as problem:
        return redirect(_after_refusal(flow, problem))
    flow.finish(result.receipt)
    return redirect(_url("done", survey))


def _after_refusal(flow: Flow, problem: InvalidInputError) -> str:
    """Where to send a young person whose answers the service refused, with kind words."""
    survey, field = flow.survey, problem.field or ""
    if field.startswith("answers."):
        key = field.removeprefix("answers.")
        flow.set(
            error={
                "step": STEP_QUESTION,
                "key": key,
                "message": gettext(
                    "Something is not right with this answer. Change it, or skip this question."
                ),
                "fields": _stored_fields(flow, key),
            }
        )
        return _question_url(survey, key)
    if field == "age":
        flow.set(
            age=None,
            error={"step": STEP_AGE, "key": None, "message": gettext("Tap your age again.")},
        )
        return _url("age", survey)
    if field in {"language", "lang"}:
        flow.set(
            language=None,
            error={
                "step": STEP_LANGUAGE,
                "key": None,
                "message": gettext("Choose your language again."),
            },
        )
        return _url("language", survey)
    if field == "invite":
        message = gettext(
            "The link of your group does not work any more. You can still send your answers."
        )
        flow.set(invite=None, error={"step": STEP_SEND, "key": None, "message": message})
        return _url("send", survey)
    if field == "client_token":
        flow.set(token=str(uuid.uuid4()))
    flow.set(
        error={
            "step": STEP_SEND,
            "key": None,
            "message": gettext("Something went wrong. Please try to send your answers again."),
        }
    )
    return _url("send", survey)


def _stored_fields(flow: Flow, key: str) -> list[list[str]]:
    view = survey_view_of(flow)
    for candidate in view.questions if view else []:
        if candidate.key == key:
            return answer_as_fields(candidate, flow.answers.get(key))
    return []


@require_safe
@survey_page(needs_open=False)
def done(request: HttpRequest, flow: Flow) -> HttpResponse:
    """The end screen: thank you, the receipt code and its QR code, the helplines."""
    if not flow.receipt:
        return redirect("frontend:youth_entry", slug=flow.survey.slug)
    receipt_url = request.build_absolute_uri(
        reverse("frontend:youth_receipt", kwargs={"code": flow.receipt})
    )
    return render(
        request,
        "frontend/youth/done.html",
        {
            "survey": flow.survey,
            "campaign": flow.survey.campaign,
            "flow": flow,
            "step": "done",
            "receipt": flow.receipt,
            "qr_code": _qr_svg(receipt_url),
        },
    )


@require_safe
@survey_page(needs_open=False)
def goodbye(request: HttpRequest, flow: Flow) -> HttpResponse:
    """After "No thanks" or "Stop": nothing was sent, and nothing is kept."""
    return render(
        request,
        "frontend/youth/goodbye.html",
        {"survey": flow.survey, "flow": flow, "step": "goodbye"},
    )


@require_POST
@survey_page()
def resume(request: HttpRequest, flow: Flow) -> HttpResponse:
    """Carry on with answers youth.js kept on the phone after the session was lost.

    The browser sends what it kept (language, age, assent, the form fields of each answer);
    each answer goes through the same checks as on its own screen and is dropped if it fails.
    """
    try:
        kept = json.loads(request.POST.get("kept") or "{}")
    except ValueError:
        kept = {}
    if not isinstance(kept, dict) or flow.assent or not flow.token:
        return redirect("frontend:youth_entry", slug=flow.survey.slug)
    language = kept.get("language")
    age = kept.get("age")
    try:
        view = survey_view(survey=flow.survey, language=str(language), age=int(age))
    except (TypeError, ValueError, InvalidInputError):
        return redirect("frontend:youth_entry", slug=flow.survey.slug)
    answers = {}
    fields = kept.get("fields") if isinstance(kept.get("fields"), dict) else {}
    for candidate in view.questions:
        pairs = fields.get(candidate.key)
        if not isinstance(pairs, list):
            continue
        try:
            value = parse_answer(
                candidate, fields_to_data(p for p in pairs if isinstance(p, list) and len(p) == 2)
            )
        except AnswerError:
            continue
        if value is not None:
            answers[candidate.key] = value
    _questions, answers = visible_and_kept(view, answers)
    flow.set(
        language=view.language,
        age=int(age),
        assent=kept.get("assent") is True,
        answers=answers,
        at=str(kept.get("at") or ""),
        error=None,
    )
    return redirect(_where_to(flow))


def _qr_svg(url: str) -> str:
    """An inline SVG QR code: presentation attributes only (the CSP forbids style="")."""
    svg = segno.make(url, error="m").svg_inline(
        scale=4,
        unit="px",
        light="#fff",
        svgclass="qr-code",
        lineclass=None,
        title=gettext("QR code for %(url)s") % {"url": url},
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)
