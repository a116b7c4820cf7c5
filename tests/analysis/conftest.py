"""A survey with every kind of question, seeded random responses, and a plain-Python reference.

The ``survey`` has a question of every kind, a question shown only after a certain answer
(``sport_where``, after sport = football) and one asked from age 12 only (``say``). The
campaign has the default bands 6-8, 9-11, 12-14, 15-17, and two member organisations.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
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
from surveys.services import response_submit, response_withdraw
from tests.every_kind import add_every_kind


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    with translation.override("en"):
        yield


def make_campaign(slug: str = "school", **fields: Any) -> Campaign:
    fields.setdefault("title_nl", f"Campagne {slug}")
    fields.setdefault("languages", ["nl", "fr", "en"])
    campaign = campaign_create(slug=slug, **fields)
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.CONSULTING)
    campaign.refresh_from_db()
    return campaign


def add_question(survey: Survey, key: str, kind: str, **fields: Any) -> Question:
    options = fields.pop("options", [])
    fields.setdefault("text_nl", f"Vraag {key}")
    fields.setdefault("text_en", f"Question {key}")
    if kind == QuestionKind.SCALE:
        fields.setdefault("scale_points", 5)
    fields.setdefault("order", survey.questions.count() * 10 + 10)
    question = Question.objects.create(survey=survey, key=key, kind=kind, **fields)
    for position, value in enumerate(options):
        Option.objects.create(
            question=question,
            value=value,
            label_nl=f"{value} (nl)",
            label_en=f"{value} (en)",
            order=position,
        )
    return question


@pytest.fixture
def campaign(db) -> Campaign:
    return make_campaign("welzijn-op-school", min_cell_size=5)


@pytest.fixture
def survey(campaign) -> Survey:
    survey = Survey.objects.create(
        campaign=campaign, slug="op-school", title_nl="Op school", status=SurveyStatus.OPEN
    )
    add_every_kind(survey, add_question)
    survey.refresh_from_db()
    return survey


@pytest.fixture
def invites(campaign) -> list[InviteLink]:
    chiro = member_organisation_create(name="Chiro Gent")
    scouts = member_organisation_create(name="Scouts Leuven")
    campaign.organisations.add(chiro, scouts)
    return [
        invite_link_create(campaign=campaign, organisation=chiro, label="Groep 3"),
        invite_link_create(campaign=campaign, organisation=scouts, label="Welpen"),
    ]


# --- Seeded random responses ---------------------------------------------------------------------


@dataclass
class Submitted:
    """One response as the test sent it."""

    age: int
    language: str
    organisation: str  # organisation id as text, "none" without an invite
    answers: dict[str, Any]
    withdrawn: bool = False


@dataclass
class Seeded:
    survey: Survey
    responses: list[Submitted] = field(default_factory=list)

    @property
    def counted(self) -> list[Submitted]:
        return [response for response in self.responses if not response.withdrawn]


def random_answers(rng: random.Random, age: int) -> dict[str, Any]:
    """Answers for the ``survey`` fixture: any question may be skipped; conditions respected."""

    def maybe(value: Any) -> Any:
        return None if rng.random() < 0.2 else value

    answers: dict[str, Any] = {
        "mood": maybe(rng.randint(1, 5)),
        "sport": maybe(rng.choice(["football", "swimming", "dance"])),
        "hobbies": maybe(rng.sample(["music", "reading", "games", "drawing"], rng.randint(1, 2))),
        "hours": maybe(rng.choice([0, 1, 2.5, 3, 3.5, 10, 12, 40])),
        "story": maybe(rng.choice(["Fijn", "Saai", "Te druk"])),
        "priorities": maybe(rng.sample(["food", "toilets", "say"], rng.randint(1, 3))),
    }
    if answers["sport"] == "football":
        answers["sport_where"] = maybe(rng.choice(["club", "street"]))
    if age >= 12:
        answers["say"] = maybe(rng.choice(["yes", "no"]))
    return {key: value for key, value in answers.items() if value is not None}


@pytest.fixture
def seed_responses(survey, invites) -> Callable[..., Seeded]:
    def seed(count: int = 120, seed: int = 7, withdraw_share: float = 0.15) -> Seeded:
        rng = random.Random(seed)
        seeded = Seeded(survey=survey)
        for _ in range(count):
            age = rng.randint(6, 17)
            language = rng.choice(["nl", "nl", "fr", "en"])
            invite = rng.choice([None, *invites, invites[0]])
            answers = random_answers(rng, age)
            result = response_submit(
                survey=survey,
                client_token=uuid.uuid4(),
                language=language,
                age=age,
                invite_code=invite.code if invite else None,
                assent=True,
                answers=answers,
            )
            submitted = Submitted(
                age=age,
                language=language,
                organisation=str(invite.organisation_id) if invite else "none",
                answers=answers,
            )
            if rng.random() < withdraw_share:
                response_withdraw(code=result.receipt)
                submitted.withdrawn = True
            seeded.responses.append(submitted)
        return seeded

    return seed


# --- The plain-Python reference ------------------------------------------------------------------

KINDS = {
    "mood": "scale",
    "sport": "single",
    "sport_where": "single",
    "hobbies": "multiple",
    "hours": "number",
    "story": "text",
    "priorities": "ranking",
    "say": "single",
}
OPTIONS = {
    "sport": ["football", "swimming", "dance"],
    "sport_where": ["club", "street"],
    "hobbies": ["music", "reading", "games", "drawing"],
    "priorities": ["food", "toilets", "say"],
    "say": ["yes", "no"],
}


def band_of(age: int) -> str:
    return next(code for code, (low, high) in BANDS.items() if low <= age <= high)


BANDS = {"6-8": (6, 8), "9-11": (9, 11), "12-14": (12, 14), "15-17": (15, 17)}


def plain(number: Any) -> str:
    text = f"{Decimal(str(number)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def reference_stats(key: str, responses: list[Submitted]) -> dict[str, Any]:
    """The numbers of question ``key`` over ``responses``, counted one by one."""
    kind = KINDS[key]
    given = [response.answers[key] for response in responses if key in response.answers]
    stats: dict[str, Any] = {"n": len(given)}
    if kind in ("single", "multiple"):
        stats["counts"] = {value: 0 for value in OPTIONS[key]}
        for answer in given:
            for value in [answer] if kind == "single" else answer:
                stats["counts"][value] += 1
    elif kind == "ranking":
        stats["first"] = {value: 0 for value in OPTIONS[key]}
        stats["ranked"] = {value: 0 for value in OPTIONS[key]}
        stats["rank_sum"] = {value: 0 for value in OPTIONS[key]}
        for answer in given:
            stats["first"][answer[0]] += 1
            for rank, value in enumerate(answer, start=1):
                stats["ranked"][value] += 1
                stats["rank_sum"][value] += rank
    elif kind in ("scale", "number"):
        counts: dict[str, int] = (
            {str(point): 0 for point in range(1, 6)} if kind == "scale" else defaultdict(int)
        )
        for answer in given:
            counts[plain(answer)] += 1
        stats["counts"] = (
            counts if kind == "scale" else dict(sorted(counts.items(), key=lambda i: float(i[0])))
        )
        values = sorted(float(answer) for answer in given)
        stats["mean"] = sum(values) / len(values) if values else None
        if not values:
            stats["median"] = None
        elif len(values) % 2:
            stats["median"] = values[len(values) // 2]
        else:
            stats["median"] = (values[len(values) // 2 - 1] + values[len(values) // 2]) / 2
    return stats


def reference_groups(seeded: Seeded, organisations: list[str]) -> dict[str, dict[str, list]]:
    """The counted responses of each group of each dimension."""
    counted = seeded.counted
    groups: dict[str, dict[str, list]] = {
        "age_band": {code: [r for r in counted if band_of(r.age) == code] for code in BANDS},
        "organisation": {
            key: [r for r in counted if r.organisation == key] for key in organisations
        },
        "language": {
            code: [r for r in counted if r.language == code] for code in ("nl", "fr", "en")
        },
    }
    for key, kind in KINDS.items():
        if kind == "single":
            groups[key] = {
                value: [r for r in counted if r.answers.get(key) == value] for value in OPTIONS[key]
            }
    return groups


# --- Open answers and their coding ---------------------------------------------------------------


def submit_open_answer(
    survey: Survey,
    text: str,
    *,
    age: int = 13,
    language: str = "nl",
    withdraw: bool = False,
    key: str = "story",
    **other_answers: Any,
):
    """One young person's response with ``text`` for the free-text question ``key``; returns
    the stored Answer (the text masked as stored)."""
    from surveys.models import Answer
    from surveys.selectors import response_get_by_receipt

    result = response_submit(
        survey=survey,
        client_token=uuid.uuid4(),
        language=language,
        age=age,
        invite_code=None,
        assent=True,
        answers={key: text, **other_answers},
    )
    response = response_get_by_receipt(code=result.receipt)
    if withdraw:
        response_withdraw(code=result.receipt)
    return Answer.objects.get(response=response, question__key=key)


@pytest.fixture
def analyst(django_user_model):
    """A staff member who codes answers (for the services' ``user``)."""
    return django_user_model.objects.create_user(
        email="coder@coalition.example", password="x" * 20, is_staff=True
    )
