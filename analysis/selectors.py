"""Reads of the analysis app."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Max
from django.utils.translation import get_language, gettext

from analysis.aggregation import DIMENSIONS
from analysis.models import ResultSnapshot
from analysis.suppression import Cell, SuppressedGroup, protect_rows, suppress_group
from config.exceptions import InvalidInputError
from surveys.models import Question, QuestionKind, Response, Survey
from surveys.selectors import SCALE_WORDS


def survey_ids_with_stale_snapshot() -> list[int]:
    """Surveys whose snapshot does not describe their responses as they are now: none yet, or
    another number of counted responses or another highest response id (a withdrawal changes
    the count; counts and ids, not clocks, so a skewed clock cannot hide a change)."""
    current = {
        row["survey_id"]: (row["count"], row["max_id"])
        for row in Response.objects.filter(withdrawn_at__isnull=True)
        .values("survey_id")
        .annotate(count=Count("id"), max_id=Max("id"))
        .order_by()
    }
    stored = {
        row["survey_id"]: (row["response_count"], row["max_response_id"])
        for row in ResultSnapshot.objects.values("survey_id", "response_count", "max_response_id")
    }
    stale = [
        survey_id for survey_id, numbers in current.items() if numbers != stored.get(survey_id)
    ]
    # Every response of a survey withdrawn since its snapshot: the survey is no longer counted.
    stale += [
        survey_id
        for survey_id, (count, _max_id) in stored.items()
        if count and survey_id not in current
    ]
    return sorted(stale)


HIDDEN = Cell(None, True)

# --- Results for output --------------------------------------------------------------------------


def _in_language(texts: Mapping[str, str], fallback: str = "") -> str:
    """The text in the active language, else Dutch, else any language that has one."""
    wanted = (get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()
    for code in dict.fromkeys([wanted, settings.LANGUAGE_CODE, *texts]):
        if texts.get(code):
            return texts[code]
    return fallback


def results_dimensions(*, survey: Survey) -> list[str]:
    """What results can be broken down by: age band, organisation, language and the key of
    every single-choice question of the survey."""
    keys = Question.objects.filter(survey_id=survey.pk, kind=QuestionKind.SINGLE).order_by(
        "order", "pk"
    )
    return [*DIMENSIONS, *keys.values_list("key", flat=True)]


def survey_results(*, survey: Survey, by: str | None = None) -> dict[str, Any]:
    """The survey's latest result snapshot, ready to publish to staff (DESIGN §6).

    Reads the snapshot only, and passes every count through analysis.suppression with the
    campaign's current ``min_cell_size``. ``computed_at`` is None (and there are no questions)
    while no snapshot exists. Raises InvalidInputError naming ``by`` for an unknown dimension.
    """
    if by is not None and by not in results_dimensions(survey=survey):
        raise InvalidInputError(
            gettext(
                "Results cannot be broken down by '%(by)s': choose age_band, organisation, "
                "language or the key of a single-choice question."
            )
            % {"by": by[:60]},
            field="by",
        )
    k = survey.campaign.min_cell_size
    snapshot = ResultSnapshot.objects.filter(survey_id=survey.pk).first()
    results: dict[str, Any] = {
        "survey": survey.slug,
        "computed_at": snapshot.computed_at if snapshot else None,
        "min_cell_size": k,
        "by": by,
        "response_count": snapshot.response_count if snapshot else 0,
        "questions": [],
    }
    if snapshot is None:
        if by is not None:
            results["groups"] = []
        return results

    data = snapshot.data
    labels = _group_labels(data, by)  # in the dimension's order (JSON objects keep none)
    if by is not None:
        counts = data["responses"]["by"].get(by, {})
        row = suppress_group(
            {key: counts.get(key, 0) for key in labels},
            total=data["response_count"],
            k=k,
            exact_total=True,
        )
        results["groups"] = [
            {
                "key": key,
                "label": labels.get(key, key),
                "n": cell.value,
                "suppressed": cell.suppressed,
            }
            for key, cell in row.cells.items()
        ]
    for question in data["questions"]:
        results["questions"].append(_question_results(question, by=by, k=k, labels=labels))
    return results


def _group_labels(data: dict[str, Any], by: str | None) -> dict[str, str]:
    """{group key: label} of the ``by`` dimension, in its order."""
    if by is None:
        return {}
    if by == "language":
        names = dict(settings.LANGUAGES)
        return {
            group["key"]: str(names.get(group["key"], group["key"]))
            for group in data["dimensions"]["language"]
        }
    if by in DIMENSIONS:
        return {group["key"]: group["label"] for group in data["dimensions"][by]}
    question = next((q for q in data["questions"] if q["key"] == by), None)
    if question is None:
        return {}
    return {
        option["value"]: _in_language(option["label"], option["value"])
        for option in question["options"]
    }


def _option_labels(question: dict[str, Any]) -> dict[str, str]:
    """{value: label} of the question's options (scale: its points), in their order."""
    labels = {
        option["value"]: _in_language(option["label"], option["value"])
        for option in question["options"]
    }
    if question["kind"] == QuestionKind.SCALE:
        points = question["scale_points"] or 5
        language = (get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()
        words = SCALE_WORDS[points].get(language) or SCALE_WORDS[points][settings.LANGUAGE_CODE]
        labels = {
            str(point): labels.get(str(point), words[point - 1]) for point in range(1, points + 1)
        }
    return labels


def _question_results(
    question: dict[str, Any], *, by: str | None, k: int, labels: dict[str, str]
) -> dict[str, Any]:
    option_labels = _option_labels(question)
    overall = question["all"]
    output: dict[str, Any] = {
        "key": question["key"],
        "kind": question["kind"],
        "text": _in_language(question["text"], question["key"]),
        "n": overall["n"],
        "results": _stats(question["kind"], overall, k=k, labels=option_labels, overall=True),
    }
    if by is None:
        return output
    stored = question["by"].get(by, {})
    groups = {key: stored[key] for key in labels if key in stored}
    # The groups' sizes are a breakdown of the question's n themselves: a small group is hidden
    # with enough others that its size cannot be worked out from n and the rest.
    sizes = suppress_group(
        {key: stats["n"] for key, stats in groups.items()},
        total=overall["n"],
        k=k,
        exact_total=True,
    )
    hidden_groups = {
        key for key, stats in groups.items() if sizes.cells[key].suppressed or stats["n"] < k
    }
    protected = _protected_breakdown(
        question, groups, hidden_groups=hidden_groups, k=k, labels=option_labels
    )
    breakdown = []
    for key, stats in groups.items():
        size = sizes.cells[key]
        hidden = key in hidden_groups
        breakdown.append(
            {
                "key": key,
                "label": labels.get(key, key),
                "n": size.value,
                "suppressed": hidden,
                "results": None
                if hidden
                else _stats(
                    question["kind"],
                    stats,
                    k=k,
                    labels=option_labels,
                    overall=False,
                    protected=protected.get(key),
                ),
            }
        )
    output["breakdown"] = breakdown
    return output


# What each kind of question publishes per option: the cells of its breakdown's tables.
_MEASURES = {
    QuestionKind.SINGLE: ("counts",),
    QuestionKind.MULTIPLE: ("counts",),
    QuestionKind.SCALE: ("counts",),
    QuestionKind.NUMBER: ("counts",),
    QuestionKind.RANKING: ("first", "ranked"),
}


def _protected_breakdown(
    question: dict[str, Any],
    groups: dict[str, dict[str, Any]],
    *,
    hidden_groups: set[str],
    k: int,
    labels: dict[str, str],
) -> dict[str, dict[str, SuppressedGroup]]:
    """Per group and measure, its cells as they may be published once the breakdown is read as
    a table whose row totals are the overall cells (analysis.suppression.protect_rows): a
    hidden cell cannot be worked out from the overall count and the other groups' cells."""
    overall = question["all"]
    protected: dict[str, dict[str, SuppressedGroup]] = {key: {} for key in groups}
    for measure in _MEASURES.get(question["kind"], ()):
        rows = _in_order(overall[measure], labels)
        overall_group = suppress_group(rows, total=overall["n"], k=k, exact_total=True)
        counts = {key: dict.fromkeys(rows, 0) | stats[measure] for key, stats in groups.items()}
        columns = {
            key: SuppressedGroup(n=None, suppressed=True, cells={row: HIDDEN for row in rows})
            if key in hidden_groups
            else suppress_group(
                {row: counts[key].get(row, 0) for row in rows}, total=stats["n"], k=k
            )
            for key, stats in groups.items()
        }
        for key, group in protect_rows(columns, counts, overall=overall_group, k=k).items():
            protected[key][measure] = group
    return protected


def _in_order(counts: dict[str, int], labels: dict[str, str]) -> dict[str, int]:
    """Options in their order, then any other value (numbers) in numeric order."""
    ordered = {value: counts.get(value, 0) for value in labels}
    for value in sorted((v for v in counts if v not in labels), key=Decimal):
        ordered[value] = counts[value]
    return ordered


def _cells(
    counts: dict[str, int],
    *,
    n: int,
    k: int,
    labels: dict[str, str],
    overall: bool,
    protected: SuppressedGroup | None = None,
) -> list[dict[str, Any]]:
    group = suppress_group(_in_order(counts, labels), total=n, k=k, exact_total=overall)
    if protected is not None:
        # The breakdown's table may hide more: a cell hidden there stays hidden here.
        group = SuppressedGroup(
            n=group.n,
            suppressed=group.suppressed,
            cells={
                value: HIDDEN
                if value in protected.cells and protected.cells[value].suppressed
                else cell
                for value, cell in group.cells.items()
            },
        )
    return [
        {
            "value": value,
            "label": labels.get(value, value),
            "count": cell.value,
            "suppressed": cell.suppressed,
        }
        for value, cell in group.cells.items()
    ]


def _stats(
    kind: str,
    stats: dict[str, Any],
    *,
    k: int,
    labels: dict[str, str],
    overall: bool,
    protected: dict[str, SuppressedGroup] | None = None,
) -> dict[str, Any]:
    n = stats["n"]
    protected = protected or {}
    if kind == QuestionKind.TEXT:
        return {}
    if kind == QuestionKind.RANKING:
        ranked_cells = _cells(
            stats["ranked"],
            n=n,
            k=k,
            labels=labels,
            overall=overall,
            protected=protected.get("ranked"),
        )
        ranked = SuppressedGroup(
            n=n,
            suppressed=False,
            cells={cell["value"]: Cell(cell["count"], cell["suppressed"]) for cell in ranked_cells},
        )
        mean_rank = []
        for value, cell in ranked.cells.items():
            count = stats["ranked"][value]
            mean_rank.append(
                {
                    "value": value,
                    "label": labels.get(value, value),
                    "ranked": cell.value,
                    "mean_rank": None
                    if cell.suppressed or not count
                    else stats["rank_sum"][value] / count,
                    "suppressed": cell.suppressed,
                }
            )
        return {
            "first_choice": _cells(
                stats["first"],
                n=n,
                k=k,
                labels=labels,
                overall=overall,
                protected=protected.get("first"),
            ),
            "mean_rank": mean_rank,
        }
    output: dict[str, Any] = {
        "counts": _cells(
            stats["counts"],
            n=n,
            k=k,
            labels=labels,
            overall=overall,
            protected=protected.get("counts"),
        )
    }
    if kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
        # A mean or median of fewer than k answers would describe a few young people.
        output["mean"] = stats["mean"] if n >= k else None
        output["median"] = stats["median"] if n >= k else None
    return output
