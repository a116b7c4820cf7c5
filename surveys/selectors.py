"""Reads of surveys: the survey as one young person sees it, and responses by receipt code.

Used by the API (surveys.api) and by the youth pages (frontend), never bypassed by them.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from config.exceptions import InvalidInputError, NotFoundError
from config.rows import column, instance_from_row, select_list, table
from consultations.models import Campaign, CampaignStatus
from consultations.translation import localized
from surveys.definition import QuestionDefinition, SurveyDefinition, survey_definition
from surveys.models import QuestionKind, Response, Survey, SurveyStatus
from surveys.receipts import normalise_receipt_code

# The word and face of each point of a scale, unless the question has an option "1".."N" that
# says otherwise. Survey content, so in every survey language rather than through gettext.
SCALE_FACES: dict[int, tuple[str, ...]] = {
    3: ("🙁", "😐", "🙂"),
    5: ("😢", "🙁", "😐", "🙂", "😄"),
}
SCALE_WORDS: dict[int, dict[str, tuple[str, ...]]] = {
    3: {
        "nl": ("Niet goed", "Gaat wel", "Goed"),
        "fr": ("Pas bien", "Moyen", "Bien"),
        "en": ("Not good", "Okay", "Good"),
    },
    5: {
        "nl": ("Heel slecht", "Slecht", "Gaat wel", "Goed", "Heel goed"),
        "fr": ("Très mal", "Mal", "Moyen", "Bien", "Très bien"),
        "en": ("Very bad", "Bad", "Okay", "Good", "Very good"),
    },
}


@dataclass(frozen=True)
class OptionView:
    value: str
    label: str
    emoji: str


@dataclass(frozen=True)
class QuestionView:
    key: str
    kind: str
    text: str
    help: str
    options: list[OptionView]
    min: int | float | None
    max: int | float | None
    max_choices: int | None
    max_length: int | None
    show_if: dict[str, Any] | None
    articles: list[str]


@dataclass(frozen=True)
class SurveyView:
    slug: str
    title: str
    intro: str
    language: str
    age: int
    age_band_code: str
    easy_read: bool
    is_open: bool
    questions: list[QuestionView]


# --- Surveys -------------------------------------------------------------------------------------


def survey_get_public(*, slug: str) -> Survey:
    """A published survey (open or closed, of a campaign past its draft), its campaign loaded.

    Read on every submission and every page of the youth flow, so in one hand-written statement
    (config.rows: building the query through the ORM cost several times running it).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            _public_survey_sql(),
            [slug, SurveyStatus.OPEN.value, SurveyStatus.CLOSED.value, CampaignStatus.DRAFT.value],
        )
        row = cursor.fetchone()
    if row is None:
        raise NotFoundError(gettext("There is no survey at this address."))
    survey = instance_from_row(Survey, row)
    survey.campaign = instance_from_row(Campaign, row, start=len(Survey._meta.concrete_fields))
    return survey


# Names from the models' fields; the values are parameters.
_PUBLIC_SURVEY = (
    "SELECT {survey_columns}, {campaign_columns} FROM {survey_table} s"
    " JOIN {campaign_table} c ON c.{campaign_pk} = s.{survey_campaign}"
    " WHERE s.{survey_slug} = %s AND s.{survey_status} IN (%s, %s) AND c.{campaign_status} <> %s"
)


@functools.cache
def _public_survey_sql() -> str:
    return _PUBLIC_SURVEY.format(
        survey_columns=select_list(Survey, "s"),
        campaign_columns=select_list(Campaign, "c"),
        survey_table=table(Survey),
        campaign_table=table(Campaign),
        campaign_pk=column(Campaign, "id"),
        survey_campaign=column(Survey, "campaign"),
        survey_slug=column(Survey, "slug"),
        survey_status=column(Survey, "status"),
        campaign_status=column(Campaign, "status"),
    )


def survey_list_open(*, campaign: Campaign, now: datetime.datetime | None = None) -> list[Survey]:
    """The surveys of a campaign young people can answer now, oldest first."""
    if campaign.status != CampaignStatus.CONSULTING:
        return []
    now = now or timezone.now()
    surveys = (
        Survey.objects.filter(campaign=campaign, status=SurveyStatus.OPEN)
        .filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now))
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .order_by("created_at", "pk")
    )
    for survey in surveys:
        survey.campaign = campaign
    return list(surveys)


def survey_languages(survey: Survey) -> list[str]:
    """The languages a young person can choose for this survey (its campaign's)."""
    return list(survey.campaign.languages)


def survey_ages(survey: Survey) -> list[int]:
    """The ages a young person can choose for this survey: every age of its campaign's bands."""
    definition = survey_definition(survey)
    return sorted(
        {age for band in definition.age_bands for age in range(band.min_age, band.max_age + 1)}
    )


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _text(texts: Mapping[str, str], language: str) -> str:
    """The text in ``language``, else in Dutch, else in any language that has one."""
    for code in dict.fromkeys([language, "nl", *texts]):
        if texts.get(code):
            return texts[code]
    return ""


def _scale_options(question: QuestionDefinition, language: str) -> list[OptionView]:
    points = question.scale_points or 5
    words = SCALE_WORDS[points].get(language) or SCALE_WORDS[points]["nl"]
    faces = SCALE_FACES[points]
    overrides = question.options_by_value
    options = []
    for point in range(1, points + 1):
        override = overrides.get(str(point))
        options.append(
            OptionView(
                value=str(point),
                label=(_text(override.labels, language) if override else "") or words[point - 1],
                emoji=(override.emoji if override else "") or faces[point - 1],
            )
        )
    return options


def _question_view(question: QuestionDefinition, language: str, easy_read: bool) -> QuestionView:
    text = (easy_read and question.easy_texts.get(language)) or _text(question.texts, language)
    if question.kind == QuestionKind.SCALE:
        options = _scale_options(question, language)
        low, high = 1, question.scale_points
    else:
        options = [
            OptionView(value=option.value, label=_text(option.labels, language), emoji=option.emoji)
            for option in question.options
        ]
        low, high = _number(question.min_value), _number(question.max_value)
    return QuestionView(
        key=question.key,
        kind=question.kind,
        text=text,
        help=_text(question.helps, language),
        options=options,
        min=low,
        max=high,
        max_choices=question.max_choices if question.kind == QuestionKind.MULTIPLE else None,
        max_length=question.max_length if question.kind == QuestionKind.TEXT else None,
        show_if=dict(question.show_if) if question.show_if else None,
        articles=list(question.articles),
    )


def survey_view(*, survey: Survey, language: str, age: int) -> SurveyView:
    """The survey as a young person of ``age`` reading ``language`` sees it.

    Easy-read wording when their age band is easy-read; questions outside their age left out;
    scale questions with their points as options ("1".."N", a word and a face each).
    Raises InvalidInputError on ``lang`` when the campaign does not offer the language, on
    ``age`` when no age band of the campaign holds the age.
    """
    definition = survey_definition(survey)
    if language not in definition.languages:
        raise InvalidInputError(
            gettext("This survey is not offered in '%(language)s'; choose one of %(offered)s.")
            % {"language": language, "offered": ", ".join(definition.languages)},
            field="lang",
        )
    band = definition.age_band_for(age) if _is_age(age) else None
    if band is None:
        raise InvalidInputError(age_refusal(definition), field="age")
    return SurveyView(
        slug=survey.slug,
        title=localized(survey, "title", language),
        intro=localized(survey, "intro", language),
        language=language,
        age=age,
        age_band_code=band.code,
        easy_read=band.easy_read,
        is_open=survey.is_open(),
        questions=[
            _question_view(question, language, band.easy_read)
            for question in definition.questions
            if question.asks(age)
        ],
    )


def _is_age(age: object) -> bool:
    return isinstance(age, int) and not isinstance(age, bool)


def age_refusal(definition: SurveyDefinition) -> str:
    if not definition.age_bands:
        return gettext("This survey has no age groups yet.")
    youngest = min(band.min_age for band in definition.age_bands)
    oldest = max(band.max_age for band in definition.age_bands)
    return gettext("This survey is for young people aged %(youngest)s to %(oldest)s.") % {
        "youngest": youngest,
        "oldest": oldest,
    }


def condition_met(show_if: Mapping[str, Any] | None, answers: Mapping[str, object]) -> bool:
    """Whether a ``show_if`` condition holds for the answers given (no condition: it holds)."""
    if not show_if:
        return True
    given = answers.get(show_if["question"])
    if isinstance(given, str):
        given = [given]
    if not isinstance(given, list | tuple):
        return False
    return any(value in show_if["any_of"] for value in given if isinstance(value, str))


def shown_keys(
    questions: Iterable[QuestionView | QuestionDefinition], answers: Mapping[str, object]
) -> set[str]:
    """The keys of the questions to show, in a list of questions already filtered for age.

    A question whose condition refers to a question that is not shown is not shown either.
    """
    shown: set[str] = set()
    for question in questions:
        condition = question.show_if
        if condition and condition["question"] not in shown:
            continue
        if condition_met(condition, answers):
            shown.add(question.key)
    return shown


def visible_questions(view: SurveyView, answers: Mapping[str, object]) -> list[QuestionView]:
    """The questions to show, in order, given the answers so far (applies ``show_if``)."""
    keys = shown_keys(view.questions, answers)
    return [question for question in view.questions if question.key in keys]


# --- Responses -----------------------------------------------------------------------------------


def response_get_by_receipt(*, code: str) -> Response:
    """The response behind a receipt code as typed ("abcd-efgh", "ABCDEFGH", "ABCD EFGH"), its
    survey and campaign loaded; NotFoundError for a code that is not one."""
    normalised = normalise_receipt_code(code)
    response = None
    if normalised is not None:
        response = (
            Response.objects.select_related("survey__campaign")
            .filter(receipt_code=normalised)
            .first()
        )
    if response is None:
        raise NotFoundError(gettext("There is no response with this receipt code."))
    return response
