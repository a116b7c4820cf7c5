"""Row 1: SQL queries of one submission, a 20-question and a 60-question survey."""

from __future__ import annotations

import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks.context import Bench
from benchmarks.datagen import make_campaign
from benchmarks.report import Line
from surveys.models import Option, Question, QuestionKind, Survey, SurveyStatus
from surveys.services import response_submit

ROW = "1"
TITLE = "queries per submission"
LIMIT = 6
KINDS = [
    QuestionKind.SINGLE,
    QuestionKind.MULTIPLE,
    QuestionKind.SCALE,
    QuestionKind.NUMBER,
    QuestionKind.TEXT,
    QuestionKind.RANKING,
]
ANSWER = {
    QuestionKind.SINGLE: "b",
    QuestionKind.MULTIPLE: ["a", "c"],
    QuestionKind.SCALE: 4,
    QuestionKind.NUMBER: 7,
    QuestionKind.TEXT: "Het is leuk op school, soms.",
    QuestionKind.RANKING: ["c", "a", "b"],
}


def _survey(campaign, size: int) -> tuple[Survey, dict[str, object]]:
    survey = Survey.objects.create(
        campaign=campaign, slug=f"vragen-{size}", title_nl=f"{size} vragen"
    )
    answers: dict[str, object] = {}
    for number in range(size):
        kind = KINDS[number % len(KINDS)]
        question = Question.objects.create(
            survey=survey,
            key=f"q{number}",
            kind=kind,
            order=number,
            text_nl=f"Vraag {number}",
            scale_points=5 if kind == QuestionKind.SCALE else None,
        )
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING):
            for position, value in enumerate("abc"):
                Option.objects.create(
                    question=question, value=value, label_nl=value.upper(), order=position
                )
        answers[question.key] = ANSWER[kind]
    survey.status = SurveyStatus.OPEN
    survey.save()
    return Survey.objects.select_related("campaign").get(pk=survey.pk), answers


def _count(survey: Survey, answers: dict[str, object], invite_code: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        result = response_submit(
            survey=survey,
            client_token=uuid.uuid4(),
            language="nl",
            age=10,
            invite_code=invite_code,
            assent=True,
            answers=answers,
        )
    assert result.created
    return len(queries)


def run(bench: Bench) -> None:
    report = bench.report
    campaign, invites = make_campaign("bench-queries", "Bench queries")
    counts: dict[int, tuple[int, int]] = {}
    for size in (20, 60):
        survey, answers = _survey(campaign, size)
        cold = _count(survey, answers, invites[0].code)  # fills the definition cache
        warm = _count(survey, answers, invites[0].code)
        counts[size] = (cold, warm)
    small, large = counts[20][1], counts[60][1]
    report.add(
        Line(
            ROW,
            "queries per submission, 60 vs 20 questions (warm definition cache)",
            f"{large} queries (60 q)",
            f"{small} queries (20 q)",
            f"{large / small:.2f}x" if small else "—",
            f"≤ {LIMIT} each, ratio 1.00",
            passed=small <= LIMIT and large <= LIMIT and small == large,
        )
    )
    report.note(
        ROW,
        f"response_submit inside CaptureQueriesContext, a full answer to every question, with "
        f"an invite code: 20 questions {counts[20][1]} queries, 60 questions {counts[60][1]} "
        f"(warm definition cache); the first submission of each (cold cache, the definition "
        f"loaded) took {counts[20][0]} and {counts[60][0]}.",
    )
