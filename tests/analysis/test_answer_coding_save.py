"""Coding one open answer: its codes, whether it is a quote, and back to uncoded."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analysis.coding import answer_coding_clear, answer_coding_save, code_create
from analysis.models import AnswerCode, AnswerCoding
from config.exceptions import InvalidInputError, NotFoundError
from consultations.models import Campaign
from surveys.models import Answer, Survey, SurveyStatus
from tests.analysis.conftest import add_question, make_campaign, submit_open_answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def codes(campaign, analyst):
    return [
        code_create(campaign=campaign, label=label, user=analyst)
        for label in ("Play", "School", "Safety")
    ]


def labels(answer: Answer) -> list[str]:
    coding = AnswerCoding.objects.get(answer=answer)
    return sorted(code.label for code in coding.codes.all())


def test_it_gives_an_answer_its_codes_and_marks_it_as_a_quote(campaign, survey, codes, analyst):
    answer = submit_open_answer(survey, "Safe toilets at school please")

    coding = answer_coding_save(
        answer_id=answer.pk,
        campaign=campaign,
        code_ids=[codes[1].pk, codes[2].pk],
        is_quote=True,
        user=analyst,
    )

    assert coding.answer_id == answer.pk
    assert labels(answer) == ["Safety", "School"]
    stored = AnswerCoding.objects.get(answer=answer)
    assert stored.is_quote is True
    assert stored.coded_by == analyst
    assert stored.coded_at is not None


def test_saving_again_replaces_the_codes_and_the_quote_mark(campaign, survey, codes, analyst):
    answer = submit_open_answer(survey, "More time to play")
    save = dict(answer_id=answer.pk, campaign=campaign, user=analyst)
    answer_coding_save(**save, code_ids=[codes[0].pk, codes[1].pk], is_quote=True)

    answer_coding_save(**save, code_ids=[str(codes[2].pk), codes[0].pk], is_quote=False)

    assert labels(answer) == ["Play", "Safety"]
    assert AnswerCoding.objects.get(answer=answer).is_quote is False
    assert AnswerCoding.objects.count() == 1


def test_no_codes_means_read_with_nothing_to_code(campaign, survey, codes, analyst):
    answer = submit_open_answer(survey, "Nothing to say")
    answer_coding_save(
        answer_id=answer.pk, campaign=campaign, code_ids=[], is_quote=False, user=analyst
    )
    assert labels(answer) == []
    assert AnswerCoding.objects.filter(answer=answer).exists()


def test_clearing_makes_the_answer_uncoded_again(campaign, survey, codes, analyst):
    answer = submit_open_answer(survey, "More time to play")
    answer_coding_save(
        answer_id=answer.pk, campaign=campaign, code_ids=[codes[0].pk], is_quote=True, user=analyst
    )

    answer_coding_clear(answer_id=answer.pk, campaign=campaign)

    assert not AnswerCoding.objects.filter(answer=answer).exists()
    assert not AnswerCode.objects.exists()
    assert codes[0].pk in {code.pk for code in codes}  # the code itself stays


class TestWhatCannotBeCoded:
    def test_an_answer_of_a_withdrawn_response_is_not_found(self, campaign, survey, analyst):
        answer = submit_open_answer(survey, "Take it back", withdraw=True)
        with pytest.raises(NotFoundError):
            answer_coding_save(
                answer_id=answer.pk, campaign=campaign, code_ids=[], is_quote=False, user=analyst
            )
        with pytest.raises(NotFoundError):
            answer_coding_clear(answer_id=answer.pk, campaign=campaign)
        assert not AnswerCoding.objects.exists()

    def test_an_answer_to_a_question_that_is_not_free_text_is_not_found(
        self, campaign, survey, analyst
    ):
        story = submit_open_answer(survey, "Fine", mood=4)
        mood = Answer.objects.get(response=story.response, question__key="mood")
        with pytest.raises(NotFoundError):
            answer_coding_save(
                answer_id=mood.pk, campaign=campaign, code_ids=[], is_quote=False, user=analyst
            )

    def test_an_answer_of_another_campaign_is_not_found(self, campaign, survey, analyst):
        other = make_campaign("other-theme")
        other_survey = Survey.objects.create(
            campaign=other, slug="elders", title_nl="Anders", status=SurveyStatus.OPEN
        )
        add_question(other_survey, "story", "text")
        answer = submit_open_answer(other_survey, "Elsewhere")
        with pytest.raises(NotFoundError):
            answer_coding_save(
                answer_id=answer.pk, campaign=campaign, code_ids=[], is_quote=False, user=analyst
            )

    @pytest.mark.parametrize("answer_id", [0, -1, 987654, 2**70, "abc", "12x", None])
    def test_an_answer_id_that_does_not_exist_is_not_found(self, campaign, analyst, answer_id):
        with pytest.raises(NotFoundError):
            answer_coding_save(
                answer_id=answer_id, campaign=campaign, code_ids=[], is_quote=False, user=analyst
            )

    def test_a_code_of_another_campaign_is_refused_and_nothing_changes(
        self, campaign, survey, codes, analyst
    ):
        foreign = code_create(campaign=make_campaign("other-theme"), label="Play", user=analyst)
        answer = submit_open_answer(survey, "Play")
        answer_coding_save(
            answer_id=answer.pk,
            campaign=campaign,
            code_ids=[codes[0].pk],
            is_quote=True,
            user=analyst,
        )
        with pytest.raises(InvalidInputError) as caught:
            answer_coding_save(
                answer_id=answer.pk,
                campaign=campaign,
                code_ids=[codes[1].pk, foreign.pk],
                is_quote=False,
                user=analyst,
            )
        assert caught.value.field == "codes"
        assert labels(answer) == ["Play"]
        assert AnswerCoding.objects.get(answer=answer).is_quote is True

    @pytest.mark.parametrize("bad", ["x", None, 1.5, True, -3, 2**70])
    def test_a_code_id_that_is_not_an_id_is_refused(self, campaign, survey, codes, analyst, bad):
        answer = submit_open_answer(survey, "Play")
        with pytest.raises(InvalidInputError) as caught:
            answer_coding_save(
                answer_id=answer.pk, campaign=campaign, code_ids=[bad], is_quote=False, user=analyst
            )
        assert caught.value.field == "codes"
        assert not AnswerCoding.objects.exists()


def test_the_number_of_queries_does_not_grow_with_the_number_of_codes(
    campaign: Campaign, survey, analyst
):
    many = [code_create(campaign=campaign, label=f"Code {n}", user=analyst) for n in range(12)]
    first = submit_open_answer(survey, "One")
    second = submit_open_answer(survey, "Two")

    def queries(answer: Answer, code_ids: list[int]) -> int:
        with CaptureQueriesContext(connection) as captured:
            answer_coding_save(
                answer_id=answer.pk,
                campaign=campaign,
                code_ids=code_ids,
                is_quote=False,
                user=analyst,
            )
        return len(captured)

    # A first coding (insert), then a change (update), with one code and with twelve.
    assert queries(first, [many[0].pk]) == queries(second, [code.pk for code in many])
    assert queries(first, [code.pk for code in many]) == queries(second, [many[1].pk])
    assert queries(first, [many[2].pk]) <= 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_staff_saving_the_same_answer_at_once_both_succeed(campaign, survey, analyst):
    codes = [code_create(campaign=campaign, label=f"Code {n}", user=analyst) for n in range(4)]
    for _round in range(5):
        answer = submit_open_answer(survey, "Both of us read this")
        barrier = threading.Barrier(2)
        errors: list[Exception] = []
        chosen = ([codes[0].pk, codes[1].pk], [codes[2].pk, codes[3].pk])

        def save(
            code_ids: list[int],
            answer_id: int = answer.pk,
            barrier: threading.Barrier = barrier,
            errors: list[Exception] = errors,
        ) -> None:
            try:
                barrier.wait(timeout=10)
                answer_coding_save(
                    answer_id=answer_id,
                    campaign=campaign,
                    code_ids=code_ids,
                    is_quote=False,
                    user=analyst,
                )
            except Exception as error:  # reported by the assertion below
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=save, args=(ids,)) for ids in chosen]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        assert errors == []
        assert AnswerCoding.objects.filter(answer=answer).count() == 1
        # The last save wins whole: never a mix of the two.
        stored = sorted(
            AnswerCode.objects.filter(coding__answer=answer).values_list("code_id", flat=True)
        )
        assert stored in [sorted(ids) for ids in chosen]
