"""Reads of "what happened with your voice": the summary of one age band as young people see it,
with the results of its chosen questions as simple data for bar charts.

Every number comes from the survey's result snapshot through
``analysis.selectors.survey_results(survey=..., by="age_band")``, so it is suppressed exactly as
everywhere else (DESIGN §4): an age band's group is published or hidden as a whole, and inside
it a small count arrives as None. Raw answers are never read here.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import translation

from analysis.models import YouthFeedback, YouthFeedbackPublication
from analysis.selectors import survey_results
from consultations.models import AgeBand, Campaign
from consultations.translation import localized
from surveys.models import Question, QuestionKind, Survey, SurveyStatus
from surveys.selectors import SCALE_FACES

# The three parts of a summary, each written in every platform language: told_us_nl, ...
TEXT_PARTS = ("told_us", "we_did", "next_steps")
# The questions whose results young people can read as a simple bar chart.
CLOSED_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE)


def feedback_questions(*, campaign: Campaign, age_band: AgeBand) -> QuerySet[Question]:
    """The closed questions of the campaign's published surveys asked of some age in
    ``age_band``: what a summary may show results of, in the order young people met them."""
    return (
        Question.objects.filter(
            survey__campaign_id=campaign.pk,
            survey__status__in=[SurveyStatus.OPEN, SurveyStatus.CLOSED],
            kind__in=CLOSED_KINDS,
        )
        .filter(Q(min_age__isnull=True) | Q(min_age__lte=age_band.max_age))
        .filter(Q(max_age__isnull=True) | Q(max_age__gte=age_band.min_age))
        .select_related("survey__campaign")
        .prefetch_related("options")
        .order_by("survey__created_at", "survey_id", "order", "pk")
    )


def youth_feedback_languages(*, campaign: Campaign) -> dict[int, list[str]]:
    """{age band id: the languages its summary has any text in}, for every band with text."""
    languages: dict[int, list[str]] = {}
    for feedback in YouthFeedback.objects.filter(campaign=campaign):
        written = [
            code
            for code in settings.LANGUAGE_CODES
            if any(getattr(feedback, f"{part}_{code}") for part in TEXT_PARTS)
        ]
        if written:
            languages[feedback.age_band_id] = written
    return languages


def youth_feedback_publication(*, campaign: Campaign) -> YouthFeedbackPublication | None:
    return (
        YouthFeedbackPublication.objects.filter(campaign=campaign)
        .select_related("published_by")
        .first()
    )


def youth_results(
    *, campaign: Campaign, age_band: AgeBand, language: str, preview: bool = False
) -> dict[str, Any]:
    """What young people of ``age_band`` are told about ``campaign``, in ``language``.

    ``published`` says whether the campaign published its results. Until it has, ``texts`` are
    empty and ``questions`` is [] (``results_expected_on`` says when), unless ``preview``: staff
    checking a summary before publishing see everything. Each text falls back to Dutch, then to
    any language written, when it is not written in ``language``.

    ``questions``: the questions chosen for the band (none chosen: every closed question asked
    of it), each ``{"key", "kind", "survey", "text", "n", "suppressed", "options"}`` where
    ``n`` is how many young people of the band answered it (None when the band's group is
    suppressed; then ``suppressed`` is true and ``options`` has no counts either), and each
    option ``{"value", "label", "emoji", "count", "share", "suppressed"}``: ``count`` None when
    suppressed, ``share`` the whole percentage of ``n`` (several choices may add up to more
    than 100).
    """
    language = language if language in settings.LANGUAGE_CODES else settings.LANGUAGE_CODE
    publication = youth_feedback_publication(campaign=campaign)
    results: dict[str, Any] = {
        "campaign": {"slug": campaign.slug, "title": localized(campaign, "title", language)},
        "age_band": {
            "id": age_band.pk,
            "code": age_band.code,
            "min_age": age_band.min_age,
            "max_age": age_band.max_age,
            "easy_read": age_band.easy_read,
        },
        "language": language,
        "published": publication is not None,
        "published_at": publication.published_at if publication else None,
        "results_expected_on": campaign.results_expected_on,
        "min_cell_size": campaign.min_cell_size,
        "texts": {part: "" for part in TEXT_PARTS},
        "questions": [],
    }
    if publication is None and not preview:
        return results
    feedback = (
        YouthFeedback.objects.filter(campaign=campaign, age_band=age_band)
        .prefetch_related("questions")
        .first()
    )
    if feedback is not None:
        results["texts"] = {part: localized(feedback, part, language) for part in TEXT_PARTS}
    chosen = {question.pk for question in feedback.questions.all()} if feedback else set()
    questions = list(feedback_questions(campaign=campaign, age_band=age_band))
    if chosen:
        questions = [question for question in questions if question.pk in chosen]
    results["questions"] = _question_results(questions, age_band, language)
    return results


def _question_results(
    questions: list[Question], age_band: AgeBand, language: str
) -> list[dict[str, Any]]:
    """The band's results of ``questions``, one snapshot read per survey."""
    by_survey: dict[int, dict[str, dict[str, Any]]] = {}
    output = []
    for question in questions:
        survey: Survey = question.survey
        if survey.pk not in by_survey:
            # Option labels and scale words come from the snapshot in the active language.
            with translation.override(language):
                published = survey_results(survey=survey, by="age_band")
            by_survey[survey.pk] = {entry["key"]: entry for entry in published["questions"]}
        entry = by_survey[survey.pk].get(question.key)
        output.append(_one_question(question, entry, age_band, language))
    return output


def _one_question(
    question: Question,
    entry: dict[str, Any] | None,
    age_band: AgeBand,
    language: str,
) -> dict[str, Any]:
    group = None
    if entry is not None:
        group = next(
            (item for item in entry.get("breakdown", []) if item["key"] == age_band.code), None
        )
    # No group: nobody of the band answered (or no snapshot yet), fewer than k either way.
    suppressed = group is None or group["suppressed"] or group["results"] is None
    n = None if suppressed else group["n"]
    cells = {} if suppressed else {cell["value"]: cell for cell in group["results"]["counts"]}
    labels = entry["results"]["counts"] if entry is not None else []
    emoji = {option.value: option.emoji for option in question.options.all()}
    options = []
    for position, option in enumerate(labels):
        cell = cells.get(option["value"])
        count = None if cell is None else cell["count"]
        options.append(
            {
                "value": option["value"],
                "label": option["label"],
                "emoji": emoji.get(option["value"]) or _face(question, position),
                "count": count,
                "share": round(100 * count / n) if count is not None and n else None,
                "suppressed": count is None,
            }
        )
    return {
        "key": question.key,
        "kind": question.kind,
        "survey": question.survey.slug,
        "text": _question_text(question, age_band, language),
        "n": n,
        "suppressed": suppressed,
        "options": options,
    }


def _question_text(question: Question, age_band: AgeBand, language: str) -> str:
    """The wording the band was asked: easy-read for an easy-read band, when written in the
    language (as surveys.selectors.survey_view words it)."""
    easy = getattr(question, f"easy_text_{language}", "")
    if age_band.easy_read and easy:
        return easy
    return localized(question, "text", language)


def _face(question: Question, position: int) -> str:
    """A scale point's face when no option of the question gives one."""
    if question.kind != QuestionKind.SCALE:
        return ""
    faces = SCALE_FACES.get(question.scale_points or 5, ())
    return faces[position] if position < len(faces) else ""


def youth_results_for_receipt(response: Any, language: str) -> dict[str, Any] | None:
    """The ``results`` of ``GET /api/v1/receipts/{code}/`` (registered in AnalysisConfig.ready):
    the summary and charts of the response's age band in ``language``, or None while the
    campaign has not published them. Plain JSON: dates as ISO 8601 text."""
    survey = response.survey
    results = youth_results(campaign=survey.campaign, age_band=response.age_band, language=language)
    if not results["published"]:
        return None
    published_at: datetime.datetime = results["published_at"]
    return {
        "published_at": published_at.isoformat(),
        "language": results["language"],
        "age_band": results["age_band"]["code"],
        "min_cell_size": results["min_cell_size"],
        **results["texts"],
        "questions": results["questions"],
    }
