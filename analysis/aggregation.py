"""The counting behind a survey's result snapshot (analysis.services.survey_results_refresh).

A refresh aggregates in SQL with a constant number of queries whatever the size of the survey,
and only grouped rows reach Python: on PostgreSQL one statement counts every question in every
group at once (see "Counting answers: PostgreSQL"); on other databases (SQLite in development)
two portable GROUP BYs do, the second a self-join of the answers for the cross-tabs. The
snapshot keeps exact counts; suppression happens when it is read (analysis.selectors).

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

from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Q

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

SNAPSHOT_FORMAT = 1
DIMENSIONS = ("age_band", "organisation", "language")
NO_ORGANISATION = "none"

Progress = Callable[[int, int], None]
Stats = dict[str, Any]


STEPS = 5


def survey_aggregates(survey: Survey, progress: Progress) -> tuple[dict[str, Any], int, int | None]:
    """The snapshot ``data`` of ``survey`` as its counted responses are now, with how many
    responses it counts and the highest of their ids. Reads only; reports steps 1 to 4 of
    ``STEPS`` to ``progress``."""
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
    progress(1, STEPS)

    response_rows = _response_groups(survey.pk)
    response_count = sum(row[3] for row in response_rows)
    max_response_id = max((row[4] for row in response_rows), default=None)
    organisations = _organisations(survey, {row[1] for row in response_rows if row[1]})
    progress(2, STEPS)

    dimensions = _Dimensions(
        bands=bands,
        organisations=organisations,
        languages=languages,
        response_rows=response_rows,
    )
    builder = _Builder(questions, options_of)
    count_answers = (
        _count_answers_postgresql if connection.vendor == "postgresql" else _count_answers_portable
    )
    count_answers(
        builder,
        survey_id=survey.pk,
        first_id=min((row[5] for row in response_rows), default=0),
        last_id=max_response_id or 0,
        dimensions=dimensions,
    )
    progress(3, STEPS)

    data = _snapshot_data(
        questions=questions,
        options_of=options_of,
        bands=bands,
        organisations=organisations,
        languages=languages,
        response_rows=response_rows,
        dimensions=dimensions,
        builder=builder,
    )
    progress(4, STEPS)
    return data, response_count, max_response_id


# --- Groups --------------------------------------------------------------------------------------

Group = tuple[str, str]  # (dimension, group key); ("", "") is everyone
EVERYONE: Group = ("", "")


class _Dimensions:
    """The age band, organisation and language a response belongs to, by what it stores: its age
    band id, its organisation id (None without an invite link) and its language code."""

    def __init__(
        self,
        *,
        bands: list[dict[str, Any]],
        organisations: list[dict[str, Any]],
        languages: list[str],
        response_rows: list[tuple],
    ):
        self.band_code = {band["id"]: band["code"] for band in bands}
        # Every stored value the counted responses may have: the campaign's and those seen.
        self.band_ids = list(dict.fromkeys([*self.band_code, *(row[0] for row in response_rows)]))
        self.organisation_ids = [None, *(org["id"] for org in organisations)]
        self.languages = list(dict.fromkeys([*languages, *(row[2] for row in response_rows)]))

    def age_band(self, band_id: int) -> Group:
        return ("age_band", self.band_code.get(band_id, str(band_id)))

    @staticmethod
    def organisation(organisation_id: int | None) -> Group:
        return ("organisation", str(organisation_id) if organisation_id else NO_ORGANISATION)

    @staticmethod
    def language(language: str) -> Group:
        return ("language", language)

    def of_response(
        self, band_id: int, organisation_id: int | None, language: str
    ) -> tuple[Group, Group, Group]:
        return (self.age_band(band_id), self.organisation(organisation_id), self.language(language))


# --- The queries ---------------------------------------------------------------------------------
# Raw SQL, so that the grouped rows come back as plain tuples. Only responses with ids from
# ``first_id`` to ``last_id``, the lowest and highest counted when the refresh starts, are read:
# those committed while it runs are left out, so that every query counts the same responses (the
# sweeper notices them and queues the next refresh), and the answers of other surveys' responses
# are skipped through the index on the answers' response id.

_TABLES = {
    "answer": Answer._meta.db_table,
    "response": Response._meta.db_table,
    "question": Question._meta.db_table,
}


def _fetch(template: str, params: list[Any] | dict[str, Any], **parts: str) -> list[tuple]:
    """Rows of ``template`` with the table names (and ``parts``) filled in; every value goes as a
    parameter."""
    with connection.cursor() as cursor:
        cursor.execute(template.format(**_TABLES, **parts), params)
        return cursor.fetchall()


def _response_groups(survey_id: int) -> list[tuple]:
    """(age_band_id, organisation_id, language, count, max id, min id) of the counted
    responses."""
    return _fetch(
        "SELECT r.age_band_id, r.organisation_id, r.language, COUNT(*), MAX(r.id), MIN(r.id) "
        "FROM {response} r WHERE r.survey_id = %s AND r.withdrawn_at IS NULL "
        "GROUP BY r.age_band_id, r.organisation_id, r.language",
        [survey_id],
    )


def _organisations(survey: Survey, seen_ids: set[int]) -> list[dict[str, Any]]:
    """The campaign's member organisations and any other that responses came through."""
    return list(
        MemberOrganisation.objects.filter(Q(campaigns=survey.campaign_id) | Q(pk__in=seen_ids))
        .distinct()
        .order_by("name", "pk")
        .values("id", "name")
    )


# Questions of these kinds store a row per chosen option; the others one row per answer.
_ROWS_PER_OPTION = (QuestionKind.MULTIPLE, QuestionKind.RANKING)


# --- Counting answers: every database ------------------------------------------------------------

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
    "WHERE r.survey_id = %s AND r.withdrawn_at IS NULL AND r.id BETWEEN %s AND %s"
)


def _count_answers_portable(
    builder: _Builder, *, survey_id: int, first_id: int, last_id: int, dimensions: _Dimensions
) -> None:
    """Two GROUP BYs in SQL that any database runs: every question by every dimension of the
    responses (summed up here), and every question crossed with every single-choice question
    (a self-join of the answers)."""
    for question_id, option_id, rank, number, band_id, org_id, language, rows, people in _fetch(
        "SELECT t.question_id, t.option_id, t.rank, t.number_value, "
        "t.age_band_id, t.organisation_id, t.language, COUNT(*), SUM(t.opens) "
        "FROM (" + _COUNTED_ANSWERS + ") t "
        "GROUP BY t.question_id, t.option_id, t.rank, t.number_value, "
        "t.age_band_id, t.organisation_id, t.language",
        [survey_id, first_id, last_id],
    ):
        counts = [
            (group, rows, people) for group in dimensions.of_response(band_id, org_id, language)
        ]
        builder.add(question_id, option_id, rank, number, [(EVERYONE, rows, people), *counts])

    for by_question, by_option, question_id, option_id, rank, number, rows, people in _fetch(
        "SELECT b.question_id, b.option_id, t.question_id, t.option_id, t.rank, "
        "t.number_value, COUNT(*), SUM(t.opens) "
        "FROM (" + _COUNTED_ANSWERS + ") t "
        "JOIN {answer} b ON b.response_id = t.response_id "
        "JOIN {question} bq ON bq.id = b.question_id AND bq.kind = %s "
        "GROUP BY b.question_id, b.option_id, t.question_id, t.option_id, t.rank, "
        "t.number_value",
        [survey_id, first_id, last_id, QuestionKind.SINGLE.value],
    ):
        group = builder.single_choice_group(by_question, by_option)
        if group is not None:
            builder.add(question_id, option_id, rank, number, [(group, rows, people)])


# --- Counting answers: PostgreSQL ----------------------------------------------------------------
# The cross-tabs by every single-choice question are the costly part. As a join, every answer row
# meets every single-choice answer of its response: some six times as many rows as there are
# answers, each grouped on six columns. Instead:
#
# 1. ``respondent``: a row per counted response with ``groups``, one number that holds every
#    group the response belongs to (its age band, organisation and language, and its option of
#    every single-choice question) as a decimal field ``width`` digits wide:
#
#        groups = Σ 10^(width · position of the group)
#
#    and ``answered``, a bit per multiple-choice or ranking question that it answered.
# 2. Every answer row joined to its respondent and grouped by answer value: COUNT(*) counts the
#    value overall and SUM(groups) in every group at once, field i of the sum being the count in
#    group i. A field cannot run into the next: it counts at most one row per response, and the
#    counted responses have ids from ``first_id`` to ``last_id``, no more than a number of
#    ``width`` digits.
# 3. The young people who answered a question with a row per chosen option (``n``) are counted
#    from ``answered``, in the same way.
#
# Each answer row then costs one join and one addition, whatever the number of groups.

_POSTGRESQL_COUNTS = """
WITH respondent AS MATERIALIZED (
    SELECT r.id,
        COALESCE(band.weight, 0) + COALESCE(organisation.weight, 0)
        + COALESCE(language.weight, 0) + COALESCE(chosen.weight, 0) AS groups,
        chosen.answered
    FROM {response} r
    LEFT JOIN (VALUES {band_weights}) band(key, weight) ON band.key = r.age_band_id
    LEFT JOIN (VALUES {organisation_weights}) organisation(key, weight)
        ON organisation.key = COALESCE(r.organisation_id, 0)
    LEFT JOIN (VALUES {language_weights}) language(key, weight) ON language.key = r.language
    LEFT JOIN (
        SELECT a.response_id, SUM(o.weight) AS weight, bit_or(o.question) AS answered
        FROM {answer} a
        JOIN (VALUES {option_weights}) o(key, weight, question) ON o.key = a.option_id
        WHERE a.response_id BETWEEN %(first_id)s AND %(last_id)s
        GROUP BY a.response_id
    ) chosen ON chosen.response_id = r.id
    WHERE r.survey_id = %(survey_id)s AND r.withdrawn_at IS NULL
        AND r.id BETWEEN %(first_id)s AND %(last_id)s
)
SELECT FALSE, a.question_id, a.option_id, a.rank, a.number_value, COUNT(*), SUM(p.groups)
FROM {answer} a JOIN respondent p ON p.id = a.response_id
WHERE a.response_id BETWEEN %(first_id)s AND %(last_id)s
GROUP BY a.question_id, a.option_id, a.rank, a.number_value
UNION ALL
SELECT TRUE, q.question_id, NULL, NULL, NULL, SUM(p.responses), SUM(p.groups)
FROM (
    SELECT answered, COUNT(*) AS responses, SUM(groups) AS groups
    FROM respondent WHERE answered IS NOT NULL GROUP BY answered
) p
JOIN (VALUES {answered_bits}) q(question_id, bit) ON get_bit(p.answered, q.bit) = 1
GROUP BY q.question_id
"""


def _values(name: str, types: tuple[str, ...], rows: list[tuple]) -> tuple[str, dict[str, Any]]:
    """The rows of a VALUES list with typed columns, and its parameters (named after ``name``).
    A VALUES list cannot be empty: no rows give a single row of NULLs, which joins nothing."""
    if not rows:
        return "(" + ", ".join(f"NULL::{type_}" for type_ in types) + ")", {}
    params = {f"{name}_{i}_{j}": value for i, row in enumerate(rows) for j, value in enumerate(row)}
    rows_sql = (
        "(" + ", ".join(f"%({name}_{i}_{j})s::{type_}" for j, type_ in enumerate(types)) + ")"
        for i in range(len(rows))
    )
    return ", ".join(rows_sql), params


def _count_answers_postgresql(
    builder: _Builder, *, survey_id: int, first_id: int, last_id: int, dimensions: _Dimensions
) -> None:
    """Every question by every group, in one statement (see above)."""
    # A count is at most one per counted response, and their ids are from first_id to last_id.
    width = len(str(last_id - first_id + 1))
    fields: list[Group] = []  # the group of each field of ``groups``, lowest first

    def weight(group: Group) -> int:
        fields.append(group)
        return 10 ** (width * (len(fields) - 1))

    bands = [(band_id, weight(dimensions.age_band(band_id))) for band_id in dimensions.band_ids]
    organisations = [
        (org_id or 0, weight(dimensions.organisation(org_id)))
        for org_id in dimensions.organisation_ids
    ]
    languages = [(code, weight(dimensions.language(code))) for code in dimensions.languages]
    several = [q["id"] for q in builder.questions.values() if q["kind"] in _ROWS_PER_OPTION]
    options: list[tuple[int, int | None, str | None]] = []  # (option id, weight, answered bit)
    for question in builder.questions.values():
        for option in builder.options_of.get(question["id"], []):
            if question["kind"] == QuestionKind.SINGLE:
                options.append((option["id"], weight((question["key"], option["value"])), None))
            elif question["kind"] in _ROWS_PER_OPTION:
                bits = ["0"] * len(several)
                bits[several.index(question["id"])] = "1"
                options.append((option["id"], None, "".join(bits)))

    parts: dict[str, str] = {}
    params: dict[str, Any] = {"survey_id": survey_id, "first_id": first_id, "last_id": last_id}
    for name, types, rows in (
        ("band_weights", ("bigint", "numeric"), bands),
        ("organisation_weights", ("bigint", "numeric"), organisations),
        ("language_weights", ("text", "numeric"), languages),
        ("option_weights", ("bigint", "numeric", "varbit"), options),
    ):
        parts[name], values = _values(name, types, rows)
        params.update(values)
    parts["answered_bits"], values = _values(
        "answered_bits",
        ("bigint", "int"),
        [(question_id, bit) for bit, question_id in enumerate(several)],
    )
    params.update(values)

    with transaction.atomic(savepoint=False):
        # Compiling this statement just in time costs more than it saves (measured at 100k
        # responses: 1.9 s with, 1.3 s without).
        _fetch("SELECT set_config('jit', 'off', true)", [])
        rows = _fetch(_POSTGRESQL_COUNTS, params, **parts)

    for answered, question_id, option_id, rank, number, count, summed in rows:
        count, digits = int(count), str(int(summed))
        in_groups = [
            (fields[position], int(digits[max(end - width, 0) : end]))
            for position, end in enumerate(range(len(digits), 0, -width))
        ]
        if answered:  # the young people who answered a question with a row per chosen option
            counts = [(EVERYONE, 0, count)] + [(group, 0, n) for group, n in in_groups if n]
            builder.add(question_id, None, None, None, counts)
            continue
        # Every row of the other kinds is one young person's answer.
        one_row = builder.questions.get(question_id, {}).get("kind") not in _ROWS_PER_OPTION
        counts = [(EVERYONE, count, count if one_row else 0)] + [
            (group, n, n if one_row else 0) for group, n in in_groups if n
        ]
        builder.add(question_id, option_id, rank, number, counts)


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
        self.stats: dict[int, dict[Group, Stats]] = {q["id"]: {} for q in questions}

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

    def group(self, question_id: int, group: Group) -> Stats:
        groups = self.stats[question_id]
        if group not in groups:
            groups[group] = self.empty(question_id)
        return groups[group]

    def single_choice_group(self, question_id: int, option_id: int | None) -> Group | None:
        """The cross-tab group of an answer to a single-choice question, if it is one."""
        question = self.questions.get(question_id)
        if question is None or question["kind"] != QuestionKind.SINGLE:
            return None
        value = self.option_values.get(option_id)
        return None if value is None else (question["key"], value)

    def add(
        self,
        question_id: int,
        option_id: int | None,
        rank: int | None,
        number: Any,
        counts: Iterable[tuple[Group, int, int]],
    ) -> None:
        """Answer rows with these values: (group, rows, people) for each group they count in;
        ``people`` of the rows open a young person's answer, so ``n`` is their sum."""
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
        for group, rows, people in counts:
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

    def finished(self, question_id: int, group: Group) -> Stats:
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
    dimensions: _Dimensions,
    builder: _Builder,
) -> dict[str, Any]:
    responses_by: dict[str, dict[str, int]] = {name: defaultdict(int) for name in DIMENSIONS}
    for band_id, organisation_id, language, count, *_ids in response_rows:
        for name, key in dimensions.of_response(band_id, organisation_id, language):
            responses_by[name][key] += count

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
                "all": builder.finished(question_id, EVERYONE),
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
