"""The OpenAPI schema describes the surveys endpoints without a warning."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def schema(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--urlconf",
            "tests.surveys.schema_urls",
            "--file",
            str(path),
        ],
        cwd=ROOT,
        env=dict(os.environ, DEBUG="1"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return yaml.safe_load(path.read_text())


def test_the_schema_is_valid_and_has_no_warning(schema):
    assert schema["openapi"].startswith("3.")


def test_every_surveys_operation_is_documented(schema):
    paths = schema["paths"]

    assert set(paths["/api/v1/surveys/{slug}/"]) == {"get"}
    assert set(paths["/api/v1/surveys/{slug}/responses/"]) == {"post"}
    assert set(paths["/api/v1/receipts/{code}/"]) == {"get", "delete"}
    post = paths["/api/v1/surveys/{slug}/responses/"]["post"]
    assert set(post["responses"]) == {"200", "201", "400", "404", "409", "429"}
    assert paths["/api/v1/receipts/{code}/"]["delete"]["responses"].keys() >= {"204", "404"}


def test_the_age_query_parameter_is_required(schema):
    parameters = schema["paths"]["/api/v1/surveys/{slug}/"]["get"]["parameters"]

    assert {p["name"]: p.get("required", False) for p in parameters if p["in"] == "query"} == {
        "age": True,
        "lang": False,
    }


def test_the_submission_body_lists_its_fields(schema):
    body = schema["components"]["schemas"]["ResponseSubmitInputRequest"]

    assert set(body["properties"]) == {
        "client_token",
        "language",
        "age",
        "invite",
        "assent",
        "answers",
    }
    assert set(body["required"]) == {"client_token", "language", "age", "assent", "answers"}


def test_the_campaign_detail_lists_its_open_surveys(schema):
    detail = schema["components"]["schemas"]["CampaignDetailOutput"]

    assert detail["properties"]["surveys"]["items"]["$ref"].endswith("/CampaignSurveyOutput")
