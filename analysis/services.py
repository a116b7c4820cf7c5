"""Every write of the analysis app: computing a survey's result snapshot, and queueing that.

A refresh aggregates in SQL with a constant number of queries whatever the size of the survey
(GROUP BY over the answers, once for all questions and all breakdowns, and once for all
cross-tabs), and only the grouped rows reach Python. The snapshot keeps exact counts;
suppression happens when it is read (analysis.selectors).

Snapshot layout (``data``, SNAPSHOT_FORMAT 1)::

    {"format": 1,
     "response_count": N,
     "responses": {"all": N, "by": {<dimension>: {<group key>: count}}},
     "dimensions": {<dimension>: [{"key": str, "label": str}]},
     "questions": [{"key", "kind", "text": {lang: str}, "scale_points",
                    "options": [{"value", "label": {lang: str}}],
                    "all": STATS, "by": {<dimension>: {<group key>: STATS}}}]}

Dimensions are ``age_band`` (keys: band codes), ``organisation`` (organisation ids, "none"
without an invite link), ``language`` and the key of every single-choice question (keys: its
option values). STATS per question kind, ``n`` being the young people who answered it:

- single, multiple: ``{"n", "counts": {value: count}}``
- scale, number: ``{"n", "counts": {value: count}, "mean", "median"}`` (value as text: "3", "2.5")
- ranking: ``{"n", "first": {value: count}, "ranked": {value: count}, "rank_sum": {value: int}}``
- text: ``{"n"}``
"""

from __future__ import annotations

import datetime
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from analysis.models import ResultSnapshot
from config.exceptions import ConflictError
from consultations.models import AgeBand, MemberOrganisation
from surveys.models import (
    OPTION_KINDS,
    Answer,
    Option,
    Question,
    QuestionKind,
    Response,
    Survey,
)

logger = logging.getLogger(__name__)

SNAPSHOT_FORMAT = 1
DIMENSIONS = ("age_band", "organisation", "language")
NO_ORGANISATION = "none"
# Long enough for a refresh of a very large survey; short enough that a worker killed while it
# held the lock delays the next refresh by minutes, not by the task time limit.
LOCK_SECONDS = getattr(settings, "ANALYSIS_REFRESH_LOCK_SECONDS", 5 * 60)
# A burst of submissions within this many seconds leads to one queued refresh.
DEBOUNCE_SECONDS = getattr(settings, "ANALYSIS_REFRESH_DEBOUNCE_SECONDS", 5)

Progress = Callable[[int, int], None]
Stats = dict[str, Any]


class RefreshAlreadyRunning(ConflictError):
    """Another process is computing this survey's snapshot right now."""


def _lock_key(survey_id: int) -> str:
    return f"analysis:refresh-lock:{survey_id}"


def _queued_key(survey_id: int) -> str:
    return f"analysis:refresh-queued:{survey_id}"


# --- Queueing ------------------------------------------------------------------------------------


def survey_results_refresh_schedule(*, survey_id: int) -> bool:
    """Queue a refresh of the survey's snapshot, unless one is already waiting in the queue.

    Debounced: the first change of a burst queues a refresh ``DEBOUNCE_SECONDS`` ahead and
    leaves a mark that lasts as long; further changes in that time add nothing, and the queued
    refresh sees them all, since the task clears the mark before it starts reading. Returns
    whether a refresh was queued. A broker that is down loses nothing: the sweeper re-queues
    every survey whose snapshot is behind.
    """
    from analysis.tasks import survey_results_refresh_task

    key = _queued_key(survey_id)
    try:
        if not cache.add(key, "1", timeout=DEBOUNCE_SECONDS):
            return False
    except Exception:  # a cache that is down must not fail the submission that got us here
        logger.warning("analysis debounce mark unavailable", exc_info=True)
    try:
        survey_results_refresh_task.apply_async((survey_id,), countdown=DEBOUNCE_SECONDS)
    except Exception:
        logger.exception("could not queue the refresh of survey %s; the sweeper will", survey_id)
        try:
            cache.delete(key)
        except Exception:
            logger.warning("analysis debounce mark unavailable", exc_info=True)
        return False
    return True


def survey_results_refresh_unmark(*, survey_id: int) -> None:
    """The queued refresh is starting: changes from now on must queue another one."""
    cache.delete(_queued_key(survey_id))


# --- Refreshing ----------------------------------------------------------------------------------


def survey_results_refresh(*, survey: Survey, progress: Progress | None = None) -> ResultSnapshot:
    """Recompute and store the survey's result snapshot from its non-withdrawn responses.

    Idempotent. Raises RefreshAlreadyRunning when another refresh of the same survey holds
    the lock (a cache entry with a timeout, so that it works with every cache backend and
    frees itself when a worker dies). ``progress(done, total)`` is called after each step.
    """
    key = _lock_key(survey.pk)
    token = uuid.uuid4().hex
    if not cache.add(key, token, timeout=LOCK_SECONDS):
        raise RefreshAlreadyRunning(
            gettext("The results of this survey are being computed right now."), field="survey"
        )
    try:
        return _refresh(survey, progress or (lambda done, total: None))
    finally:
        if cache.get(key) == token:
            cache.delete(key)


_STEPS = 6


def _refresh(survey: Survey, progress: Progress) -> ResultSnapshot:
    started = time.monotonic()
    computed_at = timezone.now()

    questions = list(
        Question.objects.filter(survey_id=survey.pk)
        .order_by("order", "pk")
        .values("id", "key", "kind", "scale_points", "text_nl", "text_fr", "text_en")
    )
    options_of: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for option in (
        Option.objects.filter(question__survey_id=survey.pk)
        .order_by("order", "pk")
        .values("id", "question_id", "value", "label_nl", "label_fr", "label_en")
    ):
        options_of[option["question_id"]].append(option)
    bands = list(
        AgeBand.objects.filter(campaign_id=survey.campaign_id)
        .order_by("order", "min_age")
        .values("id", "code")
    )
    languages = list(survey.campaign.languages)
    progress(1, _STEPS)

    response_rows = _response_groups(survey.pk)
    response_count = sum(row[3] for row in response_rows)
    max_response_id = max((row[4] for row in response_rows), default=None)
    organisations = _organisations(survey, {row[1] for row in response_rows if row[1]})
    progress(2, _STEPS)

    last_id = max_response_id or 0
    answer_rows = _answer_groups(survey.pk, last_id)
    progress(3, _STEPS)
    cross_rows = _cross_groups(survey.pk, last_id)
    progress(4, _STEPS)

    data = _snapshot_data(
        questions=questions,
        options_of=options_of,
        bands=bands,
        organisations=organisations,
        languages=languages,
        response_rows=response_rows,
        answer_rows=answer_rows,
        cross_rows=cross_rows,
    )
    progress(5, _STEPS)
    snapshot, _created = ResultSnapshot.objects.update_or_create(
        survey=survey,
        defaults={
            "data": data,
            "response_count": response_count,
            "max_response_id": max_response_id,
            "computed_at": computed_at,
            "duration": datetime.timedelta(seconds=time.monotonic() - started),
        },
    )
    progress(_STEPS, _STEPS)
    return snapshot


# --- The queries ---------------------------------------------------------------------------------
# Raw SQL where the ORM cannot say it (the self-join of the cross-tabs), and for the others so
# that the grouped rows come back as plain tuples. Responses after ``last_id`` (those committed
# while the refresh runs) are left out, so that every query counts the same responses; the
# sweeper notices them and queues the next refresh.

_TABLES = {
    "answer": Answer._meta.db_table,
    "response": Response._meta.db_table,
    "question": Question._meta.db_table,
}


def _fetch(template: str, params: Iterable[Any]) -> list[tuple]:
    """Rows of ``template`` with the table names filled in; every value goes as a parameter."""
    with connection.cursor() as cursor:
        cursor.execute(template.format(**_TABLES), list(params))
        return cursor.fetchall()


def _response_groups(survey_id: int) -> list[tuple]:
    """(age_band_id, organisation_id, language, count, max id) of the counted responses."""
    return _fetch(
        "SELECT r.age_band_id, r.organisation_id, r.language, COUNT(*), MAX(r.id) "
        "FROM {response} r WHERE r.survey_id = %s AND r.withdrawn_at IS NULL "
        "GROUP BY r.age_band_id, r.organisation_id, r.language",
        [survey_id],
    )


# The counted answers, each with its response's dimensions and ``opens``: 1 on the first row of
# a young person's answer to a question, 0 on the others. Several choices or a ranking make
# several rows per answer; summing ``opens`` counts the young people who answered, without a
# COUNT(DISTINCT ...) per grouping.
_COUNTED_ANSWERS = (
    "SELECT a.response_id, a.question_id, a.option_id, a.rank, a.number_value, "
    "r.age_band_id, r.organisation_id, r.language, "
    "CASE WHEN ROW_NUMBER() OVER (PARTITION BY a.response_id, a.question_id ORDER BY a.id) = 1 "
    "THEN 1 ELSE 0 END AS opens "
    "FROM {answer} a JOIN {response} r ON r.id = a.response_id "
    "WHERE r.survey_id = %s AND r.withdrawn_at IS NULL AND r.id <= %s"
)


def _answer_groups(survey_id: int, last_id: int) -> list[tuple]:
    """(question, option, rank, number, band, organisation, language, rows, young people): every
    question and every dimension at once; the dimensions are summed up in Python."""
    return _fetch(
        "SELECT t.question_id, t.option_id, t.rank, t.number_value, "
        "t.age_band_id, t.organisation_id, t.language, COUNT(*), SUM(t.opens) "
        "FROM (" + _COUNTED_ANSWERS + ") t "
        "GROUP BY t.question_id, t.option_id, t.rank, t.number_value, "
        "t.age_band_id, t.organisation_id, t.language",
        [survey_id, last_id],
    )


def _cross_groups(survey_id: int, last_id: int) -> list[tuple]:
    """(by question, by option, question, option, rank, number, rows, young people): every
    question crossed with every single-choice question, in one join."""
    return _fetch(
        "SELECT b.question_id, b.option_id, t.question_id, t.option_id, t.rank, "
        "t.number_value, COUNT(*), SUM(t.opens) "
        "FROM (" + _COUNTED_ANSWERS + ") t "
        "JOIN {answer} b ON b.response_id = t.response_id "
        "JOIN {question} bq ON bq.id = b.question_id AND bq.kind = %s "
        "GROUP BY b.question_id, b.option_id, t.question_id, t.option_id, t.rank, "
        "t.number_value",
        [survey_id, last_id, QuestionKind.SINGLE.value],
    )


def _organisations(survey: Survey, seen_ids: set[int]) -> list[dict[str, Any]]:
    """The campaign's member organisations and any other that responses came through."""
    return list(
        MemberOrganisation.objects.filter(Q(campaigns=survey.campaign_id) | Q(pk__in=seen_ids))
        .distinct()
        .order_by("name", "pk")
        .values("id", "name")
    )


# --- Turning grouped rows into the snapshot ------------------------------------------------------


def number_key(value: Any) -> str:
    """A stored number as a stable text key: 3 → "3", 2.50 → "2.5" (floats come from SQLite)."""
    number = Decimal(str(value)).quantize(Decimal("0.01"))
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def distribution_mean(counts: dict[str, int]) -> float | None:
    n = sum(counts.values())
    if not n:
        return None
    return float(sum(Decimal(value) * count for value, count in counts.items()) / n)


def distribution_median(counts: dict[str, int]) -> float | None:
    """The median of the values a distribution (value → count) holds, without the raw rows."""
    n = sum(counts.values())
    if not n:
        return None
    ordered = sorted(((Decimal(value), count) for value, count in counts.items() if count))
    lower_position, upper_position = (n + 1) // 2, n // 2 + 1  # 1-based; equal when n is odd
    seen, lower, upper = 0, None, None
    for value, count in ordered:
        seen += count
        if lower is None and seen >= lower_position:
            lower = value
        if seen >= upper_position:
            upper = value
            break
    return float((lower + upper) / 2)


def _labels(row: dict[str, Any], prefix: str) -> dict[str, str]:
    return {code: row.get(f"{prefix}_{code}") or "" for code in ("nl", "fr", "en")}


class _Builder:
    """Accumulates STATS per question and group; kind decides which numbers a group keeps."""

    def __init__(self, questions: list[dict[str, Any]], options_of: dict[int, list[dict]]):
        self.questions = {question["id"]: question for question in questions}
        self.option_values = {
            option["id"]: option["value"] for options in options_of.values() for option in options
        }
        self.options_of = options_of
        self.stats: dict[int, dict[tuple[str, str], Stats]] = {q["id"]: {} for q in questions}

    def empty(self, question_id: int) -> Stats:
        question = self.questions[question_id]
        kind = question["kind"]
        values = [option["value"] for option in self.options_of.get(question_id, [])]
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            return {"n": 0, "counts": dict.fromkeys(values, 0)}
        if kind == QuestionKind.RANKING:
            return {
                "n": 0,
                "first": dict.fromkeys(values, 0),
                "ranked": dict.fromkeys(values, 0),
                "rank_sum": dict.fromkeys(values, 0),
            }
        if kind == QuestionKind.SCALE:
            points = question["scale_points"] or 5
            return {"n": 0, "counts": {str(point): 0 for point in range(1, points + 1)}}
        if kind == QuestionKind.NUMBER:
            return {"n": 0, "counts": {}}
        return {"n": 0}

    def group(self, question_id: int, group: tuple[str, str]) -> Stats:
        groups = self.stats[question_id]
        if group not in groups:
            groups[group] = self.empty(question_id)
        return groups[group]

    def add(
        self,
        groups: Iterable[tuple[str, str]],
        question_id: int,
        option_id: int | None,
        rank: int | None,
        number: Any,
        rows: int,
        people: int,
    ) -> None:
        """``rows`` answer rows with these values; ``people`` of them open a young person's
        answer (see _COUNTED_ANSWERS), so ``n`` is their sum."""
        question = self.questions.get(question_id)
        if question is None:  # a question added while the refresh ran
            return
        kind = question["kind"]
        value = (
            self.option_values.get(option_id)
            if kind in OPTION_KINDS
            else number_key(number)
            if kind in (QuestionKind.SCALE, QuestionKind.NUMBER) and number is not None
            else None
        )
        for group in groups:
            stats = self.group(question_id, group)
            stats["n"] += people
            if value is None:
                continue
            if kind == QuestionKind.RANKING:
                if rank is None:
                    continue
                stats["ranked"][value] = stats["ranked"].get(value, 0) + rows
                stats["rank_sum"][value] = stats["rank_sum"].get(value, 0) + rank * rows
                if rank == 1:
                    stats["first"][value] = stats["first"].get(value, 0) + rows
            elif kind != QuestionKind.TEXT:
                stats["counts"][value] = stats["counts"].get(value, 0) + rows

    def finished(self, question_id: int, group: tuple[str, str]) -> Stats:
        stats = self.group(question_id, group)
        if self.questions[question_id]["kind"] in (QuestionKind.SCALE, QuestionKind.NUMBER):
            if self.questions[question_id]["kind"] == QuestionKind.NUMBER:
                stats["counts"] = dict(
                    sorted(stats["counts"].items(), key=lambda item: Decimal(item[0]))
                )
            stats["mean"] = distribution_mean(stats["counts"])
            stats["median"] = distribution_median(stats["counts"])
        return stats


def _snapshot_data(
    *,
    questions: list[dict[str, Any]],
    options_of: dict[int, list[dict[str, Any]]],
    bands: list[dict[str, Any]],
    organisations: list[dict[str, Any]],
    languages: list[str],
    response_rows: list[tuple],
    answer_rows: list[tuple],
    cross_rows: list[tuple],
) -> dict[str, Any]:
    band_code = {band["id"]: band["code"] for band in bands}
    single_keys = {q["id"]: q["key"] for q in questions if q["kind"] == QuestionKind.SINGLE}
    builder = _Builder(questions, options_of)

    def org_key(organisation_id: int | None) -> str:
        return str(organisation_id) if organisation_id else NO_ORGANISATION

    def dimension_groups(band_id: int, organisation_id: int | None, language: str):
        return (
            ("", ""),
            ("age_band", band_code.get(band_id, str(band_id))),
            ("organisation", org_key(organisation_id)),
            ("language", language),
        )

    responses_by: dict[str, dict[str, int]] = {name: defaultdict(int) for name in DIMENSIONS}
    for band_id, organisation_id, language, count, _max_id in response_rows:
        for name, key in dimension_groups(band_id, organisation_id, language)[1:]:
            responses_by[name][key] += count

    for (
        question_id,
        option_id,
        rank,
        number,
        band_id,
        org_id,
        language,
        rows,
        people,
    ) in answer_rows:
        groups = dimension_groups(band_id, org_id, language)
        builder.add(groups, question_id, option_id, rank, number, rows, people)
    for by_question, by_option, question_id, option_id, rank, number, rows, people in cross_rows:
        if by_question in single_keys and by_option in builder.option_values:
            group = (single_keys[by_question], builder.option_values[by_option])
            builder.add((group,), question_id, option_id, rank, number, rows, people)

    dimension_keys: dict[str, list[str]] = {
        "age_band": [band["code"] for band in bands],
        "organisation": [str(org["id"]) for org in organisations]
        + ([NO_ORGANISATION] if responses_by["organisation"].get(NO_ORGANISATION) else []),
        "language": list(dict.fromkeys([*languages, *sorted(responses_by["language"])])),
    }
    for question in questions:
        if question["kind"] == QuestionKind.SINGLE:
            dimension_keys[question["key"]] = [
                option["value"] for option in options_of.get(question["id"], [])
            ]

    # Labels as plain text: band codes, organisation names, language codes (the selector
    # names languages in the reader's language).
    org_names = {str(org["id"]): org["name"] for org in organisations}
    dimensions = {
        "age_band": [{"key": code, "label": code} for code in dimension_keys["age_band"]],
        "organisation": [
            {"key": key, "label": org_names.get(key, "")} for key in dimension_keys["organisation"]
        ],
        "language": [{"key": code, "label": code} for code in dimension_keys["language"]],
    }

    question_data = []
    for question in questions:
        question_id = question["id"]
        by: dict[str, dict[str, Stats]] = {}
        for name, keys in dimension_keys.items():
            by[name] = {key: builder.finished(question_id, (name, key)) for key in keys}
        question_data.append(
            {
                "key": question["key"],
                "kind": question["kind"],
                "text": _labels(question, "text"),
                "scale_points": question["scale_points"],
                "options": [
                    {"value": option["value"], "label": _labels(option, "label")}
                    for option in options_of.get(question_id, [])
                ],
                "all": builder.finished(question_id, ("", "")),
                "by": by,
            }
        )

    response_count = sum(row[3] for row in response_rows)
    by_responses: dict[str, dict[str, int]] = {
        name: {key: responses_by[name].get(key, 0) for key in dimension_keys[name]}
        for name in DIMENSIONS
    }
    for question in question_data:
        if question["kind"] == QuestionKind.SINGLE:
            by_responses[question["key"]] = dict(question["all"]["counts"])
    return {
        "format": SNAPSHOT_FORMAT,
        "response_count": response_count,
        "responses": {"all": response_count, "by": by_responses},
        "dimensions": dimensions,
        "questions": question_data,
    }


def stale_snapshots_requeue() -> int:
    """Queue a (debounced) refresh of every survey whose snapshot is behind; how many were."""
    from analysis.selectors import survey_ids_with_stale_snapshot

    return sum(
        survey_results_refresh_schedule(survey_id=survey_id)
        for survey_id in survey_ids_with_stale_snapshot()
    )
