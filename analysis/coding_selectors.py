"""Reads for coding open answers: the answers to code, where one stands among them, the
codebook with its code frequencies (suppressed), the quotes and the theme suggestions.

An *open answer* is the text a young person typed for a free-text question of one of the
campaign's surveys, in a response that has not been withdrawn. It is *uncoded* while it has no
``AnswerCoding``; a coding with no codes means "read, nothing to code".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext

from analysis.models import AnswerCode, Code, ThemeSuggestion, ThemeSuggestionStatus
from analysis.suppression import Cell, SuppressedGroup, protect_rows, suppress_group
from config.exceptions import InvalidInputError
from consultations.models import AgeBand, Campaign, CrcArticle
from consultations.translation import localized
from surveys.models import Answer, Question, QuestionKind

OPEN_ANSWER_STATUSES = ("all", "uncoded", "coded", "quotes")
THEME_SUGGESTION_STATUSES = (*ThemeSuggestionStatus.values, "all")
SEARCH_MAX_LENGTH = 200
# The largest id a database column holds: a bigger number from a URL is simply not found.
MAX_ID = 2**63 - 1


def open_answers_of(*, campaign: Campaign) -> QuerySet[Answer]:
    """Every open answer of the campaign, unordered and without joins for output: the base of
    the reads below and of the coding services."""
    return Answer.objects.filter(
        question__survey__campaign=campaign,
        question__kind=QuestionKind.TEXT,
        text_value__isnull=False,
        response__withdrawn_at__isnull=True,
    ).order_by()


def open_answer_questions(*, campaign: Campaign) -> list[Question]:
    """The free-text questions of the campaign's surveys, with their survey: survey by survey
    (oldest first), in the order young people see them."""
    return list(
        Question.objects.filter(survey__campaign=campaign, kind=QuestionKind.TEXT)
        .select_related("survey")
        .order_by("survey__created_at", "survey_id", "order", "pk")
    )


def as_id(value: object, *, field: str, message: str) -> int:
    """An id from a caller or a query string: an int, or text of digits."""
    if isinstance(value, bool):
        raise InvalidInputError(message, field=field)
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 19:
        number = int(value.strip())
    else:
        raise InvalidInputError(message, field=field)
    if not 1 <= number <= MAX_ID:
        raise InvalidInputError(message, field=field)
    return number


def _language(language: object) -> str:
    offered = list(settings.LANGUAGE_CODES)
    if not isinstance(language, str) or language not in offered:
        raise InvalidInputError(
            gettext("Unknown language; choose one of %(languages)s.")
            % {"languages": ", ".join(offered)},
            field="language",
        )
    return language


def open_answers(
    *,
    campaign: Campaign,
    question_id: int | str | None = None,
    age_band_id: int | str | None = None,
    language: str | None = None,
    status: str = "all",
    code_id: int | str | None = None,
    search: str | None = None,
) -> QuerySet[Answer]:
    """The campaign's open answers matching the filters, ordered by id, with what a coding page
    shows: ``response.age_band``, ``question.survey``, ``coding`` (None when uncoded) and its
    ``codes`` (prefetched, by label).

    ``status``: "all", "uncoded", "coded" (a coding, possibly without codes) or "quotes".
    ``search``: the text contains it (case-insensitive). Ids may be given as digit strings
    (from a query string). Empty values ("", None) mean no filter. A filter value that does not
    fit the campaign (a question that is not one of its free-text questions, an age band or a
    code of another campaign, an unknown language or status) raises InvalidInputError naming
    ``question``, ``age_band``, ``language``, ``status``, ``code`` or ``search``.
    """
    answers = open_answers_of(campaign=campaign)
    if question_id not in (None, ""):
        message = gettext("Choose one of this campaign's free-text questions.")
        pk = as_id(question_id, field="question", message=message)
        if not Question.objects.filter(
            pk=pk, survey__campaign=campaign, kind=QuestionKind.TEXT
        ).exists():
            raise InvalidInputError(message, field="question")
        answers = answers.filter(question_id=pk)
    if age_band_id not in (None, ""):
        message = gettext("Choose one of this campaign's age bands.")
        pk = as_id(age_band_id, field="age_band", message=message)
        if not AgeBand.objects.filter(pk=pk, campaign=campaign).exists():
            raise InvalidInputError(message, field="age_band")
        answers = answers.filter(response__age_band_id=pk)
    if language not in (None, ""):
        answers = answers.filter(response__language=_language(language))
    if status in (None, ""):
        status = "all"
    if status not in OPEN_ANSWER_STATUSES:
        raise InvalidInputError(
            gettext("Unknown status; choose one of %(statuses)s.")
            % {"statuses": ", ".join(OPEN_ANSWER_STATUSES)},
            field="status",
        )
    if status == "uncoded":
        answers = answers.filter(coding__isnull=True)
    elif status == "coded":
        answers = answers.filter(coding__isnull=False)
    elif status == "quotes":
        answers = answers.filter(coding__is_quote=True)
    if code_id not in (None, ""):
        message = gettext("Choose one of this campaign's codes.")
        pk = as_id(code_id, field="code", message=message)
        if not Code.objects.filter(pk=pk, campaign=campaign).exists():
            raise InvalidInputError(message, field="code")
        # One row per answer: a code is on a coding at most once (a unique constraint).
        answers = answers.filter(coding__codes=pk)
    if search is not None:
        if not isinstance(search, str):
            raise InvalidInputError(gettext("Search for a piece of text."), field="search")
        search = search.strip()
        if len(search) > SEARCH_MAX_LENGTH:
            raise InvalidInputError(
                gettext("Search for at most %(count)s characters.") % {"count": SEARCH_MAX_LENGTH},
                field="search",
            )
        if search:
            answers = answers.filter(text_value__icontains=search)
    return (
        answers.select_related("response__age_band", "question__survey", "coding")
        .prefetch_related(Prefetch("coding__codes", queryset=Code.objects.order_by(Lower("label"))))
        .order_by("pk")
    )


def open_answer_neighbours(
    *, queryset: QuerySet[Answer], answer_id: int
) -> tuple[int | None, int | None, int | None, int]:
    """Where ``answer_id`` stands in ``queryset`` (open_answers' result, ordered by id):
    ``(previous_id, next_id, position, total)``.

    ``position`` counts from 1, and is None when the answer is not in the queryset (it no
    longer matches the filters, e.g. just coded under "uncoded"); previous and next are then
    the answers around where it would be, so "next" still moves on. Three queries, whatever
    the number of answers: none of them loads the rows.
    """
    answer_id = min(max(int(answer_id), 0), MAX_ID)
    bare = queryset.prefetch_related(None).select_related(None).order_by()
    numbers = bare.aggregate(
        total=Count("pk"),
        before=Count("pk", filter=Q(pk__lt=answer_id)),
        here=Count("pk", filter=Q(pk=answer_id)),
    )
    previous_id = bare.filter(pk__lt=answer_id).order_by("-pk").values_list("pk", flat=True)[:1]
    next_id = bare.filter(pk__gt=answer_id).order_by("pk").values_list("pk", flat=True)[:1]
    position = numbers["before"] + 1 if numbers["here"] else None
    return (
        next(iter(previous_id), None),
        next(iter(next_id), None),
        position,
        numbers["total"],
    )


# --- The codebook ---------------------------------------------------------------------------------


def _article_view(article: CrcArticle) -> dict[str, Any]:
    return {"code": article.code, "number": article.number, "title": article.title_en}


def _cell_view(group: SuppressedGroup, key: Hashable) -> dict[str, Any]:
    cell = group.cells[key]
    return {"count": cell.value, "suppressed": cell.suppressed}


def codebook(*, campaign: Campaign) -> dict[str, Any]:
    """The campaign's codebook with how often each code was given, small counts suppressed.

    Returns::

        {
          "k": 10,                       # campaign.min_cell_size
          "coded_responses": 37,         # exact: responses with at least one coded open answer
          "answers": {"total": 120, "coded": 45, "uncoded": 75, "quotes": 6},  # open answers, exact
          "age_bands": [                 # the campaign's bands, youngest first
            {"id": 3, "code": "6-8", "n": 12, "suppressed": False},  # coded responses in the band
            {"id": 4, "code": "9-11", "n": None, "suppressed": True},  # under k: hidden whole
            ...],
          "codes": [                     # by label, case-insensitively
            {"id": 7, "label": "Safety", "description": "...",
             "articles": [{"code": "19", "number": 19, "title": "Protection from violence..."}],
             "frequency": {
               "overall": {"count": 14, "suppressed": False},
               "by_age_band": [         # the same order as "age_bands"
                 {"age_band_id": 3, "age_band": "6-8", "count": None, "suppressed": True},
                 ...]}},
            ...],
        }

    A code's count is the number of distinct responses with an open answer carrying it. The
    frequencies are two kinds of groups passed through ``suppress_group`` with k: the overall
    group (total: ``coded_responses``, published exactly) and one group per age band (total:
    the band's coded responses). A band is hidden whole — its ``n`` and every code's count in
    it None — when it has fewer than k coded responses, or when its size must be hidden so that
    another small band's cannot be worked out from ``coded_responses`` (the band sizes are
    themselves a breakdown passed through ``suppress_group``). A count is None exactly when it
    is suppressed ("< k" on a page). The coded/uncoded answer counts are exact totals.

    Six queries (codes, their articles, age bands, coded responses per band, code counts per
    band, answer counts), however many codes, bands or answers.
    """
    k = campaign.min_cell_size
    codes = list(
        Code.objects.filter(campaign=campaign)
        .order_by(Lower("label"), "pk")
        .prefetch_related(
            Prefetch("articles", queryset=CrcArticle.objects.order_by("number", "part"))
        )
    )
    bands = list(AgeBand.objects.filter(campaign=campaign).order_by("order", "min_age"))

    open_answers_qs = open_answers_of(campaign=campaign)
    coded = open_answers_qs.filter(coding__isnull=False)
    # Every response has one age band: these per-band counts of distinct responses add up to
    # the overall count of distinct responses.
    coded_per_band = dict(
        coded.values("response__age_band_id")
        .annotate(n=Count("response_id", distinct=True))
        .values_list("response__age_band_id", "n")
    )
    per_code_band: dict[tuple[int, int], int] = {
        (code_id, band_id): n
        for code_id, band_id, n in AnswerCode.objects.filter(
            coding__answer__in=open_answers_qs, code__campaign=campaign
        )
        .order_by()
        .values("code_id", "coding__answer__response__age_band_id")
        .annotate(n=Count("coding__answer__response_id", distinct=True))
        .values_list("code_id", "coding__answer__response__age_band_id", "n")
    }
    answer_numbers = open_answers_qs.aggregate(
        total=Count("pk"),
        coded=Count("pk", filter=Q(coding__isnull=False)),
        quotes=Count("pk", filter=Q(coding__is_quote=True)),
    )

    coded_responses = sum(coded_per_band.values())
    per_code: dict[int, int] = defaultdict(int)
    for (code_id, _band_id), n in per_code_band.items():
        per_code[code_id] += n
    overall = suppress_group(
        {code.pk: per_code[code.pk] for code in codes},
        total=coded_responses,
        k=k,
        exact_total=True,
    )
    # The bands' sizes are a breakdown of coded_responses themselves: a small band is hidden
    # with enough others that its size cannot be worked out from the total and the rest (as
    # analysis.selectors does for survey results), and a hidden band shows none of its cells.
    band_sizes = suppress_group(
        {band.pk: coded_per_band.get(band.pk, 0) for band in bands},
        total=coded_responses,
        k=k,
        exact_total=True,
    )
    band_groups = {
        band.pk: suppress_group(
            {code.pk: per_code_band.get((code.pk, band.pk), 0) for code in codes},
            total=coded_per_band.get(band.pk, 0),
            k=k,
        )
        for band in bands
    }
    hidden_bands = {
        band.pk
        for band in bands
        if band_sizes.cells[band.pk].suppressed or band_groups[band.pk].suppressed
    }
    # Read as a table whose row totals are the overall counts: a band's hidden count must not
    # be the overall count minus the other bands' published ones.
    band_groups = protect_rows(
        {
            pk: SuppressedGroup(
                n=None, suppressed=True, cells={code.pk: Cell(None, True) for code in codes}
            )
            if pk in hidden_bands
            else group
            for pk, group in band_groups.items()
        },
        {
            band.pk: {code.pk: per_code_band.get((code.pk, band.pk), 0) for code in codes}
            for band in bands
        },
        overall=overall,
        k=k,
    )

    return {
        "k": k,
        "coded_responses": coded_responses,
        "answers": {
            "total": answer_numbers["total"],
            "coded": answer_numbers["coded"],
            "uncoded": answer_numbers["total"] - answer_numbers["coded"],
            "quotes": answer_numbers["quotes"],
        },
        "age_bands": [
            {
                "id": band.pk,
                "code": band.code,
                "n": None if band.pk in hidden_bands else coded_per_band.get(band.pk, 0),
                "suppressed": band.pk in hidden_bands,
            }
            for band in bands
        ],
        "codes": [
            {
                "id": code.pk,
                "label": code.label,
                "description": code.description,
                "articles": [_article_view(article) for article in code.articles.all()],
                "frequency": {
                    "overall": _cell_view(overall, code.pk),
                    "by_age_band": [
                        {
                            "age_band_id": band.pk,
                            "age_band": band.code,
                            **(
                                {"count": None, "suppressed": True}
                                if band.pk in hidden_bands
                                else _cell_view(band_groups[band.pk], code.pk)
                            ),
                        }
                        for band in bands
                    ],
                },
            }
            for code in codes
        ],
    }


# --- Quotes and theme suggestions -----------------------------------------------------------------


def quotes(*, campaign: Campaign, language: str | None = None) -> list[dict[str, Any]]:
    """The open answers marked as quotes for the report, oldest first, optionally in one
    language (else InvalidInputError naming ``language``). Each::

        {"answer_id": 812, "text": "...", "language": "nl",
         "question_id": 5, "question_key": "story", "question_text": "...",  # active language
         "survey_slug": "op-school", "age_band": "12-14", "codes": ["Safety", "Toilets"]}

    Three queries (answers with their question, survey and band; their codings' codes).
    """
    answers = open_answers_of(campaign=campaign).filter(coding__is_quote=True)
    if language not in (None, ""):
        answers = answers.filter(response__language=_language(language))
    answers = (
        answers.select_related("response__age_band", "question__survey", "coding")
        .prefetch_related(Prefetch("coding__codes", queryset=Code.objects.order_by(Lower("label"))))
        .order_by("pk")
    )
    return [
        {
            "answer_id": answer.pk,
            "text": answer.text_value,
            "language": answer.response.language,
            "question_id": answer.question_id,
            "question_key": answer.question.key,
            "question_text": localized(answer.question, "text"),
            "survey_slug": answer.question.survey.slug,
            "age_band": answer.response.age_band.code,
            "codes": [code.label for code in answer.coding.codes.all()],
        }
        for answer in answers
    ]


def theme_suggestions(
    *, campaign: Campaign, language: str | None = None, status: str | None = "suggested"
) -> QuerySet[ThemeSuggestion]:
    """The campaign's theme suggestions: by default the open ones, in every language; by
    language, then most answers first. ``status`` "all" (or None) gives every status; an
    unknown status or language raises InvalidInputError naming it."""
    suggestions = ThemeSuggestion.objects.filter(campaign=campaign).select_related("code")
    if language not in (None, ""):
        suggestions = suggestions.filter(language=_language(language))
    if status not in (None, "", "all"):
        if status not in THEME_SUGGESTION_STATUSES:
            raise InvalidInputError(
                gettext("Unknown status; choose one of %(statuses)s.")
                % {"statuses": ", ".join(THEME_SUGGESTION_STATUSES)},
                field="status",
            )
        suggestions = suggestions.filter(status=status)
    return suggestions.order_by("language", "-answer_count", "-score", "phrase")
