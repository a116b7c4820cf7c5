"""GET /api/v1/surveys/{slug}/?lang=..&age=..: the survey as one young person sees it."""

import pytest

from surveys.models import SurveyStatus

pytestmark = pytest.mark.django_db


def url(slug: str) -> str:
    return f"/api/v1/surveys/{slug}/"


def test_anyone_gets_the_survey_for_their_language_and_age(client, survey):
    response = client.get(url(survey.slug), {"lang": "en", "age": 10})

    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in ("slug", "campaign", "title", "intro", "language")} == {
        "slug": "op-school",
        "campaign": "welzijn-op-school",
        "title": "At school",
        "intro": "Tell us.",
        "language": "en",
    }
    assert (body["age"], body["age_band"], body["easy_read"], body["is_open"]) == (
        10,
        "9-11",
        True,
        True,
    )
    assert body["languages"] == ["nl", "fr", "en"]
    assert [q["key"] for q in body["questions"]] == [
        "mood",
        "sport",
        "sport_where",
        "hobbies",
        "hours",
        "story",
        "priorities",
    ]


def test_each_question_has_the_documented_fields(client, survey):
    questions = {
        q["key"]: q
        for q in client.get(url(survey.slug), {"lang": "en", "age": 10}).json()["questions"]
    }

    assert questions["mood"] == {
        "key": "mood",
        "kind": "scale",
        "text": "How are you at school?",
        "help": "Pick a face.",
        "options": [
            {"value": "1", "label": "Very bad", "emoji": "😢"},
            {"value": "2", "label": "Bad", "emoji": "🙁"},
            {"value": "3", "label": "Okay", "emoji": "😐"},
            {"value": "4", "label": "Good", "emoji": "🙂"},
            {"value": "5", "label": "Very good", "emoji": "😄"},
        ],
        "min": 1,
        "max": 5,
        "max_choices": None,
        "max_length": None,
        "show_if": None,
        "articles": [],
    }
    assert questions["sport_where"]["show_if"] == {"question": "sport", "any_of": ["football"]}
    assert questions["hobbies"]["max_choices"] == 2
    assert (questions["hours"]["min"], questions["hours"]["max"]) == (0, 40)
    assert questions["story"]["max_length"] == 60
    assert questions["sport"]["options"][0] == {
        "value": "football",
        "label": "Football (en)",
        "emoji": "",
    }


def test_older_young_people_get_the_standard_wording_and_their_own_questions(client, survey):
    body = client.get(url(survey.slug), {"lang": "en", "age": 15}).json()

    assert (body["age_band"], body["easy_read"]) == ("15-17", False)
    assert body["questions"][0]["text"] == "How do you feel at school?"
    assert body["questions"][-1]["key"] == "say"


def test_without_lang_the_campaigns_first_language_is_used(client, survey):
    body = client.get(url(survey.slug), {"age": 10}).json()

    assert (body["language"], body["title"]) == ("nl", "Op school")


def test_a_closed_survey_is_shown_as_not_open(client, survey):
    survey.status = SurveyStatus.CLOSED
    survey.save()

    body = client.get(url(survey.slug), {"age": 10}).json()

    assert body["is_open"] is False


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "age"),
        ({"age": ""}, "age"),
        ({"age": "ten"}, "age"),
        ({"age": 5}, "age"),
        ({"age": 18}, "age"),
        ({"age": -3}, "age"),
        ({"age": 10, "lang": "de"}, "lang"),
    ],
)
def test_a_missing_or_bad_age_or_language_is_a_400_naming_it(client, survey, query, field):
    response = client.get(url(survey.slug), query)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_an_unknown_or_draft_survey_is_a_404(client, survey, make_survey, campaign):
    make_survey(campaign, slug="klad", status=SurveyStatus.DRAFT)

    assert client.get(url("bestaat-niet"), {"age": 10}).status_code == 404
    assert client.get(url("klad"), {"age": 10}).status_code == 404
