"""What the end-report exports show, collected as plain data (dicts, lists, numbers, text).

``report_data`` gathers everything the DOCX and the XLSX need, texts in the export's language:
the campaign and its period, participation (suppressed per DESIGN §4, the overall total exact),
the method (age bands, languages, reach, k), one chapter per UN reporting cluster in the
Committee's order with the findings, question results, quotes and roundtable outcome points
tagged with that cluster's articles, and the annexes (every question's results, the codebook).
The renderers (analysis.renderers) turn it into a file without reading the database.

Every published number comes from ``analysis.selectors.survey_results`` (the suppressed
snapshot), ``analysis.overview.campaign_overview`` or ``analysis.coding_selectors.codebook``,
which all pass it through ``analysis.suppression.suppress_group``.

``RawResponses`` reads the anonymised raw responses (one row per response, one column per
question) in chunks by keyset pagination, so memory stays flat however many there are.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch
from django.db.models.functions import TruncDate
from django.utils import timezone, translation
from django.utils.translation import gettext

from analysis.aggregation import DIMENSIONS, NO_ORGANISATION
from analysis.coding_selectors import codebook, quotes
from analysis.findings_selectors import findings_for_report
from analysis.models import Code
from analysis.overview import campaign_overview
from analysis.reach import ReachRow
from analysis.selectors import survey_results
from consultations.models import AgeBand, Campaign, CrcArticle, InviteLink, MemberOrganisation
from consultations.selectors import crc_clusters_with_articles
from consultations.translation import localized
from roundtables.selectors import outcome_list_for_campaign
from surveys.models import Answer, Option, Question, QuestionKind, Response, Survey, SurveyStatus

# Responses read per query of the raw export: large enough that 100k responses take 50
# round trips, small enough that a chunk of 20-answer responses stays a few MB.
RAW_CHUNK_SIZE = 2000
MULTIPLE_SEPARATOR = "|"

Progress = Callable[[float], None]


# --- The report ----------------------------------------------------------------------------------


def report_data(*, campaign: Campaign, language: str) -> dict[str, Any]:
    """Everything the end-report exports show, texts in ``language`` (nl, fr or en).

    Returns::

        {"language", "generated_at", "k",
         "campaign": {"slug", "title", "summary"},
         "period": {"starts_on", "ends_on", "first_response", "last_response"},  # dates or None
         "participation": {"total": int,                 # exact
                           "by_age_band" | "by_organisation" | "by_language":
                               [{"label", "count": int | None, "suppressed": bool}]},
         "method": {"k", "age_bands": [{"code", "min_age", "max_age", "easy_read"}],
                    "languages": [{"code", "name"}], "surveys": [{"slug", "title", "opens_at",
                    "closes_at", "response_count", "question_count"}], "organisations": int,
                    "organisations_reached": int, "invite_links": int, "roundtables": int,
                    "open_answers": {"total", "coded", "quotes"}},
         "surveys": [{"slug", "title", "response_count", "computed_at",
                      "groups": {dimension: [{"key", "label", "n", "suppressed"}]},
                      "questions": [QUESTION]}],
         "clusters": [{"code", "name", "findings": [...], "questions": [QUESTION],
                       "quotes": [QUOTE], "outcome_points": [POINT]}],  # only with content
         "other_findings": [...],          # findings without an article
         "outcomes": [{"roundtable", "date", "summary", "points": [POINT]}],
         "codebook": <analysis.coding_selectors.codebook>}

    QUESTION is a ``survey_results`` question entry (``key``, ``kind``, ``text``, ``n``,
    ``results``) plus ``survey_slug``, ``survey_title``, ``articles`` (codes) and
    ``breakdowns``: {dimension: the entry's ``breakdown`` by age band, organisation and
    language}. Findings are ``analysis.findings_selectors.findings_for_report``'s.
    """
    with translation.override(language):
        return _report_data(campaign, language)


def _report_data(campaign: Campaign, language: str) -> dict[str, Any]:
    k = campaign.min_cell_size
    overview = campaign_overview(campaign=campaign)
    surveys = _surveys(campaign)
    book = codebook(campaign=campaign)
    outcomes = _outcomes(campaign)
    clusters, other_findings = _clusters(campaign, surveys, outcomes)
    per_day = overview.per_day
    return {
        "language": language,
        "generated_at": timezone.localtime(),
        "k": k,
        "campaign": {
            "slug": campaign.slug,
            "title": localized(campaign, "title"),
            "summary": localized(campaign, "summary"),
        },
        "period": {
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
            "first_response": per_day[0].key if per_day else None,
            "last_response": per_day[-1].key if per_day else None,
        },
        "participation": {
            "total": overview.total,
            "by_age_band": _rows(overview.per_age_band),
            "by_organisation": _rows(overview.per_organisation),
            "by_language": _rows(overview.per_language),
        },
        "method": _method(campaign, surveys, book, outcomes),
        "surveys": surveys,
        "clusters": clusters,
        "other_findings": other_findings,
        "outcomes": outcomes,
        "codebook": book,
    }


def _rows(rows: list[ReachRow]) -> list[dict[str, Any]]:
    return [{"label": row.label, "count": row.count, "suppressed": row.suppressed} for row in rows]


def report_surveys(*, campaign: Campaign) -> list[Survey]:
    """The campaign's surveys that went out to young people (drafts left out), oldest first."""
    return list(
        Survey.objects.filter(campaign=campaign)
        .exclude(status=SurveyStatus.DRAFT)
        .select_related("campaign")
        .order_by("created_at", "pk")
    )


def _surveys(campaign: Campaign) -> list[dict[str, Any]]:
    """Each survey's results overall and by age band, organisation and language."""
    output = []
    surveys = report_surveys(campaign=campaign)
    articles_of: dict[tuple[int, str], list[str]] = {}
    question_counts: dict[int, int] = defaultdict(int)
    for question in Question.objects.filter(survey__in=surveys).prefetch_related(
        Prefetch("articles", queryset=CrcArticle.objects.order_by("number", "part"))
    ):
        articles_of[(question.survey_id, question.key)] = [a.code for a in question.articles.all()]
        question_counts[question.survey_id] += 1

    for survey in surveys:
        overall = survey_results(survey=survey)
        by_dimension = {name: survey_results(survey=survey, by=name) for name in DIMENSIONS}
        # By key: each call reads the snapshot anew, and a refresh may land in between.
        groups_of = {
            name: {entry["key"]: entry.get("breakdown", []) for entry in results["questions"]}
            for name, results in by_dimension.items()
        }
        title = localized(survey, "title")
        questions = [
            {
                **question,
                "survey_slug": survey.slug,
                "survey_title": title,
                "articles": articles_of.get((survey.pk, question["key"]), []),
                "breakdowns": {
                    name: [_labelled(name, group) for group in groups.get(question["key"], [])]
                    for name, groups in groups_of.items()
                },
            }
            for question in overall["questions"]
        ]
        output.append(
            {
                "slug": survey.slug,
                "title": title,
                "opens_at": survey.opens_at,
                "closes_at": survey.closes_at,
                "question_count": question_counts.get(survey.pk, 0),
                "response_count": overall["response_count"],
                "computed_at": overall["computed_at"],
                "groups": {
                    name: [_labelled(name, group) for group in results.get("groups", [])]
                    for name, results in by_dimension.items()
                },
                "questions": questions,
            }
        )
    return output


def _labelled(dimension: str, group: dict[str, Any]) -> dict[str, Any]:
    """A group with a label a reader understands (the snapshot has none for "no invite")."""
    if dimension == "organisation" and group["key"] == NO_ORGANISATION:
        return {**group, "label": gettext("Without an invite link")}
    return group


def _method(
    campaign: Campaign,
    surveys: list[dict[str, Any]],
    book: dict[str, Any],
    outcomes: list[dict[str, Any]],
) -> dict[str, Any]:
    names = dict(settings.LANGUAGES)
    reached = (
        Response.objects.filter(
            survey__campaign=campaign, withdrawn_at__isnull=True, organisation__isnull=False
        )
        .order_by()
        .values("organisation_id")
        .distinct()
        .count()
    )
    return {
        "k": campaign.min_cell_size,
        "age_bands": [
            {
                "code": band.code,
                "min_age": band.min_age,
                "max_age": band.max_age,
                "easy_read": band.easy_read,
            }
            for band in AgeBand.objects.filter(campaign=campaign).order_by("order", "min_age")
        ],
        "languages": [
            {"code": code, "name": str(names[code])}
            for code in names
            if code in (campaign.languages or [])
        ],
        "surveys": [
            {
                key: survey[key]
                for key in (
                    "slug",
                    "title",
                    "opens_at",
                    "closes_at",
                    "response_count",
                    "question_count",
                )
            }
            for survey in surveys
        ],
        # Counts of organisations, links and meetings: no young person is counted here.
        "organisations": campaign.organisations.count(),
        "organisations_reached": reached,
        "invite_links": InviteLink.objects.filter(campaign=campaign).count(),
        "roundtables": len(outcomes),
        "open_answers": {key: book["answers"][key] for key in ("total", "coded", "quotes")},
    }


def _outcomes(campaign: Campaign) -> list[dict[str, Any]]:
    """The recorded roundtable outcomes, each point with the codes of its articles."""
    output = []
    for outcome in outcome_list_for_campaign(campaign=campaign):
        roundtable = outcome.roundtable
        title = localized(roundtable, "title")
        date = timezone.localdate(roundtable.starts_at)
        output.append(
            {
                "roundtable": title,
                "date": date,
                "summary": outcome.summary,
                "points": [
                    {
                        "text": point.text,
                        "roundtable": title,
                        "date": date,
                        "articles": [article.code for article in point.articles.all()],
                    }
                    for point in outcome.points.all()
                ],
            }
        )
    return output


def _clusters(
    campaign: Campaign, surveys: list[dict[str, Any]], outcomes: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One chapter per reporting cluster in the Committee's order, only those with content, and
    the findings that name no article.

    An article belongs to its main cluster and to any other one it is also filed under (6(2)
    is a general principle and also health), so evidence tagged with it appears in both."""
    clusters = crc_clusters_with_articles()
    clusters_of: dict[str, list[str]] = defaultdict(list)
    for cluster in clusters:
        for article in cluster.articles:
            clusters_of[article.code].append(cluster.code)

    def cluster_codes(article_codes: list[str]) -> list[str]:
        return list(dict.fromkeys(code for a in article_codes for code in clusters_of.get(a, [])))

    content: dict[str, dict[str, list]] = {
        cluster.code: {"findings": [], "questions": [], "quotes": [], "outcome_points": []}
        for cluster in clusters
    }
    other_findings = []
    for finding in findings_for_report(campaign=campaign):
        articles = finding.get("articles") or []
        codes = cluster_codes([article["code"] for article in articles])
        # An article the reference data does not file (it cannot happen with the migrated
        # data): the finding's own idea of its cluster.
        codes += [
            article["cluster_id"]
            for article in articles
            if article.get("cluster_id") in content and article["cluster_id"] not in codes
        ]
        if not codes:
            other_findings.append(finding)
        for code in codes:
            content[code]["findings"].append(finding)

    for survey in surveys:
        for question in survey["questions"]:
            for code in cluster_codes(question["articles"]):
                content[code]["questions"].append(question)

    for quote in _quotes(campaign):
        for code in cluster_codes(quote["articles"]):
            content[code]["quotes"].append(quote)

    for outcome in outcomes:
        for point in outcome["points"]:
            for code in cluster_codes(point["articles"]):
                content[code]["outcome_points"].append(point)

    chapters = []
    for cluster in clusters:
        parts = content[cluster.code]
        if any(parts.values()):
            chapters.append({"code": cluster.code, "name": localized(cluster, "name"), **parts})
    return chapters, other_findings


def _quotes(campaign: Campaign) -> list[dict[str, Any]]:
    """The approved quotes with their codes, each tagged with the articles of its codes and of
    its question."""
    code_articles: dict[str, list[str]] = {
        code.label: [article.code for article in code.articles.all()]
        for code in Code.objects.filter(campaign=campaign).prefetch_related("articles")
    }
    question_articles: dict[int, list[str]] = defaultdict(list)
    for question_id, article_code in Question.articles.through.objects.filter(
        question__survey__campaign=campaign
    ).values_list("question_id", "crcarticle__code"):
        question_articles[question_id].append(article_code)
    names = dict(settings.LANGUAGES)
    output = []
    for quote in quotes(campaign=campaign):
        articles = [a for label in quote["codes"] for a in code_articles.get(label, [])]
        articles += question_articles.get(quote["question_id"], [])
        output.append(
            {
                **quote,
                "language_name": str(names.get(quote["language"], quote["language"])),
                "articles": list(dict.fromkeys(articles)),
            }
        )
    return output


# --- Anonymised raw responses --------------------------------------------------------------------

FIXED_COLUMNS = ("response_id", "survey", "submitted_on", "age_band", "language", "organisation")
# A keyed permutation of response ids onto numbers of at most 11 digits (Excel shows them whole).
_PSEUDONYM_HALF_BITS = 18
_PSEUDONYM_MASK = (1 << _PSEUDONYM_HALF_BITS) - 1
_PSEUDONYM_ROUNDS = 4


def _pseudonym_key() -> bytes:
    return hashlib.sha256(
        b"inspraak:export:response-pseudonym:" + settings.SECRET_KEY.encode()
    ).digest()[:32]


def response_pseudonym(response_id: int, *, key: bytes | None = None) -> int:
    """The number a response goes by in raw exports: neither its id nor its receipt code.

    A four-round Feistel network keyed with a hash of SECRET_KEY permutes the 36-bit numbers,
    so every response has its own number, the same in every export, and the number says
    nothing about the id or the order of submission to someone without the key. (Ids beyond
    2^36 keep their high bits, which keeps the numbers distinct.)
    """
    key = key or _pseudonym_key()
    high = response_id >> (2 * _PSEUDONYM_HALF_BITS)
    left = (response_id >> _PSEUDONYM_HALF_BITS) & _PSEUDONYM_MASK
    right = response_id & _PSEUDONYM_MASK
    for round_number in range(_PSEUDONYM_ROUNDS):
        digest = hashlib.blake2b(
            f"{round_number}:{right}".encode(), key=key, digest_size=4
        ).digest()
        left, right = right, left ^ (int.from_bytes(digest, "big") & _PSEUDONYM_MASK)
    return (high << (2 * _PSEUDONYM_HALF_BITS)) | (left << _PSEUDONYM_HALF_BITS) | right


@dataclass(frozen=True)
class _RawQuestion:
    id: int
    survey_id: int
    column: str
    kind: str


class RawResponses:
    """The campaign's counted responses (withdrawn ones left out) as rows of plain values:
    ``response_id`` (``response_pseudonym``), ``survey`` (slug), ``submitted_on`` (the day in
    Brussels, a date), ``age_band`` (code), ``language``, ``organisation`` (name, "" without an
    invite), then one column per question of every survey (its key; ``<survey>.<key>`` where
    two surveys share a key): single → option value, multiple → values in the options' order
    joined by "|", ranking → values most important first joined by "|", scale → int, number →
    Decimal, text → the (masked) text, None when not answered.

    ``rows()`` reads RAW_CHUNK_SIZE responses at a time, keyset-paginated on the id, with their
    answers in one more query per chunk: two queries per chunk, memory flat.
    """

    def __init__(self, *, campaign: Campaign, chunk_size: int = RAW_CHUNK_SIZE):
        self.campaign = campaign
        self.chunk_size = chunk_size
        surveys = list(
            Survey.objects.filter(campaign=campaign)
            .order_by("created_at", "pk")
            .values("id", "slug")
        )
        self._survey_slugs = {survey["id"]: survey["slug"] for survey in surveys}
        order = {survey["id"]: position for position, survey in enumerate(surveys)}
        questions = sorted(
            Question.objects.filter(survey__campaign=campaign).values(
                "id", "survey_id", "key", "kind", "order"
            ),
            key=lambda q: (order[q["survey_id"]], q["order"], q["id"]),
        )
        key_counts: dict[str, int] = defaultdict(int)
        for question in questions:
            key_counts[question["key"]] += 1
        self.questions = [
            _RawQuestion(
                id=question["id"],
                survey_id=question["survey_id"],
                column=question["key"]
                if key_counts[question["key"]] == 1
                else f"{self._survey_slugs[question['survey_id']]}.{question['key']}",
                kind=question["kind"],
            )
            for question in questions
        ]
        # question id → (its column among the questions, its kind)
        self._columns = {
            question.id: (index, question.kind) for index, question in enumerate(self.questions)
        }
        self._scales = _Remembered(_scale_value)
        self._numbers = _Remembered(_number_value)
        options = Option.objects.filter(question__survey__campaign=campaign).values_list(
            "id", "value", "order"
        )
        self._option_value = {pk: value for pk, value, _order in options}
        self._option_order = {pk: (order, pk) for pk, _value, order in options}
        self._band_codes = dict(AgeBand.objects.filter(campaign=campaign).values_list("id", "code"))
        self._organisation_names: dict[int, str] = {}
        self.header = [*FIXED_COLUMNS, *(question.column for question in self.questions)]

    def _counted(self):
        return Response.objects.filter(
            survey_id__in=list(self._survey_slugs), withdrawn_at__isnull=True
        ).order_by()

    def count(self) -> int:
        return self._counted().count()

    def _organisation(self, organisation_id: int | None) -> str:
        if organisation_id is None:
            return ""
        if organisation_id not in self._organisation_names:
            # Few organisations: looked up once each, as they appear.
            self._organisation_names[organisation_id] = (
                MemberOrganisation.objects.filter(pk=organisation_id)
                .values_list("name", flat=True)
                .first()
                or ""
            )
        return self._organisation_names[organisation_id]

    def rows(self, progress: Progress | None = None) -> Iterator[list[Any]]:
        total = self.count() if progress else 0
        key = _pseudonym_key()
        local_day = TruncDate("submitted_at", tzinfo=ZoneInfo(settings.TIME_ZONE))
        no_answers: list[Any] = [None] * len(self.questions)
        last_id = 0
        done = 0
        while True:
            chunk = list(
                self._counted()
                .filter(id__gt=last_id)
                .annotate(day=local_day)
                .order_by("id")
                .values_list(
                    "id", "survey_id", "day", "age_band_id", "language", "organisation_id"
                )[: self.chunk_size]
            )
            if not chunk:
                break
            first_id, last_id = chunk[0][0], chunk[-1][0]
            answers = self._answer_values(first_id, last_id)
            for response_id, survey_id, day, band_id, language, organisation_id in chunk:
                yield [
                    response_pseudonym(response_id, key=key),
                    self._survey_slugs[survey_id],
                    day,
                    self._band_codes.get(band_id, ""),
                    language,
                    self._organisation(organisation_id),
                    *answers.get(response_id, no_answers),
                ]
            done += len(chunk)
            if progress and total:
                progress(min(done / total, 1.0))

    def _answer_values(self, first_id: int, last_id: int) -> dict[int, list[Any]]:
        """{response id: the values of its answers, one per question column} of the counted
        responses with ids from first_id to last_id.

        This is the inner loop of every raw export (about 16 answer rows per response), so it
        makes one pass over the answer rows and puts each value straight into its column; only
        the choices of a multiple choice or a ranking are gathered first and joined at the end.
        The responses are narrowed by id in a subquery as well as on the answers, so that
        PostgreSQL reads the chunk's responses by their key instead of hashing all of them
        for every chunk."""
        chunk_responses = self._counted().filter(id__gte=first_id, id__lte=last_id).values("id")
        answers = (
            Answer.objects.filter(
                response_id__gte=first_id,
                response_id__lte=last_id,
                response_id__in=chunk_responses,
            )
            .order_by()
            .values_list(
                "response_id", "question_id", "option_id", "rank", "number_value", "text_value"
            )
        )
        width = len(self.questions)
        columns = self._columns
        option_value = self._option_value
        scales, numbers = self._scales, self._numbers
        values_of: dict[int, list[Any]] = {}
        gathered: list[tuple[list[Any], int, str]] = []
        for response_id, question_id, option_id, rank, number, text in answers:
            values = values_of.get(response_id)
            if values is None:
                values = values_of[response_id] = [None] * width
            position, kind = columns[question_id]
            if kind == QuestionKind.SINGLE:
                values[position] = option_value.get(option_id, "")
            elif kind == QuestionKind.SCALE:
                values[position] = scales[number]
            elif kind == QuestionKind.NUMBER:
                values[position] = numbers[number]
            elif kind == QuestionKind.MULTIPLE or kind == QuestionKind.RANKING:
                choices = values[position]
                if choices is None:
                    values[position] = [(option_id, rank)]
                    gathered.append((values, position, kind))
                else:
                    choices.append((option_id, rank))
            else:
                values[position] = text
        option_order = self._option_order.__getitem__
        for values, position, kind in gathered:
            choices = values[position]
            if kind == QuestionKind.MULTIPLE:
                chosen = sorted((option_id for option_id, _rank in choices), key=option_order)
            else:  # a ranking: most important first
                chosen = [option_id for option_id, rank in sorted(choices, key=_rank_of)]
            values[position] = MULTIPLE_SEPARATOR.join(map(option_value.__getitem__, chosen))
        return values_of


def _rank_of(choice: tuple[int, int | None]) -> int:
    return choice[1] or 0


def _scale_value(number: Any) -> int:
    return int(Decimal(str(number)))


def _number_value(number: Any) -> Decimal:
    value = Decimal(str(number)).quantize(Decimal("0.01"))
    return value.to_integral_value() if value == value.to_integral_value() else value


class _Remembered(dict):
    """``convert(number)`` of the numbers seen so far: the answers to a scale or a number
    question take few values, each converted once. Zero is not kept (0 and -0 are equal keys
    but convert differently), nor anything past ``limit`` numbers, so that memory stays flat."""

    def __init__(self, convert: Callable[[Any], Any], limit: int = 10_000):
        super().__init__()
        self.convert = convert
        self.limit = limit

    def __missing__(self, number: Any) -> Any:
        value = self.convert(number)
        if number and len(self) < self.limit:
            self[number] = value
        return value
