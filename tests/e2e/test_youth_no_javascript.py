"""The youth survey in Chromium with JavaScript switched off, in French: it works all the same.

(axe-core needs the page's scripts, so the accessibility of these French screens is checked by
the JavaScript run in test_youth_survey.py.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from surveys.models import Response
from surveys.selectors import survey_view
from tests.e2e.helpers import PHONE
from tests.e2e.youth_steps import (
    TEXT_ANSWER,
    answer_every_question,
    check_screen,
    choose_language_age_and_join,
    submit,
)
from tests.frontend.youth_survey import make_demo_survey

pytestmark = pytest.mark.e2e


@pytest.fixture
def browser_context_args() -> dict:
    """A French-speaking Belgian phone with JavaScript disabled."""
    return {"locale": "fr-BE", "viewport": PHONE, "java_script_enabled": False}


def test_a_fifteen_year_old_completes_the_demo_survey_in_french_without_javascript(page, live_url):
    demo = make_demo_survey()
    first_question = survey_view(survey=demo.survey, language="fr", age=15).questions[0]
    page.goto(f"/j/{demo.invite.code}")

    choose_language_age_and_join(page, language="fr", age=15, shots="youth-fr-nojs", axe=False)
    expect(page.get_by_role("heading", level=1)).to_have_text(first_question.text)
    given = answer_every_question(page, shots="youth-fr-nojs", axe=False)
    check_screen(page, "youth-fr-nojs-send", axe=False)
    submit(page, "button[name=action][value=send]")

    assert sorted({kind for kind, _answer in given.values()}) == [
        "multiple",
        "number",
        "ranking",
        "scale",
        "single",
        "text",
    ]
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    response = Response.objects.get()
    expect(page.locator(".receipt-code")).to_have_text(
        f"{response.receipt_code[:4]}-{response.receipt_code[4:]}"
    )
    check_screen(page, "youth-fr-nojs-end", axe=False)
    assert response.language == "fr"
    assert response.age_band.code == "15-17"
    assert set(response.answers.values_list("question__key", flat=True)) == set(given)
    assert "say_in_school" in given
    assert response.answers.get(question__key="message").text_value == TEXT_ANSWER
