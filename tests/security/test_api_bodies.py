"""No JSON endpoint answers 5xx to a body a parser chokes on: nested deeper than Python's
recursion limit, or holding text that is no Unicode (a lone surrogate, valid as a JSON escape).
Each is a 400 that says what is wrong, and nothing is stored (issue 7, found while fuzzing).

Every operation of the OpenAPI schema that takes a body is tried, as staff (past every
permission check) and on the world's real objects, so an endpoint added later is tried too.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from surveys.models import Response
from tests.security.conftest import World

pytestmark = pytest.mark.django_db

HOSTILE_BODIES = {
    "nested too deeply": "[" * 50_000 + "]" * 50_000,
    "nested objects": '{"a":' * 50_000 + "1" + "}" * 50_000,
    "a lone surrogate": '{"organisation": "\\ud800", "format": "\\ud800", "answers": {}}',
}


def operations_with_a_body(client: Client) -> list[tuple[str, str]]:
    schema = client.get("/api/schema/?format=json").json()
    return [
        (method, path)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if "requestBody" in operation
    ]


def real_path(path: str, world: World) -> str:
    def value(match: re.Match) -> str:
        before = path[: match.start()]
        if before.startswith("/api/v1/surveys/"):
            return world.survey.slug
        if before.startswith("/api/v1/campaigns/"):
            return world.campaign.slug
        if before.startswith("/api/v1/roundtables/"):
            return str(world.open_roundtable.pk)
        return "1"

    return re.sub(r"\{\w+\}", value, path)


@pytest.mark.parametrize("body", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
def test_every_json_endpoint_refuses_a_body_it_cannot_read_with_a_400(world, body):
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {world.staff_token}")
    operations = operations_with_a_body(client)
    responses_before = Response.objects.count()
    assert operations, "no operation takes a body: the schema is out of date"

    answered = {}
    for method, path in operations:
        url = real_path(path, world)
        response = getattr(client, method)(url, body, content_type="application/json")
        answered[f"{method.upper()} {url}"] = response.status_code

    assert {operation: status for operation, status in answered.items() if status != 400} == {}
    assert Response.objects.count() == responses_before
