"""surveys.selectors.survey_view: the survey as one young person sees it."""

from __future__ import annotations

import pytest

from config.exceptions import InvalidInputError
from surveys.models import Option, Question, QuestionKind
from surveys.selectors import survey_ages, survey_languages, survey_view
from tests.surveys.conftest import add_question

pytestmark = pytest.mark.django_db


def keys(view) -> list[str]:
    return [question.key for question in view.questions]


def question(view, key: str):
    return next(q for q in view.questions if q.key == key)


def test_it_gives_the_survey_in_the_chosen_language(survey):
    view = survey_view(survey=survey, language="fr", age=13)

    assert (view.slug, view.title, view.language) == ("op-school", "À l'école", "fr")
    assert question(view, "sport").text == "Question sport"
    assert [o.label for o in question(view, "sport").options] == [
        "Football (fr)",
        "Swimming (fr)",
        "Dance (fr)",
    ]


def test_an_untranslated_text_falls_back_to_dutch(survey):
    add_question(survey, "lunch", QuestionKind.TEXT, text_nl="Wat eet je?", text_fr="")
    survey.refresh_from_db()

    view = survey_view(survey=survey, language="fr", age=13)

    assert view.intro == "Zeg het ons."  # no French introduction
    assert question(view, "lunch").text == "Wat eet je?"


def test_an_easy_read_band_gets_the_easy_wording(survey):
    young = survey_view(survey=survey, language="en", age=9)
    older = survey_view(survey=survey, language="en", age=12)

    assert (young.age_band_code, young.easy_read) == ("9-11", True)
    assert question(young, "mood").text == "How are you at school?"
    assert (older.age_band_code, older.easy_read) == ("12-14", False)
    assert question(older, "mood").text == "How do you feel at school?"


def test_easy_wording_missing_in_a_language_falls_back_to_the_standard_one(survey):
    view = survey_view(survey=survey, language="fr", age=7)

    assert question(view, "mood").text == "Question mood"


def test_questions_outside_the_age_range_are_left_out(survey):
    assert "say" not in keys(survey_view(survey=survey, language="nl", age=11))
    assert "say" in keys(survey_view(survey=survey, language="nl", age=12))


def test_a_question_with_an_upper_age_is_left_out_above_it(survey):
    add_question(survey, "toys", QuestionKind.SINGLE, options=["a", "b"], max_age=8)
    survey.refresh_from_db()

    assert "toys" in keys(survey_view(survey=survey, language="nl", age=8))
    assert "toys" not in keys(survey_view(survey=survey, language="nl", age=9))


def test_questions_keep_their_order(survey):
    Question.objects.filter(survey=survey, key="story").update(order=1)
    survey.questions.get(key="story").save()  # as the admin would: the survey's version moves on
    survey.refresh_from_db()

    view = survey_view(survey=survey, language="nl", age=10)

    assert keys(view)[:2] == ["story", "mood"]


def test_each_question_carries_what_a_page_needs(survey):
    view = survey_view(survey=survey, language="nl", age=10)

    hobbies = question(view, "hobbies")
    assert (hobbies.kind, hobbies.max_choices, hobbies.max_length) == ("multiple", 2, None)
    hours = question(view, "hours")
    assert (hours.min, hours.max) == (0, 40)
    assert isinstance(hours.min, int)
    assert question(view, "story").max_length == 60
    assert question(view, "sport_where").show_if == {"question": "sport", "any_of": ["football"]}
    assert question(view, "sport").show_if is None


def test_a_scale_gets_its_points_with_a_word_and_a_face(survey):
    mood = question(survey_view(survey=survey, language="nl", age=10), "mood")

    assert (mood.min, mood.max) == (1, 5)
    assert [(o.value, o.label, o.emoji) for o in mood.options] == [
        ("1", "Heel slecht", "😢"),
        ("2", "Slecht", "🙁"),
        ("3", "Gaat wel", "😐"),
        ("4", "Goed", "🙂"),
        ("5", "Heel goed", "😄"),
    ]


def test_a_three_point_scale_in_french(survey):
    add_question(survey, "calm", QuestionKind.SCALE, scale_points=3)
    survey.refresh_from_db()

    calm = question(survey_view(survey=survey, language="fr", age=10), "calm")

    assert [(o.value, o.label, o.emoji) for o in calm.options] == [
        ("1", "Pas bien", "🙁"),
        ("2", "Moyen", "😐"),
        ("3", "Bien", "🙂"),
    ]


def test_an_option_of_a_scale_overrides_the_word_and_face_of_its_point(survey):
    mood = survey.questions.get(key="mood")
    Option.objects.create(question=mood, value="5", label_nl="Super", emoji="🤩")
    survey.refresh_from_db()

    options = question(survey_view(survey=survey, language="nl", age=10), "mood").options

    assert (options[4].label, options[4].emoji) == ("Super", "🤩")
    assert options[3].label == "Goed"


def test_articles_are_given_by_code(survey):
    from consultations.models import CrcArticle

    mood = survey.questions.get(key="mood")
    mood.articles.set(CrcArticle.objects.filter(code__in=["12", "29"]))
    survey.refresh_from_db()

    assert question(survey_view(survey=survey, language="nl", age=10), "mood").articles == [
        "12",
        "29",
    ]


def test_is_open_follows_the_survey(survey):
    assert survey_view(survey=survey, language="nl", age=10).is_open
    survey.status = "closed"
    assert not survey_view(survey=survey, language="nl", age=10).is_open


@pytest.mark.parametrize("age", [5, 18, 99, -1])
def test_an_age_in_no_band_is_refused_naming_age(survey, age):
    with pytest.raises(InvalidInputError) as caught:
        survey_view(survey=survey, language="nl", age=age)

    assert caught.value.field == "age"
    assert caught.value.message == "This survey is for young people aged 6 to 17."


def test_a_language_the_campaign_does_not_offer_is_refused_naming_lang(make_campaign, make_survey):
    survey = make_survey(make_campaign(slug="alleen-nl", languages=["nl"]), slug="alleen-nl")

    with pytest.raises(InvalidInputError) as caught:
        survey_view(survey=survey, language="fr", age=10)

    assert caught.value.field == "lang"


def test_the_ages_and_languages_to_choose_from_are_the_campaigns(survey):
    assert survey_ages(survey) == list(range(6, 18))
    assert survey_languages(survey) == ["nl", "fr", "en"]
