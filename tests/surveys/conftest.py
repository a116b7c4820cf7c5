"""The campaign, survey and invite link the surveys tests are written around.

The ``survey`` fixture has one question of every kind, a question shown only after a certain
answer (``sport_where``) and one asked from age 12 only (``say``). The campaign has the default
bands 6-8 and 9-11 (easy read), 12-14 and 15-17.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import translation

from consultations.models import Campaign, CampaignStatus, InviteLink
from consultations.services import (
    campaign_create,
    invite_link_create,
    member_organisation_create,
)
from surveys.models import Option, Question, QuestionKind, Survey, SurveyStatus
from tests.every_kind import add_every_kind


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Messages are asserted in English, whatever catalogue is compiled."""
    with translation.override("en"):
        yield


@pytest.fixture
def make_campaign(db) -> Callable[..., Campaign]:
    def make(slug: str = "school", status: str = CampaignStatus.CONSULTING, **fields) -> Campaign:
        fields.setdefault("title_nl", f"Campagne {slug}")
        fields.setdefault("languages", ["nl", "fr", "en"])
        campaign = campaign_create(slug=slug, **fields)
        Campaign.objects.filter(pk=campaign.pk).update(status=status)
        campaign.refresh_from_db()
        return campaign

    return make


@pytest.fixture
def campaign(make_campaign) -> Campaign:
    return make_campaign(
        slug="welzijn-op-school",
        title_nl="Hoe gaat het op school?",
        title_fr="Comment ça va à l'école ?",
        title_en="How is school?",
    )


def add_question(survey: Survey, key: str, kind: str, **fields: Any) -> Question:
    """A question with options given as ``options=["a", "b"]`` or ``[(value, label_nl), ...]``."""
    options = fields.pop("options", [])
    fields.setdefault("text_nl", f"Vraag {key}")
    fields.setdefault("text_fr", f"Question {key}")
    fields.setdefault("text_en", f"Question {key}")
    if kind == QuestionKind.SCALE:
        fields.setdefault("scale_points", 5)
    fields.setdefault("order", survey.questions.count() * 10 + 10)
    question = Question.objects.create(survey=survey, key=key, kind=kind, **fields)
    for position, option in enumerate(options):
        value, label = option if isinstance(option, tuple) else (option, option.title())
        Option.objects.create(
            question=question,
            value=value,
            label_nl=f"{label} (nl)",
            label_fr=f"{label} (fr)",
            label_en=f"{label} (en)",
            order=position,
        )
    return question


@pytest.fixture
def make_survey(db) -> Callable[..., Survey]:
    def make(campaign: Campaign, slug: str = "op-school", **fields: Any) -> Survey:
        fields.setdefault("title_nl", "Op school")
        fields.setdefault("title_fr", "À l'école")
        fields.setdefault("title_en", "At school")
        fields.setdefault("status", SurveyStatus.OPEN)
        return Survey.objects.create(campaign=campaign, slug=slug, **fields)

    return make


@pytest.fixture
def survey(make_survey, campaign) -> Survey:
    survey = make_survey(campaign, intro_nl="Zeg het ons.", intro_en="Tell us.")
    add_every_kind(
        survey,
        add_question,
        mood={
            "text_nl": "Hoe voel je je op school?",
            "easy_text_nl": "Hoe gaat het met jou op school?",
            "text_en": "How do you feel at school?",
            "easy_text_en": "How are you at school?",
            "help_en": "Pick a face.",
        },
    )
    survey.refresh_from_db()
    return survey


@pytest.fixture
def organisation(db):
    return member_organisation_create(name="Chiro Gent")


@pytest.fixture
def invite(campaign, organisation) -> InviteLink:
    return invite_link_create(campaign=campaign, organisation=organisation, label="Groep 3")


FULL_ANSWERS: dict[str, Any] = {
    "mood": 4,
    "sport": "football",
    "sport_where": "club",
    "hobbies": ["music", "games"],
    "hours": 3.5,
    "story": "Het is fijn.",
    "priorities": ["say", "food"],
}


def body(**changes: Any) -> dict[str, Any]:
    """A valid submission for the ``survey`` fixture at age 10, with ``changes``."""
    data: dict[str, Any] = {
        "client_token": str(uuid.uuid4()),
        "language": "nl",
        "age": 10,
        "invite": None,
        "assent": True,
        "answers": dict(FULL_ANSWERS),
    }
    data.update(changes)
    return data


def submit_url(slug: str) -> str:
    return f"/api/v1/surveys/{slug}/responses/"


@pytest.fixture
def post_json(client) -> Callable[..., Any]:
    """POST a JSON body (or raw text) to the API as a browser or an app would (in English)."""
    client.cookies["django_language"] = "en"

    def post(url: str, data: Any, *, raw: bool = False, **extra: Any) -> Any:
        payload = data if raw else json.dumps(data)
        return client.post(url, payload, content_type="application/json", **extra)

    return post
