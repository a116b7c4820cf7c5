"""surveys.demo.seed_demo_survey: a demo survey that shows everything a survey can do."""

from __future__ import annotations

import json
import uuid

import pytest

from surveys.demo import DEMO_SURVEY_SLUG, seed_demo_survey
from surveys.models import QuestionKind, Response, Survey
from surveys.selectors import survey_view

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(campaign) -> Survey:
    return seed_demo_survey(campaign=campaign)


def test_it_is_open_and_titled_in_three_languages(demo):
    assert demo.is_open()
    assert (demo.title_nl, demo.title_fr, demo.title_en) == (
        "Hoe voel jij je op school?",
        "Comment te sens-tu à l'école ?",
        "How do you feel at school?",
    )
    assert demo.intro_nl and demo.intro_fr and demo.intro_en


def test_it_uses_every_kind_of_question(demo):
    assert set(demo.questions.values_list("kind", flat=True)) == set(QuestionKind.values)
    assert demo.questions.get(kind=QuestionKind.MULTIPLE).max_choices == 3
    assert demo.questions.get(kind=QuestionKind.SCALE).scale_points == 5


def test_every_question_is_worded_in_three_languages_and_tagged(demo):
    for question in demo.questions.all():
        assert question.text_nl and question.text_fr and question.text_en, question.key
        assert question.articles.exists(), question.key
        for option in question.options.all():
            assert option.label_nl and option.label_fr and option.label_en, option.value
    tags = set(demo.questions.values_list("articles__code", flat=True))
    assert tags == {"12", "24", "28", "29", "31"}


def test_it_has_easy_read_wording_a_condition_and_an_age_restriction(demo):
    assert demo.questions.exclude(easy_text_nl="").count() >= 5
    conditional = demo.questions.get(show_if__isnull=False)
    assert conditional.show_if == {"question": "worries", "any_of": ["bullying"]}
    assert demo.questions.get(min_age=12).key == "say_in_school"


def test_a_ten_year_old_gets_easy_wording_without_the_older_question(demo):
    young = survey_view(survey=demo, language="nl", age=10)
    older = survey_view(survey=demo, language="fr", age=15)

    assert young.easy_read and young.questions[0].text == "Hoe voel jij je op school?"
    assert "say_in_school" not in [q.key for q in young.questions]
    assert "say_in_school" in [q.key for q in older.questions]
    assert older.questions[0].text == "Comment te sens-tu généralement à l'école ?"


def test_running_it_again_changes_nothing(demo, campaign):
    questions = demo.questions.count()

    again = seed_demo_survey(campaign=campaign)

    assert again.pk == demo.pk
    assert Survey.objects.filter(slug=DEMO_SURVEY_SLUG).count() == 1
    assert again.questions.count() == questions


def test_a_young_person_can_answer_every_question_through_the_api(client, demo):
    answers = {
        "feeling": 4,
        "best_part": "friends",
        "worries": ["tests", "bullying"],
        "bullying_help": "not_sure",
        "homework_hours": 3,
        "improve_first": ["say", "toilets", "food"],
        "message": "Meer groen op de speelplaats!",
    }
    response = client.post(
        f"/api/v1/surveys/{DEMO_SURVEY_SLUG}/responses/",
        json.dumps(
            {
                "client_token": str(uuid.uuid4()),
                "language": "nl",
                "age": 10,
                "invite": None,
                "assent": True,
                "answers": answers,
            }
        ),
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    assert Response.objects.get().answers.count() == 10
