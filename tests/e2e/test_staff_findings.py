"""Staff draw a finding for the end report: they add it from the findings page, attach a
question's results, a young person's quote and a roundtable's key point, and see the numbers
(small ones "not shown") on the finding's page. axe-core checks both pages; the ``page``
fixture fails on any request to another host or CSP violation."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from accounts.models import User
from analysis.coding import answer_coding_save, code_create
from analysis.findings import evidence_add_question, finding_create
from analysis.services import survey_results_refresh
from surveys.models import QuestionKind, Survey, SurveyStatus
from tests.analysis.conftest import add_question, make_campaign, submit_open_answer
from tests.analysis.test_findings_selectors import add_outcome_points, submit_many
from tests.e2e.helpers import DESKTOP, PHONE, assert_no_serious_axe_violations, save_screenshot

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
def staff(live_url) -> User:
    user = User.objects.create_user(
        email="analyst@coalition.example", password=PASSWORD, is_staff=True
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


@pytest.fixture
def survey(live_url, staff) -> Survey:
    """k = 5. 20 young people chose a sport: 12 football, 6 swimming, 2 dance (so dance and,
    with it, swimming are hidden). One wrote a story marked as quote; a roundtable held last
    week has a key point."""
    campaign = make_campaign("welzijn-op-school", min_cell_size=5)
    survey = Survey.objects.create(
        campaign=campaign, slug="op-school", title_nl="Op school", status=SurveyStatus.OPEN
    )
    add_question(survey, "sport", QuestionKind.SINGLE, options=["football", "swimming", "dance"])
    add_question(survey, "story", QuestionKind.TEXT)
    submit_many(survey, 12, age=13, answers={"sport": "football"})
    submit_many(survey, 6, age=16, answers={"sport": "swimming"})
    submit_many(survey, 2, age=10, answers={"sport": "dance"})
    answer = submit_open_answer(survey, "We willen na school kunnen sporten.", age=13)
    code = code_create(campaign=campaign, label="Sport", user=staff)
    answer_coding_save(
        answer_id=answer.pk, campaign=campaign, code_ids=[code.pk], is_quote=True, user=staff
    )
    add_outcome_points(campaign, staff, ["Open de sportvelden van scholen na de lessen."])
    survey_results_refresh(survey=survey)
    return survey


def sign_in(page, email: str) -> None:
    """Sign in, with the English interface (the messages asserted are the msgids)."""
    page.goto("/")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.url}])
    page.goto("/accounts/login/")
    page.locator("main input[name=login]").fill(email)
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator("form[action='/accounts/logout/'] button")).to_be_visible()


def test_staff_create_a_finding_attach_evidence_and_see_the_numbers(page, survey, staff):
    sign_in(page, staff.email)

    # From the survey's results to the campaign's findings.
    page.goto(f"/staff/surveys/{survey.slug}/results/")
    page.locator("nav.sub-nav").get_by_role("link", name="Findings").click()
    page.wait_for_url(re.compile(r"/staff/campaigns/welzijn-op-school/findings/$"))
    expect(page.get_by_text("There are no findings yet.")).to_be_visible()
    assert_no_serious_axe_violations(page)

    # Add a finding: title, statement, priority and an article (folded away until opened).
    page.get_by_label("Title").fill("Sport na school")
    page.get_by_label("Statement").fill("Jongeren willen na school kunnen sporten.")
    page.get_by_label("Priority").select_option("1")
    page.locator("details.code-articles summary").click()
    page.get_by_role("checkbox", name=re.compile(r"^Art\. 31 ")).check()
    page.get_by_role("button", name="Add the finding").click()
    page.wait_for_url(re.compile(r"/findings/\d+/#add-evidence$"))
    expect(page.locator(".messages")).to_contain_text("is added")
    expect(page.locator("h1")).to_have_text("Sport na school")
    expect(page.locator(".finding-facts")).to_contain_text("Art. 31")

    # A question's results.
    form = page.locator("#add-question")
    form.get_by_label("Question").select_option(label="Question sport")
    form.get_by_label("Note (optional)").fill("Voetbal is het populairst.")
    form.get_by_role("button", name="Attach the results").click()
    expect(page.locator(".messages")).to_contain_text("The evidence is attached.")
    table = page.locator(".evidence-question table")
    expect(table.locator("tr", has_text="football (en)").locator("td")).to_have_text("12 (60%)")
    expect(table.locator("tr", has_text="swimming (en)").locator("td")).to_have_text("not shown")
    expect(table.locator("tr", has_text="dance (en)").locator("td")).to_have_text("not shown")
    expect(page.locator(".evidence-question")).to_contain_text("Answered by 20 young people.")
    expect(page.locator(".evidence-question img.result-chart")).to_be_visible()

    # A quote and a roundtable's key point.
    quote_form = page.locator("#add-quote")
    quote_form.get_by_label("Quote").select_option(index=1)
    quote_form.get_by_role("button", name="Attach the quote").click()
    expect(page.locator(".evidence-quote blockquote")).to_have_text(
        "We willen na school kunnen sporten."
    )
    point_form = page.locator("#add-outcome-point")
    point_form.get_by_label("Key point of a roundtable").select_option(index=1)
    point_form.get_by_role("button", name="Attach the key point").click()
    expect(page.locator(".evidence-outcome_point")).to_contain_text(
        "Open de sportvelden van scholen na de lessen."
    )
    expect(page.locator(".evidence-item")).to_have_count(3)
    assert_no_serious_axe_violations(page)
    save_screenshot(page, "staff-finding")

    # The list counts the evidence.
    page.get_by_role("link", name="Back to the findings").click()
    expect(page.locator(".finding-list")).to_contain_text("3 pieces of evidence")
    assert_no_serious_axe_violations(page)
    save_screenshot(page, "staff-findings")


def test_the_finding_page_passes_axe_on_a_phone(page, survey, staff):
    finding = finding_create(
        campaign=survey.campaign, title="Sport", statement="Veel voetbal.", user=staff
    )
    evidence_add_question(
        finding=finding,
        question_id=survey.questions.get(key="sport").pk,
        breakdown="age_band",
    )
    page.set_viewport_size(PHONE)
    sign_in(page, staff.email)

    page.goto(f"/staff/campaigns/{survey.campaign.slug}/findings/{finding.pk}/")

    expect(page.locator(".evidence-question caption")).to_contain_text("by Age band")
    assert_no_serious_axe_violations(page)
    save_screenshot(page, "staff-finding-phone")
