"""Reads for coding: the open answers and their filters, neighbours, the codebook with its
suppressed frequencies (against a plain-Python reference), quotes and theme suggestions."""

from __future__ import annotations

import random
from collections import defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analysis.coding import answer_coding_save, code_create
from analysis.coding_selectors import (
    codebook,
    open_answer_neighbours,
    open_answer_questions,
    open_answers,
    quotes,
    theme_suggestions,
)
from analysis.models import ThemeSuggestion
from analysis.suppression import Cell, SuppressedGroup, protect_rows, suppress_group
from config.exceptions import InvalidInputError
from consultations.models import AgeBand, Campaign
from surveys.models import Survey, SurveyStatus
from surveys.services import response_withdraw
from tests.analysis.conftest import add_question, make_campaign, submit_open_answer

pytestmark = pytest.mark.django_db


def ids(answers) -> list[int]:
    return [answer.pk for answer in answers]


def code(answer, campaign, user, *codes, quote=False):
    answer_coding_save(
        answer_id=answer.pk,
        campaign=campaign,
        code_ids=[c.pk for c in codes],
        is_quote=quote,
        user=user,
    )


@pytest.fixture
def wish(survey):
    """A second free-text question, after the survey's ``story``."""
    return add_question(survey, "wish", "text")


# --- Questions and answers ------------------------------------------------------------------------


def test_the_free_text_questions_of_the_campaign_come_survey_by_survey_in_order(
    campaign, survey, wish
):
    later = Survey.objects.create(campaign=campaign, slug="later", title_nl="Later")
    add_question(later, "more", "text")
    elsewhere = Survey.objects.create(
        campaign=make_campaign("other-theme"), slug="elsewhere", title_nl="Elders"
    )
    add_question(elsewhere, "story", "text")

    questions = open_answer_questions(campaign=campaign)

    assert [(q.survey.slug, q.key) for q in questions] == [
        ("op-school", "story"),
        ("op-school", "wish"),
        ("later", "more"),
    ]


def test_open_answers_are_the_typed_texts_of_responses_not_withdrawn(campaign, survey, wish):
    first = submit_open_answer(survey, "Fine", mood=4, sport="dance")
    submit_open_answer(survey, "Gone", withdraw=True)
    second = submit_open_answer(survey, "A wish", key="wish")
    other = make_campaign("other-theme")
    elsewhere = Survey.objects.create(
        campaign=other, slug="elsewhere", title_nl="Elders", status=SurveyStatus.OPEN
    )
    add_question(elsewhere, "story", "text")
    submit_open_answer(elsewhere, "Elsewhere")

    answers = open_answers(campaign=campaign)

    assert ids(answers) == [first.pk, second.pk]
    assert answers[0].response.age_band.code == "12-14"
    assert answers[0].question.survey.slug == "op-school"


class TestFilters:
    @pytest.fixture
    def answers(self, campaign, survey, wish, analyst):
        play = code_create(campaign=campaign, label="Play", user=analyst)
        school = code_create(campaign=campaign, label="School", user=analyst)
        made = {
            "young_nl": submit_open_answer(survey, "More PLAY time", age=7),
            "old_fr": submit_open_answer(survey, "Plus de temps", age=16, language="fr"),
            "wish_en": submit_open_answer(survey, "A playground", key="wish", language="en"),
            "uncoded": submit_open_answer(survey, "Later", age=10),
        }
        code(made["young_nl"], campaign, analyst, play, quote=True)
        code(made["old_fr"], campaign, analyst, school)
        code(made["wish_en"], campaign, analyst)
        return {**made, "play": play, "school": school}

    def test_by_question(self, campaign, wish, answers):
        assert ids(open_answers(campaign=campaign, question_id=wish.pk)) == [answers["wish_en"].pk]
        assert ids(open_answers(campaign=campaign, question_id=str(wish.pk))) == [
            answers["wish_en"].pk
        ]

    def test_by_age_band(self, campaign, answers):
        band = AgeBand.objects.get(campaign=campaign, code="6-8")
        assert ids(open_answers(campaign=campaign, age_band_id=band.pk)) == [answers["young_nl"].pk]

    def test_by_language(self, campaign, answers):
        assert ids(open_answers(campaign=campaign, language="fr")) == [answers["old_fr"].pk]

    @pytest.mark.parametrize(
        ("status", "expected"),
        [
            ("all", ["young_nl", "old_fr", "wish_en", "uncoded"]),
            ("", ["young_nl", "old_fr", "wish_en", "uncoded"]),
            ("uncoded", ["uncoded"]),
            ("coded", ["young_nl", "old_fr", "wish_en"]),
            ("quotes", ["young_nl"]),
        ],
    )
    def test_by_status(self, campaign, answers, status, expected):
        assert ids(open_answers(campaign=campaign, status=status)) == [
            answers[name].pk for name in expected
        ]

    def test_by_code(self, campaign, answers):
        assert ids(open_answers(campaign=campaign, code_id=answers["school"].pk)) == [
            answers["old_fr"].pk
        ]

    def test_by_text_whatever_the_case(self, campaign, answers):
        assert ids(open_answers(campaign=campaign, search="  play ")) == [
            answers["young_nl"].pk,
            answers["wish_en"].pk,
        ]

    def test_filters_combine(self, campaign, answers):
        found = open_answers(campaign=campaign, search="play", status="coded", language="en")
        assert ids(found) == [answers["wish_en"].pk]

    def test_each_answer_comes_with_its_codes(self, campaign, answers):
        found = {answer.pk: answer for answer in open_answers(campaign=campaign)}
        with CaptureQueriesContext(connection) as captured:
            labels = {
                pk: [c.label for c in answer.coding.codes.all()]
                if hasattr(answer, "coding")
                else None
                for pk, answer in found.items()
            }
        assert len(captured) == 0
        assert labels[answers["young_nl"].pk] == ["Play"]
        assert labels[answers["wish_en"].pk] == []
        assert labels[answers["uncoded"].pk] is None

    @pytest.mark.parametrize(
        ("filters", "field"),
        [
            ({"question_id": "abc"}, "question"),
            ({"question_id": 10**30}, "question"),
            ({"age_band_id": "-1"}, "age_band"),
            ({"language": "de"}, "language"),
            ({"status": "done"}, "status"),
            ({"code_id": "1.5"}, "code"),
            ({"search": "x" * 201}, "search"),
        ],
    )
    def test_a_value_that_does_not_fit_names_its_filter(self, campaign, answers, filters, field):
        with pytest.raises(InvalidInputError) as caught:
            list(open_answers(campaign=campaign, **filters))
        assert caught.value.field == field

    def test_a_question_band_or_code_of_another_campaign_is_refused(
        self, campaign, answers, survey, analyst
    ):
        other = make_campaign("other-theme")
        foreign_code = code_create(campaign=other, label="Play", user=analyst)
        mood = survey.questions.get(key="mood")
        for filters, field in (
            ({"question_id": mood.pk}, "question"),
            ({"age_band_id": other.age_bands.first().pk}, "age_band"),
            ({"code_id": foreign_code.pk}, "code"),
        ):
            with pytest.raises(InvalidInputError) as caught:
                open_answers(campaign=campaign, **filters)
            assert caught.value.field == field


class TestNeighbours:
    @pytest.fixture
    def five(self, survey):
        return [submit_open_answer(survey, f"Answer {n}") for n in range(5)]

    def test_it_gives_previous_next_position_and_total(self, campaign, five):
        queryset = open_answers(campaign=campaign)
        assert open_answer_neighbours(queryset=queryset, answer_id=five[2].pk) == (
            five[1].pk,
            five[3].pk,
            3,
            5,
        )
        assert open_answer_neighbours(queryset=queryset, answer_id=five[0].pk) == (
            None,
            five[1].pk,
            1,
            5,
        )
        assert open_answer_neighbours(queryset=queryset, answer_id=five[4].pk) == (
            five[3].pk,
            None,
            5,
            5,
        )

    def test_an_answer_outside_the_filter_has_no_position_but_its_neighbours(
        self, campaign, five, analyst
    ):
        code(five[2], campaign, analyst)
        uncoded = open_answers(campaign=campaign, status="uncoded")
        assert open_answer_neighbours(queryset=uncoded, answer_id=five[2].pk) == (
            five[1].pk,
            five[3].pk,
            None,
            4,
        )

    def test_it_takes_three_queries_however_many_answers(self, campaign, survey, five):
        def queries() -> int:
            queryset = open_answers(campaign=campaign, search="answer")
            with CaptureQueriesContext(connection) as captured:
                open_answer_neighbours(queryset=queryset, answer_id=five[1].pk)
            return len(captured)

        few = queries()
        for n in range(25):
            submit_open_answer(survey, f"Answer more {n}")
        assert few == queries() == 3


# --- The codebook ---------------------------------------------------------------------------------


def reference_codebook(coded_rows, bands: list[AgeBand], codes: list, k: int):
    """What the codebook must publish, worked out in plain Python from what the test coded.

    ``coded_rows``: (response id, band id, code ids, withdrawn) per coded open answer. Codes
    are cells in the codebook's order (by label), which decides ties in suppression."""
    codes = sorted(codes, key=lambda c: c.label.lower())
    counted = [row for row in coded_rows if not row[3]]
    per_band: dict[int, set[int]] = defaultdict(set)
    per_code_band: dict[tuple[int, int], set[int]] = defaultdict(set)
    for response_id, band_id, code_ids, _withdrawn in counted:
        per_band[band_id].add(response_id)
        for code_id in code_ids:
            per_code_band[(code_id, band_id)].add(response_id)
    total = len({row[0] for row in counted})
    overall = suppress_group(
        {c.pk: len(set().union(*(per_code_band[(c.pk, b.pk)] for b in bands))) for c in codes},
        total=total,
        k=k,
        exact_total=True,
    )
    sizes = suppress_group(
        {b.pk: len(per_band[b.pk]) for b in bands}, total=total, k=k, exact_total=True
    )
    in_band = {
        b.pk: suppress_group(
            {c.pk: len(per_code_band[(c.pk, b.pk)]) for c in codes},
            total=len(per_band[b.pk]),
            k=k,
        )
        for b in bands
    }
    hidden = {b.pk for b in bands if sizes.cells[b.pk].suppressed or in_band[b.pk].suppressed}
    # The bands read as a table whose row totals are the overall counts.
    in_band = protect_rows(
        {
            b.pk: SuppressedGroup(
                n=None, suppressed=True, cells={c.pk: Cell(None, True) for c in codes}
            )
            if b.pk in hidden
            else in_band[b.pk]
            for b in bands
        },
        {b.pk: {c.pk: len(per_code_band[(c.pk, b.pk)]) for c in codes} for b in bands},
        overall=overall,
        k=k,
    )
    return {
        "coded_responses": total,
        "bands": [(b.code, None if b.pk in hidden else len(per_band[b.pk])) for b in bands],
        "codes": {
            c.label: (
                overall.value(c.pk),
                [None if b.pk in hidden else in_band[b.pk].value(c.pk) for b in bands],
            )
            for c in codes
        },
    }


def published(book) -> dict:
    return {
        "coded_responses": book["coded_responses"],
        "bands": [(band["code"], band["n"]) for band in book["age_bands"]],
        "codes": {
            entry["label"]: (
                entry["frequency"]["overall"]["count"],
                [cell["count"] for cell in entry["frequency"]["by_age_band"]],
            )
            for entry in book["codes"]
        },
    }


@pytest.mark.parametrize("k", [5, 10])
def test_code_frequencies_equal_a_plain_python_reference_with_suppression(
    campaign: Campaign, survey, wish, analyst, k
):
    Campaign.objects.filter(pk=campaign.pk).update(min_cell_size=k)
    campaign.refresh_from_db()
    rng = random.Random(k)
    codes = [
        code_create(campaign=campaign, label=label, user=analyst)
        for label in ("Play", "School", "Safety", "Food", "Rare")
    ]
    bands = list(AgeBand.objects.filter(campaign=campaign).order_by("order", "min_age"))
    band_of_age = {age: band for band in bands for age in range(band.min_age, band.max_age + 1)}
    coded_rows = []
    for n in range(140):
        # Three of the youngest, many teenagers: some bands are under k, some above.
        age = 7 if n < 3 else rng.choice([10, 10, 13, 13, 13, 16, 16, 16, 16])
        answers = {"wish": f"wish {n}"} if rng.random() < 0.5 else {}
        story = submit_open_answer(survey, f"story {n}", age=age, **answers)
        texts = [story]
        if answers:
            texts.append(story.response.answers.get(question__key="wish"))
        withdraw = rng.random() < 0.1
        for answer in texts:
            if rng.random() < 0.3:
                continue  # left uncoded
            chosen = [c for c in codes[:4] if rng.random() < 0.4]
            if n % 37 == 0:
                chosen.append(codes[4])
            code(answer, campaign, analyst, *chosen, quote=rng.random() < 0.1)
            coded_rows.append(
                (story.response_id, band_of_age[age].pk, [c.pk for c in chosen], withdraw)
            )
        if withdraw:
            response_withdraw(code=story.response.receipt_code)

    book = codebook(campaign=campaign)

    assert published(book) == reference_codebook(coded_rows, bands, codes, k)
    assert book["k"] == k
    # Every published count is 0 or at least k, and None exactly when suppressed.
    for entry in book["codes"]:
        for cell in [entry["frequency"]["overall"], *entry["frequency"]["by_age_band"]]:
            assert (cell["count"] is None) == cell["suppressed"]
            assert cell["count"] is None or not 0 < cell["count"] < k
    assert any(cell[1] is None for cell in published(book)["bands"])  # the test hides a band
    assert any(cell[1] is not None for cell in published(book)["bands"])


def test_answers_of_withdrawn_responses_leave_the_counts(campaign, survey, analyst):
    play = code_create(campaign=campaign, label="Play", user=analyst)
    kept = [submit_open_answer(survey, f"Play {n}") for n in range(6)]
    gone = submit_open_answer(survey, "Play more")
    for answer in [*kept, gone]:
        code(answer, campaign, analyst, play, quote=True)
    submit_open_answer(survey, "Not coded yet")
    response_withdraw(code=gone.response.receipt_code)

    book = codebook(campaign=campaign)

    assert book["coded_responses"] == 6
    assert book["codes"][0]["frequency"]["overall"] == {"count": 6, "suppressed": False}
    assert book["answers"] == {"total": 7, "coded": 6, "uncoded": 1, "quotes": 6}
    band = next(band for band in book["age_bands"] if band["code"] == "12-14")
    assert band["n"] == 6


def test_the_codebook_lists_codes_by_label_with_their_articles(campaign, analyst):
    code_create(campaign=campaign, label="school", article_numbers=[28, 29], user=analyst)
    code_create(campaign=campaign, label="Play", description="Free time", user=analyst)

    book = codebook(campaign=campaign)

    assert [entry["label"] for entry in book["codes"]] == ["Play", "school"]
    assert book["codes"][0]["description"] == "Free time"
    assert [article["code"] for article in book["codes"][1]["articles"]] == ["28", "29"]
    assert book["codes"][1]["articles"][0]["title"]
    assert book["coded_responses"] == 0
    assert [band["code"] for band in book["age_bands"]] == ["6-8", "9-11", "12-14", "15-17"]
    assert all(band["suppressed"] for band in book["age_bands"])


def test_the_codebook_takes_the_same_number_of_queries_for_3_and_30_codes(
    campaign, survey, analyst
):
    answers = [submit_open_answer(survey, f"Answer {n}", age=7 + n % 10) for n in range(12)]

    def queries(count: int) -> int:
        codes = [
            code_create(
                campaign=campaign, label=f"Code {count}-{n}", article_numbers=[n + 1], user=analyst
            )
            for n in range(count)
        ]
        for position, answer in enumerate(answers):
            code(answer, campaign, analyst, *codes[position % count :: 2])
        with CaptureQueriesContext(connection) as captured:
            book = codebook(campaign=campaign)
        assert len(book["codes"]) >= count
        return len(captured)

    assert queries(3) == queries(30) == 6


# --- Quotes and suggestions -----------------------------------------------------------------------


def test_quotes_are_the_answers_marked_for_the_report_with_their_context(campaign, survey, analyst):
    play = code_create(campaign=campaign, label="Play", user=analyst)
    food = code_create(campaign=campaign, label="food", user=analyst)
    quoted = submit_open_answer(survey, "We need a real playground!", age=9, language="fr")
    also = submit_open_answer(survey, "Lunch is cold", age=15)
    plain = submit_open_answer(survey, "Nothing")
    withdrawn = submit_open_answer(survey, "Quoted, then withdrawn")
    code(quoted, campaign, analyst, play, food, quote=True)
    code(also, campaign, analyst, quote=True)
    code(plain, campaign, analyst, play)
    code(withdrawn, campaign, analyst, play, quote=True)
    response_withdraw(code=withdrawn.response.receipt_code)

    found = quotes(campaign=campaign)

    assert found == [
        {
            "answer_id": quoted.pk,
            "text": "We need a real playground!",
            "language": "fr",
            "question_id": quoted.question_id,
            "question_key": "story",
            "question_text": "Question story",
            "survey_slug": "op-school",
            "age_band": "9-11",
            "codes": ["food", "Play"],
        },
        {
            "answer_id": also.pk,
            "text": "Lunch is cold",
            "language": "nl",
            "question_id": also.question_id,
            "question_key": "story",
            "question_text": "Question story",
            "survey_slug": "op-school",
            "age_band": "15-17",
            "codes": [],
        },
    ]
    assert [q["answer_id"] for q in quotes(campaign=campaign, language="nl")] == [also.pk]
    with pytest.raises(InvalidInputError) as caught:
        quotes(campaign=campaign, language="xx")
    assert caught.value.field == "language"


def test_theme_suggestions_are_the_open_ones_by_default(campaign):
    def suggest(phrase: str, language: str, status: str = "suggested", count: int = 2):
        return ThemeSuggestion.objects.create(
            campaign=campaign, language=language, phrase=phrase, status=status, answer_count=count
        )

    toilets = suggest("toiletten", "nl", count=5)
    play = suggest("spelen", "nl", count=9)
    cantine = suggest("cantine", "fr")
    ignored = suggest("school", "nl", status="ignored")

    assert list(theme_suggestions(campaign=campaign)) == [cantine, play, toilets]
    assert list(theme_suggestions(campaign=campaign, language="nl")) == [play, toilets]
    assert list(theme_suggestions(campaign=campaign, status="ignored")) == [ignored]
    assert len(theme_suggestions(campaign=campaign, status="all")) == 4
    with pytest.raises(InvalidInputError) as caught:
        theme_suggestions(campaign=campaign, status="maybe")
    assert caught.value.field == "status"
