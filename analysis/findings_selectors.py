"""Reads of findings and their evidence: the list for the staff page, one finding with its
evidence and the numbers, the evidence staff can attach, and every finding of a campaign as the
end report needs it (``findings_for_report``, rendered by analysis.renderers).

Every number comes from ``analysis.selectors.survey_results``: the suppressed snapshot, the only
source of published numbers (DESIGN §4). A suppressed count arrives as None.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from analysis.coding_selectors import open_answers_of, quotes
from analysis.models import AnswerCoding, Code, EvidenceKind, Finding, FindingEvidence
from analysis.selectors import results_dimensions, survey_results
from config.exceptions import InvalidInputError
from consultations.models import Campaign, CrcArticle
from consultations.translation import localized
from roundtables.selectors import outcome_list_for_campaign
from surveys.models import Question, QuestionKind, Survey

# --- The list ------------------------------------------------------------------------------------


def finding_list(*, campaign: Campaign) -> QuerySet[Finding]:
    """The campaign's findings by priority (high first), then in staff's order, each with its
    UNCRC articles (prefetched, by number) and ``evidence_count``. Two queries, however many
    findings there are."""
    return (
        Finding.objects.filter(campaign=campaign)
        .annotate(evidence_count=Count("evidence"))
        .prefetch_related(
            Prefetch("articles", queryset=CrcArticle.objects.order_by("number", "part"))
        )
        .order_by("priority", "order", "pk")
    )


# --- One finding, and all of them for the report -------------------------------------------------


def _with_evidence(findings: QuerySet[Finding]) -> QuerySet[Finding]:
    """Findings with everything their evidence shows, in a fixed number of queries."""
    evidence = FindingEvidence.objects.select_related(
        "question__survey__campaign",
        "quote__answer__response__age_band",
        "quote__answer__question__survey",
        "outcome_point__outcome__roundtable",
    ).prefetch_related(
        Prefetch("quote__codes", queryset=Code.objects.order_by(Lower("label"))),
        Prefetch("outcome_point__articles", queryset=CrcArticle.objects.order_by("number")),
    )
    return findings.prefetch_related(
        Prefetch(
            "articles",
            queryset=CrcArticle.objects.order_by("number", "part").prefetch_related(
                "secondary_clusters"
            ),
        ),
        Prefetch("evidence", queryset=evidence.order_by("order", "pk")),
    ).order_by("priority", "order", "pk")


def _article_view(article: CrcArticle) -> dict[str, Any]:
    return {
        "code": article.code,
        "number": article.number,
        "title": article.title_en,
        "cluster_id": article.primary_cluster_id,
        "secondary_cluster_ids": [cluster.pk for cluster in article.secondary_clusters.all()],
    }


DIMENSION_NAMES = {
    "age_band": _("Age band"),
    "organisation": _("Organisation"),
    "language": _("Language"),
}


def _dimension_label(by: str, question_text: str | None) -> str:
    """What a breakdown is called on a page: "Age band", ..., "Answer to: <question>"."""
    if by in DIMENSION_NAMES:
        return str(DIMENSION_NAMES[by])
    return gettext("Answer to: %(question)s") % {"question": question_text or by}


class _Results:
    """survey_results once per survey and breakdown, however many findings point to them."""

    def __init__(self) -> None:
        self._results: dict[tuple[int, str | None], dict[str, Any]] = {}

    def get(self, survey: Survey, by: str | None) -> tuple[dict[str, Any], str | None]:
        """The results and the breakdown they have: a breakdown that no longer exists (its
        question was deleted) falls back to none."""
        key = (survey.pk, by)
        if key not in self._results:
            try:
                self._results[key] = survey_results(survey=survey, by=by)
            except InvalidInputError:
                return self.get(survey, None)
        return self._results[key], by


def _question_view(evidence: FindingEvidence, cache: _Results) -> dict[str, Any]:
    question = evidence.question
    survey = question.survey
    results, by = cache.get(survey, evidence.breakdown or None)
    texts = {entry["key"]: entry["text"] for entry in results["questions"]}
    entry = next((q for q in results["questions"] if q["key"] == question.key), None)
    return {
        "id": question.pk,
        "key": question.key,
        "kind": question.kind,
        "text": entry["text"] if entry else localized(question, "text"),
        "survey_slug": survey.slug,
        "survey_title": localized(survey, "title"),
        # None while the survey's snapshot does not hold the question (not computed yet).
        "n": entry["n"] if entry else None,
        "results": entry,
        "breakdown": by,
        "breakdown_label": _dimension_label(by, texts.get(by)) if by else "",
        # The question's results per group of the breakdown (empty without one).
        "groups": entry.get("breakdown", []) if entry else [],
        "min_cell_size": results["min_cell_size"],
        "computed_at": results["computed_at"],
    }


def _quote_is_usable(coding: AnswerCoding) -> bool:
    """Still a quote, of a response that was not withdrawn: a withdrawn young person's words
    leave the report with their numbers."""
    return coding.is_quote and coding.answer.response.withdrawn_at is None


def _quote_view(coding: AnswerCoding) -> dict[str, Any]:
    answer = coding.answer
    return {
        "id": coding.pk,
        "answer_id": answer.pk,
        "text": answer.text_value,
        "age_band": answer.response.age_band.code,
        "language": answer.response.language,
        "codes": [code.label for code in coding.codes.all()],
        "question_text": localized(answer.question, "text"),
        "survey_slug": answer.question.survey.slug,
    }


def _outcome_point_view(point: Any) -> dict[str, Any]:
    roundtable = point.outcome.roundtable
    return {
        "id": point.pk,
        "text": point.text,
        "roundtable": localized(roundtable, "title"),
        "roundtable_slug": roundtable.slug,
        "date": timezone.localdate(roundtable.starts_at),
        "articles": [article.code for article in point.articles.all()],
    }


def _evidence_view(
    evidence: FindingEvidence, cache: _Results, *, with_unusable: bool
) -> dict[str, Any] | None:
    item: dict[str, Any] = {
        "id": evidence.pk,
        "kind": evidence.kind,
        "note": evidence.note,
        "usable": True,
    }
    if evidence.kind == EvidenceKind.QUESTION:
        item["question"] = _question_view(evidence, cache)
    elif evidence.kind == EvidenceKind.QUOTE:
        if not _quote_is_usable(evidence.quote):
            if not with_unusable:
                return None
            # Its words are not shown any more; staff see that it is there, and remove it.
            item["usable"] = False
            item["quote"] = None
        else:
            item["quote"] = _quote_view(evidence.quote)
    else:
        item["outcome_point"] = _outcome_point_view(evidence.outcome_point)
    return item


def _finding_view(
    finding: Finding, cache: _Results, *, with_unusable: bool = False
) -> dict[str, Any]:
    evidence = [
        _evidence_view(item, cache, with_unusable=with_unusable) for item in finding.evidence.all()
    ]
    return {
        "id": finding.pk,
        "title": finding.title,
        "statement": finding.statement,
        "priority": finding.priority,
        "priority_label": str(finding.get_priority_display()),
        "order": finding.order,
        "articles": [_article_view(article) for article in finding.articles.all()],
        "evidence": [item for item in evidence if item is not None],
    }


def findings_for_report(*, campaign: Campaign) -> list[dict[str, Any]]:
    """Every finding of the campaign as the end report shows it, by priority then staff's
    order::

        [{"id": 3, "title": "...", "statement": "...", "priority": 1, "priority_label": "High",
          "order": 0,
          "articles": [{"code": "12", "number": 12, "title": "Respect for the views of the child",
                        "cluster_id": "GP", "secondary_cluster_ids": []}],
          "evidence": [                       # in staff's order
            {"id": 9, "kind": "question", "note": "...", "usable": True,
             "question": {"id": 5, "key": "mood", "kind": "scale", "text": "...",
                          "survey_slug": "op-school", "survey_title": "...",
                          "n": 120,             # exact; None while not computed yet
                          "results": {...},     # the survey_results question entry, or None
                          "breakdown": "age_band", "breakdown_label": "Age band",  # or None, ""
                          "groups": [...],      # the entry's "breakdown": results per group
                          "min_cell_size": 10, "computed_at": datetime}},
            {"id": 10, "kind": "quote", "note": "", "usable": True,
             "quote": {"id": 4, "answer_id": 812, "text": "...", "age_band": "12-14",
                       "language": "nl", "codes": ["Safety"], "question_text": "...",
                       "survey_slug": "op-school"}},
            {"id": 11, "kind": "outcome_point", "note": "", "usable": True,
             "outcome_point": {"id": 2, "text": "...", "roundtable": "...",
                               "roundtable_slug": "...", "date": date, "articles": ["12"]}}]}]

    Texts are in the active language. Numbers come from ``survey_results`` (suppressed: a
    hidden count is None). A quote that is no longer one, or whose response was withdrawn, is
    left out. Six queries, plus those of survey_results for each distinct survey and
    breakdown (one or two each), however many findings and pieces of evidence there are.
    """
    cache = _Results()
    findings = _with_evidence(Finding.objects.filter(campaign=campaign))
    return [_finding_view(finding, cache) for finding in findings]


def finding_detail(*, finding: Finding) -> dict[str, Any]:
    """One finding as ``findings_for_report`` gives it, for its page; a quote that is no
    longer usable stays in the list with ``usable`` False and ``quote`` None (without its
    words), so that staff can remove it."""
    loaded = _with_evidence(Finding.objects.filter(pk=finding.pk)).get()
    return _finding_view(loaded, _Results(), with_unusable=True)


# --- What can be attached ------------------------------------------------------------------------


def evidence_choices(*, campaign: Campaign) -> dict[str, list[dict[str, Any]]]:
    """What staff can attach to a finding of the campaign::

        {"questions": [{"id", "key", "kind", "text", "survey_slug", "survey_title",
                        "breakdowns": [{"key": "", "label": "No breakdown"},
                                       {"key": "age_band", "label": "Age band"}, ...]}],
         "quotes": [{"id": <coding id>, "answer_id", "text", "age_band", "language", "codes",
                     "question_text", "survey_slug"}],
         "outcome_points": [{"id", "text", "roundtable", "roundtable_slug", "date",
                             "articles"}]}

    Questions: the closed ones of every survey (open answers are evidence as quotes), survey
    by survey, with what their results can be broken down by (``results_dimensions``, but not
    by the question itself). Quotes: ``analysis.coding_selectors.quotes``. Outcome points: of
    the campaign's roundtables, in the roundtables' order.
    """
    questions = list(
        Question.objects.filter(survey__campaign=campaign)
        .exclude(kind=QuestionKind.TEXT)
        .select_related("survey")
        .order_by("survey__created_at", "survey_id", "order", "pk")
    )
    texts = {
        (question.survey_id, question.key): localized(question, "text") for question in questions
    }
    dimensions: dict[int, list[str]] = {}
    for question in questions:
        if question.survey_id not in dimensions:
            dimensions[question.survey_id] = results_dimensions(survey=question.survey)

    def label(survey_id: int, key: str) -> str:
        return _dimension_label(key, texts.get((survey_id, key)))

    question_choices = [
        {
            "id": question.pk,
            "key": question.key,
            "kind": question.kind,
            "text": texts[(question.survey_id, question.key)],
            "survey_slug": question.survey.slug,
            "survey_title": localized(question.survey, "title"),
            "breakdowns": [{"key": "", "label": gettext("No breakdown")}]
            + [
                {"key": key, "label": label(question.survey_id, key)}
                for key in dimensions[question.survey_id]
                if key != question.key
            ],
        }
        for question in questions
    ]

    found = quotes(campaign=campaign)
    coding_ids = dict(
        AnswerCoding.objects.filter(answer_id__in=[item["answer_id"] for item in found])
        .order_by()
        .values_list("answer_id", "pk")
    )
    quote_choices = [
        {
            "id": coding_ids[item["answer_id"]],
            "answer_id": item["answer_id"],
            "text": item["text"],
            "age_band": item["age_band"],
            "language": item["language"],
            "codes": item["codes"],
            "question_text": item["question_text"],
            "survey_slug": item["survey_slug"],
        }
        for item in found
        if item["answer_id"] in coding_ids
    ]

    point_choices = [
        _outcome_point_view(point)
        for outcome in outcome_list_for_campaign(campaign=campaign)
        for point in outcome.points.all()
    ]
    return {"questions": question_choices, "quotes": quote_choices, "outcome_points": point_choices}


def usable_quotes_of(*, campaign: Campaign) -> QuerySet[AnswerCoding]:
    """The codings that may be attached as quotes: marked as quote, of an open answer of the
    campaign in a response that was not withdrawn."""
    return AnswerCoding.objects.filter(is_quote=True, answer__in=open_answers_of(campaign=campaign))
