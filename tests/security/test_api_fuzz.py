"""schemathesis against the API's own OpenAPI schema, in process: no input makes an endpoint
answer 5xx, and every answer is one the schema documents, in the shape it documents (issue 7).

The schema is read from the running application (``/api/schema/``), so an endpoint added later
is fuzzed without a change here. Each operation gets a bounded, derandomized number of examples,
valid and invalid (the run is the same on every machine), in the world of
``tests/security/conftest.py``. Staff call with an API token, so the staff endpoints are
exercised beyond their 403.

Pure schema-driven input rarely gets past the first 404 or 400 (a random slug, an age in no
band, an ``answers`` object with made-up keys), so hooks mix the world's real values into what
schemathesis generates (slugs, ids and the receipt code in paths; ages, languages and breakdowns
in queries), and a second test sends submissions whose answers are the survey's real question
keys with valid and hostile values of every JSON type, checked against the same schema.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from roundtables.services import registration_create
from tests.security.conftest import World

EXAMPLES_PER_OPERATION = 40
# Submitting answers is where young people's input meets the most rules: fuzzed harder, below.
EXAMPLES_OF_SUBMISSIONS = 150

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {
            "mode": "all",  # valid and invalid input alike
            "max-examples": EXAMPLES_PER_OPERATION,
            "deterministic": True,
            "database": "none",
        },
        # The examples and fuzzing phases. The coverage phase would add every boundary value of
        # every parameter; with "mode: all" and the hooks below it adds time, not findings.
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=CONFIG)
SUBMIT = schema["/api/v1/surveys/{slug}/responses/"]["POST"]
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]

pytestmark = pytest.mark.django_db

# The world's real values, by parameter name; filled by the ``fuzz_world`` fixture.
REAL: dict[str, list[Any]] = {}

# Query parameters worth real values: name → values that reach past validation.
REAL_QUERY = {
    "age": [7, 10, 13, 16],
    "lang": ["nl", "fr", "en"],
    "language": ["nl", "fr", "en"],
    "by": ["age_band", "organisation", "language", "sport", "mood"],
}

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.lists(st.one_of(st.integers(), st.text(max_size=10)), max_size=5),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)

# Answers to the world's survey (tests/security/conftest.py) a young person could give...
VALID_ANSWERS = {
    "mood": st.integers(1, 5),
    "sport": st.sampled_from(["football", "swimming", "dance"]),
    "sport_where": st.sampled_from(["club", "street"]),
    "hobbies": st.lists(st.sampled_from(["music", "reading", "games", "drawing"]), max_size=2),
    "hours": st.one_of(st.integers(0, 40), st.floats(0, 40)),
    "story": st.one_of(st.text(max_size=200), st.just("mail kid@example.org, 0470 12 34 56")),
    "priorities": st.lists(st.sampled_from(["food", "toilets", "say"]), max_size=3, unique=True),
    "say": st.sampled_from(["yes", "no"]),
}
# ...and answers just outside what each question takes, or of another JSON type altogether.
HOSTILE_ANSWERS = {
    "mood": st.one_of(st.sampled_from([0, 6, "3", 2.5, -1]), JUNK),
    "sport": st.one_of(st.sampled_from(["golf", "", " football", "FOOTBALL"]), JUNK),
    "hobbies": st.one_of(st.lists(st.sampled_from(["music", "x"]), min_size=3), JUNK),
    "hours": st.one_of(st.sampled_from([-1, 41, 1e308, float("nan"), "3"]), JUNK),
    "story": st.one_of(
        st.text(min_size=201, max_size=300), st.sampled_from(["a\x00b", "\ud800"]), JUNK
    ),
    "priorities": st.one_of(st.just(["food", "food"]), st.just(["nope"]), JUNK),
    "unknown_question": JUNK,
}


@st.composite
def answers(draw, *, age: int) -> dict[str, Any]:
    """Valid answers for a young person of ``age`` (any question may be skipped), and
    sometimes one hostile answer among them."""
    chosen = draw(st.fixed_dictionaries({}, optional=VALID_ANSWERS))
    if chosen.get("sport") != "football":
        chosen.pop("sport_where", None)  # only asked after "football"
    if age < 12:
        chosen.pop("say", None)  # only asked from 12
    if draw(st.booleans()):
        key = draw(st.sampled_from(sorted(HOSTILE_ANSWERS)))
        chosen[key] = draw(HOSTILE_ANSWERS[key])
    return chosen


@st.composite
def submission(draw) -> dict[str, Any]:
    """A real-looking submission: valid, or with one answer or one field hostile."""
    age = draw(st.integers(6, 17))
    body: dict[str, Any] = {
        "client_token": str(draw(st.uuids())),
        "language": draw(st.sampled_from(["nl", "fr", "en"])),
        "age": age,
        "assent": True,
        "answers": draw(answers(age=age)),
    }
    if draw(st.booleans()):
        body["invite"] = draw(st.sampled_from(REAL["invite"]))
    if draw(st.integers(0, 3)) == 0:
        body[draw(st.sampled_from([*body, "extra"]))] = draw(JUNK)
    return body


def real_path_values(path: str, name: str) -> list[Any]:
    """The world's values for a path parameter of the operation at ``path``."""
    if name == "slug":
        if path.startswith("/api/v1/surveys/"):
            return REAL["survey"]
        if path.startswith("/api/v1/campaigns/"):
            return REAL["campaign"]
    if name == "id" and path.startswith("/api/v1/roundtables/"):
        return REAL["roundtable"]
    if name == "code" and path.startswith("/api/v1/receipts/"):
        return REAL["receipt"]
    return []


@schema.hook
def flatmap_path_parameters(context, path_parameters: dict | None) -> st.SearchStrategy:
    """Often, a path parameter is one of the world's real slugs, ids or receipt codes."""
    if not path_parameters:
        return st.just(path_parameters)
    path = context.operation.path
    strategies = {}
    for name, value in path_parameters.items():
        real = real_path_values(path, name)
        # Two in three: the generated value alone rarely gets past the 404.
        strategies[name] = st.sampled_from([value, *real, *real]) if real else st.just(value)
    return st.fixed_dictionaries(strategies)


@schema.hook
def flatmap_query(context, query: dict | None) -> st.SearchStrategy:
    """Often, a query parameter the operation takes is a real age, language or breakdown."""
    names = [p.name for p in context.operation.query if p.name in REAL_QUERY]
    if not names:
        return st.just(query)
    generated = dict(query or {})
    return st.fixed_dictionaries(
        {
            name: st.one_of(st.just(generated.get(name)), st.sampled_from(REAL_QUERY[name]))
            for name in names
        }
    ).map(lambda chosen: {**generated, **{k: v for k, v in chosen.items() if v is not None}})


@pytest.fixture
def fuzz_world(world: World):
    # Requests go through the real WSGI handler, whose request signals would close the test's
    # database connection (inside its transaction) after each call; Django's test client does
    # the same as this while it runs a request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    # Staff (the token the calls carry) holds a registration, so "mine" is found as well.
    registration_create(roundtable=world.open_roundtable, user=world.staff, sector="ngo")
    REAL.update(
        campaign=[world.campaign.slug],
        survey=[world.survey.slug],
        roundtable=[world.roundtable.pk, world.open_roundtable.pk],
        receipt=[world.receipt, world.receipt.replace("-", " ").lower()],
        invite=[world.invite.code],
    )
    yield world
    REAL.clear()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    deadline=None,
    # One world per operation, shared by its examples: they may change it (withdraw the receipt,
    # cancel a registration), as a real client would.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_input_makes_the_api_fail_or_answer_off_schema(case, fuzz_world):
    # Rate limits have their own tests (tests/surveys/test_api_throttling.py); here they would
    # turn most examples into a 429 that never reaches the code under test.
    cache.clear()

    # As staff (past every permission check), then as an anonymous client (the refusals must
    # be documented answers too).
    case.call_and_validate(
        headers={"Authorization": f"Token {fuzz_world.staff_token}"}, checks=CHECKS
    )
    case.call_and_validate(checks=CHECKS)


@given(body=submission())
@settings(
    max_examples=EXAMPLES_OF_SUBMISSIONS,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_submission_makes_the_api_fail_or_answer_off_schema(fuzz_world, body):
    """Schema-driven bodies rarely get past the first unknown field; these are shaped like a
    young person's submission to the world's survey, with valid and hostile answers."""
    cache.clear()
    case = SUBMIT.Case(
        path_parameters={"slug": fuzz_world.survey.slug}, body=body, media_type="application/json"
    )

    response = case.call_and_validate(checks=CHECKS)

    assert response.status_code in {200, 201, 400}, response.text
