"""surveys.selectors.response_get_by_receipt: finds a response by its code, however typed."""

from __future__ import annotations

import uuid

import pytest

from config.exceptions import NotFoundError
from surveys.selectors import response_get_by_receipt
from surveys.services import response_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(survey):
    return response_submit(
        survey=survey,
        client_token=uuid.uuid4(),
        language="fr",
        age=13,
        invite_code=None,
        assent=True,
        answers={},
    )


def test_it_finds_the_response_however_the_code_is_typed(submitted):
    code = submitted.receipt
    for typed in (code, code.lower(), code.replace("-", ""), code.replace("-", " ")):
        assert response_get_by_receipt(code=typed) == submitted.response


def test_it_loads_the_survey_and_campaign(submitted, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = response_get_by_receipt(code=submitted.receipt)
        assert response.survey.campaign.slug == "welzijn-op-school"


@pytest.mark.parametrize("code", ["ZZZZ-ZZZZ", "", "nonsense", "ABCD-1234", "x" * 500])
def test_an_unknown_or_impossible_code_is_not_found(submitted, code):
    with pytest.raises(NotFoundError):
        response_get_by_receipt(code=code)
