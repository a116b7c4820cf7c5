"""surveys.selectors.visible_questions: show_if applied to the answers so far."""

from __future__ import annotations

import pytest

from surveys.models import QuestionKind
from surveys.selectors import survey_view, visible_questions
from tests.surveys.conftest import add_question

pytestmark = pytest.mark.django_db


def visible(survey, answers, age: int = 10) -> list[str]:
    view = survey_view(survey=survey, language="nl", age=age)
    return [question.key for question in visible_questions(view, answers)]


def test_a_conditional_question_is_hidden_until_its_answer_is_given(survey):
    assert "sport_where" not in visible(survey, {})
    assert "sport_where" not in visible(survey, {"sport": "swimming"})
    assert "sport_where" in visible(survey, {"sport": "football"})


def test_the_other_questions_stay_in_order(survey):
    assert visible(survey, {"sport": "football"}) == [
        "mood",
        "sport",
        "sport_where",
        "hobbies",
        "hours",
        "story",
        "priorities",
    ]


def test_a_condition_on_a_several_choices_question_holds_for_any_chosen_value(survey):
    add_question(
        survey,
        "which_music",
        QuestionKind.TEXT,
        show_if={"question": "hobbies", "any_of": ["music", "drawing"]},
    )
    survey.refresh_from_db()

    assert "which_music" in visible(survey, {"hobbies": ["games", "music"]})
    assert "which_music" not in visible(survey, {"hobbies": ["games"]})


def test_a_question_depending_on_a_hidden_one_is_hidden_too(survey):
    add_question(
        survey,
        "club_name",
        QuestionKind.TEXT,
        show_if={"question": "sport_where", "any_of": ["club"]},
    )
    survey.refresh_from_db()

    # sport_where was answered "club" earlier, then sport changed: both are hidden now.
    assert "club_name" not in visible(survey, {"sport": "dance", "sport_where": "club"})
    assert "club_name" in visible(survey, {"sport": "football", "sport_where": "club"})


def test_a_question_depending_on_one_not_asked_at_this_age_is_hidden(survey):
    add_question(
        survey, "say_how", QuestionKind.TEXT, show_if={"question": "say", "any_of": ["yes"]}
    )
    survey.refresh_from_db()

    assert "say_how" not in visible(survey, {"say": "yes"}, age=10)
    assert "say_how" in visible(survey, {"say": "yes"}, age=12)
