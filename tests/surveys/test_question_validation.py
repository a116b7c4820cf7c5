"""Question, Option and Survey validation: what forms (the admin) are told before saving."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from surveys.models import Option, Question, QuestionKind

pytestmark = pytest.mark.django_db


def problems(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def new_question(survey, **fields) -> Question:
    fields = {"key": "extra", "kind": "single", "text_nl": "Vraag", "order": 99, **fields}
    return Question(survey=survey, **fields)


def test_a_scale_without_points_gets_five(survey):
    question = new_question(survey, kind=QuestionKind.SCALE)

    question.full_clean()

    assert question.scale_points == 5


def test_points_are_dropped_from_a_question_that_is_no_scale(survey):
    question = new_question(survey, kind=QuestionKind.TEXT, scale_points=3)

    question.full_clean()

    assert question.scale_points is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "single", "min_value": 1}, "min_value"),
        ({"kind": "number", "min_value": 5, "max_value": 1}, "max_value"),
        ({"kind": "single", "max_choices": 2}, "max_choices"),
        ({"min_age": 14, "max_age": 10}, "max_age"),
        ({"min_age": 2}, "min_age"),
        ({"kind": "text", "max_length": 20000}, "max_length"),
        ({"key": "sport"}, "__all__"),
        ({"key": "Not a slug!"}, "key"),
    ],
)
def test_a_question_that_breaks_a_rule_names_the_field(survey, fields, field):
    key = fields.pop("key", "extra")
    question = new_question(survey, **fields)
    question.key = key

    assert field in problems(question)


def test_an_option_of_a_scale_must_be_one_of_its_points(survey):
    mood = survey.questions.get(key="mood")

    assert "value" in problems(Option(question=mood, value="6", label_nl="Zes"))
    Option(question=mood, value="5", label_nl="Super").full_clean()


def test_a_number_or_text_question_has_no_options(survey):
    hours = survey.questions.get(key="hours")

    assert "__all__" in problems(Option(question=hours, value="few", label_nl="Weinig"))


def test_a_survey_opens_only_when_every_choice_question_has_two_options(make_survey, campaign):
    survey = make_survey(campaign, slug="half", status="draft")
    question = Question.objects.create(survey=survey, key="q", kind="single", text_nl="Vraag")
    Option.objects.create(question=question, value="a", label_nl="A")
    survey.status = "open"

    assert problems(survey)["status"] == ["Question 'q' needs at least two options."]

    Option.objects.create(question=question, value="b", label_nl="B")
    survey.full_clean()


def test_a_survey_closes_after_it_opens(make_survey, campaign):
    from django.utils import timezone

    now = timezone.now()
    survey = make_survey(campaign, slug="tijd", status="draft")
    survey.opens_at, survey.closes_at = now, now

    assert "closes_at" in problems(survey)
