"""Where a young person is in a survey: kept server-side in their session, one entry per survey.

The youth pages (frontend.views.youth) read and move this state; nothing here writes to the
database. Answers are kept as ``surveys.services.response_submit`` takes them, so sending them
is one call.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_info

from config.exceptions import InvalidInputError, NotFoundError
from surveys.definition import survey_definition
from surveys.selectors import survey_get_public, survey_languages, survey_view, visible_questions

if TYPE_CHECKING:
    from surveys.models import Survey
    from surveys.selectors import QuestionView, SurveyView


class Flow:
    """One young person's way through one survey, kept in their session.

    Holds: ``token`` (the client token of the submission), ``language``, ``age``, ``assent``,
    ``answers`` (question key → value as the service takes it), ``at`` (the question on the
    screen), ``invite`` (the code of the group's link), ``error`` (a problem to show on one
    screen) and, once sent, ``receipt``.
    """

    INVITES = "youth.invites"

    def __init__(self, request: HttpRequest, survey: Survey):
        self.request = request
        self.survey = survey
        self.session_key = f"youth.survey.{survey.pk}"
        self.data: dict[str, Any] = dict(request.session.get(self.session_key) or {})

    @property
    def token(self) -> str | None:
        return self.data.get("token")

    @property
    def language(self) -> str | None:
        return self.data.get("language")

    @property
    def age(self) -> int | None:
        return self.data.get("age")

    @property
    def at(self) -> str | None:
        return self.data.get("at")

    @property
    def invite(self) -> str | None:
        return self.data.get("invite")

    @property
    def error(self) -> dict[str, Any] | None:
        return self.data.get("error")

    @property
    def receipt(self) -> str | None:
        return self.data.get("receipt")

    @property
    def assent(self) -> bool:
        return bool(self.data.get("assent"))

    @property
    def answers(self) -> dict[str, Any]:
        return self.data.setdefault("answers", {})

    def save(self) -> None:
        self.request.session[self.session_key] = self.data

    def set(self, **values: Any) -> None:
        self.data.update(values)
        self.save()

    def start(self) -> None:
        """A fresh flow: a new client token, the group's invite code if they came by one."""
        invites = self.request.session.get(self.INVITES) or {}
        self.data = {
            "token": str(uuid.uuid4()),
            "invite": invites.get(str(self.survey.campaign_id)),
            "answers": {},
        }
        self.save()

    def finish(self, receipt: str) -> None:
        """Sent: forget the answers (a shared tablet), keep what the end screen shows."""
        self.data = {
            "token": self.token,
            "language": self.language,
            "receipt": receipt,
            "invite": self.invite,
        }
        self.save()

    def forget(self) -> None:
        self.request.session.pop(self.session_key, None)
        self.data = {}

    def error_for(self, step: str, key: str | None = None) -> dict[str, Any] | None:
        error = self.error
        if error and error.get("step") == step and error.get("key") == key:
            return error
        return None

    @classmethod
    def remember_invite(cls, request: HttpRequest, campaign_id: int, code: str) -> None:
        invites = dict(request.session.get(cls.INVITES) or {})
        invites[str(campaign_id)] = code
        request.session[cls.INVITES] = invites


def survey_or_none(slug: str) -> Survey | None:
    try:
        return survey_get_public(slug=slug)
    except NotFoundError:
        return None


def offered_languages(survey: Survey) -> list[dict[str, str]]:
    offered = [code for code in survey_languages(survey) if code in settings.LANGUAGE_CODES]
    return [
        {"code": code, "name": get_language_info(code)["name_local"].capitalize()}
        for code in offered
    ]


def offered_ages(survey: Survey) -> list[int]:
    ages: set[int] = set()
    for band in survey_definition(survey).age_bands:
        ages.update(range(band.min_age, band.max_age + 1))
    return sorted(ages)


def survey_view_of(flow: Flow) -> SurveyView | None:
    """The survey as this young person sees it; None if their language or age no longer fit."""
    if not flow.language or flow.age is None:
        return None
    try:
        return survey_view(survey=flow.survey, language=flow.language, age=flow.age)
    except InvalidInputError:
        return None


def visible_and_kept(
    view: SurveyView, answers: dict[str, Any]
) -> tuple[list[QuestionView], dict[str, Any]]:
    """The questions to show and the answers that still count.

    An answer to a question that an earlier answer now hides (the young person went back and
    changed their mind) no longer counts; dropping it can hide further questions in turn.
    """
    kept = dict(answers)
    while True:
        questions = visible_questions(view, kept)
        keys = {question.key for question in questions}
        still = {key: value for key, value in kept.items() if key in keys}
        if still == kept:
            return questions, kept
        kept = still
