"""Staff open a survey's results, switch the breakdown to age band without JavaScript's help,
and see each table gain a column per age band; the charts load as images without breaking the
Content-Security-Policy (the ``page`` fixture fails on any violation)."""

from __future__ import annotations

import uuid

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from accounts.models import User
from analysis.services import survey_results_refresh
from surveys.models import QuestionKind, Survey, SurveyStatus
from surveys.services import response_submit
from tests.analysis.conftest import add_question, make_campaign
from tests.e2e.helpers import DESKTOP, assert_no_serious_axe_violations, save_screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "a long and unusual passphrase 7"


@pytest.fixture(autouse=True)
def _staff_pages_without_a_second_factor(settings):
    """Two-step verification of staff is tested in tests/accounts and tests/frontend."""
    settings.STAFF_MFA_REQUIRED = False


@pytest.fixture
def browser_context_args() -> dict:
    return {"locale": "nl-BE", "viewport": DESKTOP}


@pytest.fixture
def survey(live_url) -> Survey:
    campaign = make_campaign("welzijn-op-school", min_cell_size=5)
    survey = Survey.objects.create(
        campaign=campaign, slug="op-school", title_nl="Op school", status=SurveyStatus.OPEN
    )
    add_question(survey, "mood", QuestionKind.SCALE)
    add_question(survey, "sport", QuestionKind.SINGLE, options=["football", "swimming", "dance"])
    add_question(survey, "story", QuestionKind.TEXT, max_length=60)
    sports = ["football", "swimming", "dance"]
    for index in range(36):
        response_submit(
            survey=survey,
            client_token=uuid.uuid4(),
            language="nl",
            age=[7, 10, 13, 16][index % 4],
            invite_code=None,
            assent=True,
            answers={"mood": 1 + index % 5, "sport": sports[index % 3], "story": "Fijn"},
        )
    survey_results_refresh(survey=survey)
    return survey


@pytest.fixture
def staff(live_url) -> User:
    user = User.objects.create_user(
        email="analyst@coalition.example", password=PASSWORD, is_staff=True
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("main input[name=login]").fill(email)
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator("form[action='/accounts/logout/'] button")).to_be_visible()


def test_staff_switch_the_breakdown_to_age_band_and_see_the_table_change(page, survey, staff):
    sign_in(page, staff.email)

    page.goto("/staff/surveys/")
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="Op school").click()

    sport_columns = page.locator("#table-sport thead th")
    expect(sport_columns).to_have_count(1)  # all young people only
    charts = page.locator("img.result-chart")
    expect(charts).to_have_count(2)
    for index in range(2):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        page.wait_for_function(
            "image => image.complete && image.naturalWidth > 0", arg=chart.element_handle()
        )
    assert_no_serious_axe_violations(page)

    page.locator("#id_by").select_option("age_band")
    page.locator("form.breakdown-form button[type=submit]").click()

    page.wait_for_url("**/results/?by=age_band")
    expect(sport_columns).to_have_count(5)  # all, then 6-8, 9-11, 12-14, 15-17
    expect(page.locator("#table-sport thead")).to_contain_text("12-14")
    expect(page.locator("#id_by")).to_have_value("age_band")
    assert "by=age_band" in (charts.first.get_attribute("src") or "")
    page.wait_for_function(
        "image => image.complete && image.naturalWidth > 0", arg=charts.first.element_handle()
    )
    assert_no_serious_axe_violations(page)
    save_screenshot(page, "staff-results-by-age-band")
