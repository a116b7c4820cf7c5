"""POST /api/v1/surveys/{slug}/responses/: a young person submits their answers."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from typing import Any

import pytest

from consultations.models import CampaignStatus
from consultations.services import invite_link_create, invite_link_deactivate
from surveys.models import Answer, Response, SurveyStatus
from tests.surveys.conftest import body, submit_url

pytestmark = pytest.mark.django_db


def stored() -> tuple[int, int]:
    return Response.objects.count(), Answer.objects.count()


def test_a_valid_submission_is_stored_and_answers_a_receipt(post_json, survey):
    response = post_json(submit_url(survey.slug), body())

    assert response.status_code == 201
    receipt = response.json()["receipt"]
    assert re.fullmatch(
        r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}", receipt
    )
    stored_response = Response.objects.get()
    assert stored_response.receipt_code == receipt.replace("-", "")
    assert (stored_response.age_band.code, stored_response.language) == ("9-11", "nl")
    assert stored_response.invite_link is None and stored_response.organisation is None
    rows = {
        (a.question.key, a.option.value if a.option else None, a.rank, a.number_value, a.text_value)
        for a in Answer.objects.select_related("question", "option")
    }
    assert rows == {
        ("mood", None, None, 4, None),
        ("sport", "football", None, None, None),
        ("sport_where", "club", None, None, None),
        ("hobbies", "music", None, None, None),
        ("hobbies", "games", None, None, None),
        ("hours", None, None, Decimal("3.5"), None),
        ("story", None, None, None, "Het is fijn."),
        ("priorities", "say", 1, None, None),
        ("priorities", "food", 2, None, None),
    }


def test_the_invite_files_the_response_under_its_organisation(post_json, survey, invite):
    response = post_json(submit_url(survey.slug), body(invite=invite.code.lower()))

    assert response.status_code == 201
    stored_response = Response.objects.get()
    assert stored_response.invite_link == invite
    assert stored_response.organisation == invite.organisation


def test_every_question_can_be_skipped(post_json, survey):
    answers = {"mood": None, "sport": "", "hobbies": [], "story": "   "}

    response = post_json(submit_url(survey.slug), body(answers=answers))

    assert response.status_code == 201
    assert stored() == (1, 0)


def test_the_same_client_token_again_gives_the_same_receipt_and_stores_nothing(post_json, survey):
    data = body()
    first = post_json(submit_url(survey.slug), data)

    again = post_json(submit_url(survey.slug), data)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert stored() == (1, 9)


def test_a_retry_after_the_survey_closed_still_gets_its_receipt(post_json, survey):
    data = body()
    first = post_json(submit_url(survey.slug), data)
    survey.status = SurveyStatus.CLOSED
    survey.save()

    again = post_json(submit_url(survey.slug), data)

    assert again.status_code == 200
    assert again.json() == first.json()


def test_free_text_is_stored_with_contact_details_masked(post_json, survey):
    answers = {"story": "Mail lotte@example.be of bel 0470 12 34 56"}

    post_json(submit_url(survey.slug), body(answers=answers))

    assert Answer.objects.get().text_value == "Mail [email] of bel [phone]"


# --- Bad input: a 400 naming the field, and nothing stored ---------------------------------------


def _without(name: str) -> dict[str, Any]:
    data = body()
    del data[name]
    return data


def _answers(**answers: Any) -> dict[str, Any]:
    return body(answers=answers)


BAD_INPUT = {
    "unknown question key": (_answers(favourite_colour="blue"), "answers.favourite_colour"),
    "single: a number": (_answers(sport=3), "answers.sport"),
    "single: a list": (_answers(sport=["football"]), "answers.sport"),
    "multiple: a string": (_answers(hobbies="music"), "answers.hobbies"),
    "multiple: a list of numbers": (_answers(hobbies=[1, 2]), "answers.hobbies"),
    "scale: a string": (_answers(mood="4"), "answers.mood"),
    "scale: true": (_answers(mood=True), "answers.mood"),
    "number: a string": (_answers(hours="3"), "answers.hours"),
    "number: an object": (_answers(hours={"value": 3}), "answers.hours"),
    "text: a number": (_answers(story=12), "answers.story"),
    "ranking: a string": (_answers(priorities="say"), "answers.priorities"),
    "option not in the question": (_answers(sport="tennis"), "answers.sport"),
    "option of another question": (_answers(sport="music"), "answers.sport"),
    "multiple: an unknown option": (_answers(hobbies=["music", "tennis"]), "answers.hobbies"),
    "multiple: an option twice": (_answers(hobbies=["music", "music"]), "answers.hobbies"),
    "more than max_choices": (_answers(hobbies=["music", "games", "reading"]), "answers.hobbies"),
    "scale above its points": (_answers(mood=6), "answers.mood"),
    "scale below 1": (_answers(mood=0), "answers.mood"),
    "scale between points": (_answers(mood=2.5), "answers.mood"),
    "number above max": (_answers(hours=41), "answers.hours"),
    "number below min": (_answers(hours=-1), "answers.hours"),
    "number far too large": (_answers(hours=1e300), "answers.hours"),
    "text over max_length": (_answers(story="x" * 61), "answers.story"),
    "ranking with an unknown value": (_answers(priorities=["say", "nope"]), "answers.priorities"),
    "ranking with a repeated value": (_answers(priorities=["say", "say"]), "answers.priorities"),
    "answer hidden by show_if": (
        _answers(sport="swimming", sport_where="club"),
        "answers.sport_where",
    ),
    "answer hidden by an unanswered show_if": (_answers(sport_where="club"), "answers.sport_where"),
    "answer to a question for older ages": (_answers(say="yes"), "answers.say"),
    "answers not an object": (body(answers=["mood", 4]), "answers"),
    "answers missing": (_without("answers"), "answers"),
    "age below every band": (body(age=5), "age"),
    "age above every band": (body(age=18), "age"),
    "age not a number": (body(age="ten"), "age"),
    "age with a fraction": (body(age=10.5), "age"),
    "age missing": (_without("age"), "age"),
    "language not offered": (body(language="de"), "language"),
    "language missing": (_without("language"), "language"),
    "assent false": (body(assent=False), "assent"),
    "assent missing": (_without("assent"), "assent"),
    "assent not a boolean": (body(assent="perhaps"), "assent"),
    "invite unknown": (body(invite="ZZZZ-ZZZZ"), "invite"),
    "invite not text": (body(invite=12345678), "invite"),
    "client_token not a uuid": (body(client_token="abc"), "client_token"),
    "client_token missing": (_without("client_token"), "client_token"),
    "unknown top-level field": (body(name="Lotte"), "name"),
}


@pytest.mark.parametrize(("data", "field"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_a_400_naming_the_field_and_stores_nothing(post_json, survey, data, field):
    response = post_json(submit_url(survey.slug), data)

    assert response.status_code == 400, response.content
    assert field in response.json()["errors"], response.json()
    assert response.json()["detail"]
    assert stored() == (0, 0)


def test_every_offending_field_is_named_at_once(post_json, survey):
    data = body(age=10, language="de", assent=False, answers={"sport": "tennis", "mood": 9})

    response = post_json(submit_url(survey.slug), data)

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"language", "assent", "answers.sport", "answers.mood"}


def test_several_unknown_top_level_fields_are_each_named(post_json, survey):
    response = post_json(submit_url(survey.slug), body(email="a@b.be", ip="1.2.3.4"))

    assert response.status_code == 400
    assert {"email", "ip"} <= set(response.json()["errors"])
    assert stored() == (0, 0)


def test_a_language_the_campaign_does_not_offer_is_refused(post_json, make_campaign, make_survey):
    only_dutch = make_campaign(slug="alleen-nl", languages=["nl"])
    survey = make_survey(only_dutch, slug="nl-enquete")

    response = post_json(submit_url(survey.slug), body(language="fr", answers={}))

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["language"]
    assert stored() == (0, 0)


def test_an_inactive_invite_is_refused(post_json, survey, invite):
    invite_link_deactivate(invite_link=invite)

    response = post_json(submit_url(survey.slug), body(invite=invite.code))

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["invite"]
    assert stored() == (0, 0)


def test_an_invite_of_another_campaign_is_refused(post_json, survey, make_campaign, organisation):
    other = make_campaign(slug="ander-thema")
    foreign = invite_link_create(campaign=other, organisation=organisation, label="Groep 1")

    response = post_json(submit_url(survey.slug), body(invite=foreign.code))

    assert response.status_code == 400
    assert response.json()["errors"] == {"invite": ["This invite code is for another campaign."]}
    assert stored() == (0, 0)


@pytest.mark.parametrize(
    "payload",
    ['{"client_token": ', "not json at all", '{"age": NaN}', "\x00"],
    ids=["truncated", "text", "NaN", "nul byte"],
)
def test_malformed_json_is_a_400_naming_the_body(post_json, survey, payload):
    response = post_json(submit_url(survey.slug), payload, raw=True)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["body"]
    assert response.json()["detail"].startswith("body: The body is not valid JSON")
    assert stored() == (0, 0)


@pytest.mark.parametrize("payload", ["[]", '"answers"', "42", "null", "true"])
def test_a_body_that_is_not_an_object_is_a_400_naming_the_body(post_json, survey, payload):
    response = post_json(submit_url(survey.slug), payload, raw=True)

    assert response.status_code == 400
    assert response.json()["errors"] == {"body": ["The body must be a JSON object: {...}."]}
    assert stored() == (0, 0)


def test_a_form_post_is_refused_as_an_unsupported_media_type(client, survey):
    response = client.post(submit_url(survey.slug), {"age": "10"})

    assert response.status_code == 415
    assert stored() == (0, 0)


# --- State: 409 and 404 --------------------------------------------------------------------------


def test_a_closed_survey_answers_409(post_json, survey):
    survey.status = SurveyStatus.CLOSED
    survey.save()

    response = post_json(submit_url(survey.slug), body())

    assert response.status_code == 409
    assert "closed" in response.json()["detail"]
    assert stored() == (0, 0)


def test_a_survey_of_a_campaign_no_longer_consulting_answers_409(post_json, survey, campaign):
    campaign.status = CampaignStatus.ANALYSING
    campaign.save()

    response = post_json(submit_url(survey.slug), body())

    assert response.status_code == 409
    assert stored() == (0, 0)


@pytest.mark.parametrize("window", ["not yet open", "past its closing time"])
def test_a_survey_outside_its_dates_answers_409(post_json, survey, window):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    if window == "not yet open":
        survey.opens_at = now + timedelta(hours=1)
    else:
        survey.opens_at, survey.closes_at = now - timedelta(days=2), now - timedelta(minutes=1)
    survey.save()

    response = post_json(submit_url(survey.slug), body())

    assert response.status_code == 409
    assert stored() == (0, 0)


def test_an_unknown_survey_answers_404(post_json, survey):
    response = post_json(submit_url("bestaat-niet"), body())

    assert response.status_code == 404
    assert response.json() == {"detail": "There is no survey at this address."}


def test_a_draft_survey_answers_404(post_json, survey):
    survey.status = SurveyStatus.DRAFT
    survey.save()

    response = post_json(submit_url(survey.slug), body())

    assert response.status_code == 404
    assert stored() == (0, 0)


def test_a_client_token_used_for_another_survey_is_a_conflict(post_json, survey, make_survey):
    from tests.surveys.conftest import add_question

    other = make_survey(survey.campaign, slug="ander")
    add_question(other, "mood", "scale")
    token = str(uuid.uuid4())
    post_json(submit_url(other.slug), body(client_token=token, answers={"mood": 3}))

    response = post_json(submit_url(survey.slug), body(client_token=token))

    assert response.status_code == 409
    assert list(response.json()["errors"]) == ["client_token"]
    assert stored() == (1, 1)


def test_a_signed_in_staff_member_is_not_linked_to_the_response(admin_client, survey):
    import json

    response = admin_client.post(
        submit_url(survey.slug), json.dumps(body()), content_type="application/json"
    )

    assert response.status_code == 201  # no session authentication, so no CSRF either
    assert Response.objects.count() == 1
