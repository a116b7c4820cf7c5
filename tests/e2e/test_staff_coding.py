"""Staff open a survey's results, switch the breakdown to age band, code open answers (with the
keyboard shortcuts of coding.js), and see the code's frequency in the codebook change after a
reload (issue 5, acceptance 7). axe-core checks the codebook, coding and quotes pages
(acceptance 6); the ``page`` fixture fails on any request to another host or CSP violation."""

from __future__ import annotations

import re
import uuid

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from accounts.models import User
from analysis.coding import answer_coding_save, code_create
from analysis.services import survey_results_refresh
from surveys.models import Answer, QuestionKind, Survey, SurveyStatus
from surveys.services import response_submit
from tests.analysis.conftest import add_question, make_campaign
from tests.e2e.helpers import DESKTOP, PHONE, assert_no_serious_axe_violations, save_screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "a long and unusual passphrase 7"
STORIES = [
    "De speelplaats is te klein.",
    "We willen meer groen op de speelplaats.\nEn bankjes.",
    "De toiletten zijn vies.",
    "Ik wil meer inspraak in de klasraad.",
]


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
    """36 young people answered, each with a story; five stories already carry the code
    "Speelplaats", so that its frequency (k = 5) is shown, not hidden."""
    campaign = make_campaign("welzijn-op-school", min_cell_size=5)
    survey = Survey.objects.create(
        campaign=campaign, slug="op-school", title_nl="Op school", status=SurveyStatus.OPEN
    )
    add_question(survey, "mood", QuestionKind.SCALE)
    add_question(survey, "sport", QuestionKind.SINGLE, options=["football", "swimming", "dance"])
    add_question(survey, "story", QuestionKind.TEXT, text_nl="Wat wil je ons vertellen?")
    sports = ["football", "swimming", "dance"]
    for index in range(36):
        response_submit(
            survey=survey,
            client_token=uuid.uuid4(),
            language="nl",
            age=[7, 10, 13, 16][index % 4],
            invite_code=None,
            assent=True,
            answers={
                "mood": 1 + index % 5,
                "sport": sports[index % 3],
                "story": STORIES[index % 4],
            },
        )
    survey_results_refresh(survey=survey)
    playground = code_create(
        campaign=campaign,
        label="Speelplaats",
        description="Over de speelplaats: ruimte, groen, spelen.",
        article_numbers=[31],
        user=staff,
    )
    code_create(campaign=campaign, label="Toiletten", article_numbers=[24], user=staff)
    code_create(campaign=campaign, label="Inspraak", article_numbers=[12], user=staff)
    # The last five stories are coded; the first ones stay uncoded for the browser to code.
    stories = Answer.objects.filter(question__survey=survey, question__key="story")
    for answer in stories.order_by("-pk")[:5]:
        answer_coding_save(
            answer_id=answer.pk,
            campaign=campaign,
            code_ids=[playground.pk],
            is_quote=False,
            user=staff,
        )
    return survey


def sign_in(page, email: str) -> None:
    """Sign in, with the English interface (the messages asserted are the msgids)."""
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page_base(page)}])
    page.goto("/accounts/login/")
    page.locator("main input[name=login]").fill(email)
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator("form[action='/accounts/logout/'] button")).to_be_visible()


def page_base(page) -> str:
    page.goto("/")
    return page.url


def frequency_cell(page, label: str):
    """The overall count of ``label`` in the codebook's frequency table."""
    return page.locator("#code-frequencies tbody tr", has_text=label).locator("td").first


def test_staff_code_answers_by_keyboard_and_see_the_frequency_change(page, survey, staff):
    sign_in(page, staff.email)

    # The dashboard: the survey's results, broken down by age band.
    page.goto("/staff/surveys/")
    page.get_by_role("link", name="Op school").click()
    page.locator("#id_by").select_option("age_band")
    page.locator("form.breakdown-form button[type=submit]").click()
    page.wait_for_url("**/results/?by=age_band")
    expect(page.locator("#table-sport thead th")).to_have_count(5)

    # On to the open answers: the first uncoded one.
    page.get_by_role("link", name="Code open answers").click()
    page.wait_for_url(re.compile(r"/coding/\?status=uncoded$"))
    expect(page.locator(".coding-position")).to_contain_text("1")
    expect(page.locator(".answer-text")).to_have_text(STORIES[0])
    expect(page.locator(".js-shortcuts")).to_be_visible()
    expect(page.locator(".key-hint").first).to_be_visible()
    assert_no_serious_axe_violations(page)
    save_screenshot(page, "staff-coding-answer")

    # Codes by label: Inspraak (1), Speelplaats (2), Toiletten (3). Keyboard only.
    playground = page.get_by_role("checkbox", name="Speelplaats")
    page.keyboard.press("2")
    expect(playground).to_be_checked()
    page.keyboard.press("3")
    page.keyboard.press("3")  # on and off again
    expect(page.get_by_role("checkbox", name="Toiletten")).not_to_be_checked()
    page.keyboard.press("Control+Enter")
    page.wait_for_url(re.compile(r"/coding/\d+/\?status=uncoded$"))
    expect(page.locator(".messages")).to_contain_text("Saved")
    expect(page.locator(".answer-text")).to_contain_text("meer groen op de speelplaats")
    # The line break of the answer is kept.
    expect(page.locator(".answer-text br")).to_have_count(1)

    # The codebook counts six young people with "Speelplaats" now.
    page.get_by_role("link", name="Codebook").click()
    expect(frequency_cell(page, "Speelplaats")).to_have_text("6")
    assert_no_serious_axe_violations(page)
    save_screenshot(page, "staff-codebook")

    # Back to the next uncoded answer: tick the code with the mouse-free Tab/Space way, mark
    # it as a quote with "q", and save with the button.
    page.go_back()
    page.wait_for_url(re.compile(r"/coding/\d+/\?status=uncoded$"))
    page.get_by_role("checkbox", name="Speelplaats").focus()
    page.keyboard.press("Space")
    page.keyboard.press("q")
    expect(page.get_by_role("checkbox", name="Quote for the report")).to_be_checked()
    page.get_by_role("button", name="Save and next").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".answer-text")).to_have_text(STORIES[2])

    # "n" and "p" move without saving; typing in the search field is not a shortcut.
    page.wait_for_load_state()
    page.keyboard.press("n")
    expect(page.locator(".answer-text")).to_have_text(STORIES[3])
    page.wait_for_load_state()
    page.keyboard.press("p")
    expect(page.locator(".answer-text")).to_have_text(STORIES[2])
    page.wait_for_load_state()
    page.locator("#filter-search").focus()
    page.keyboard.type("n2q")
    expect(page.locator("#filter-search")).to_have_value("n2q")
    expect(page.locator(".answer-text")).to_have_text(STORIES[2])
    expect(page.get_by_role("checkbox", name="Speelplaats")).not_to_be_checked()
    expect(page.get_by_role("checkbox", name="Quote for the report")).not_to_be_checked()

    # After a reload the codebook shows the change: seven.
    page.goto(f"/staff/campaigns/{survey.campaign.slug}/codebook/")
    expect(frequency_cell(page, "Speelplaats")).to_have_text("7")
    page.reload()
    expect(frequency_cell(page, "Speelplaats")).to_have_text("7")

    # The quote is on the quotes page.
    page.get_by_role("link", name="Quotes").first.click()
    expect(page.locator(".quote-item blockquote")).to_contain_text("meer groen op de speelplaats")
    assert_no_serious_axe_violations(page)
    save_screenshot(page, "staff-quotes")


def test_the_codebook_form_and_the_coding_page_pass_axe_on_a_phone(page, survey, staff):
    page.set_viewport_size(PHONE)
    sign_in(page, staff.email)

    page.goto(f"/staff/campaigns/{survey.campaign.slug}/codebook/")
    page.locator("details.code-articles summary").click()
    assert_no_serious_axe_violations(page)
    save_screenshot(page, "staff-codebook-phone")

    # Theme suggestions: look for them (in-process here), then accept one as a code.
    page.get_by_role("button", name="Look for themes").click()
    expect(page.locator(".messages")).to_contain_text("The search for themes")
    suggestions = page.locator(".theme-item")
    expect(suggestions.first).to_be_visible()
    assert_no_serious_axe_violations(page)
    save_screenshot(page, "staff-themes-phone")
    page.set_viewport_size(DESKTOP)
    save_screenshot(page, "staff-codebook-with-themes")
    page.set_viewport_size(PHONE)
    phrase = suggestions.first.locator(".theme-phrase strong").inner_text()
    suggestions.first.get_by_role("button", name=re.compile("^Accept as code")).click()
    page.wait_for_url(re.compile(r"/coding/\?"))
    expect(page.locator(".messages")).to_contain_text("is now a code")
    expect(page.locator("#filter-search")).to_have_value(phrase)
    expect(page.get_by_role("checkbox", name=phrase)).to_be_visible()

    page.goto(f"/staff/campaigns/{survey.campaign.slug}/coding/?status=uncoded")
    assert_no_serious_axe_violations(page)
    save_screenshot(page, "staff-coding-phone")


def test_the_coding_page_works_without_javascript(browser, live_url, survey, staff):
    context = browser.new_context(
        base_url=live_url, java_script_enabled=False, locale="nl-BE", viewport=DESKTOP
    )
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto("/accounts/login/")
        page.locator("main input[name=login]").fill(staff.email)
        page.locator("main input[name=password]").fill(PASSWORD)
        page.locator("main button[type=submit]").click()
        page.goto(f"/staff/campaigns/{survey.campaign.slug}/coding/")
        expect(page.locator(".js-shortcuts")).to_be_hidden()
        page.get_by_role("checkbox", name="Toiletten").focus()
        page.keyboard.press("Space")
        page.get_by_role("button", name="Save and next").focus()
        page.keyboard.press("Enter")
        expect(page.locator(".messages")).to_contain_text("Saved")
        expect(page.locator(".answer-text")).to_contain_text("meer groen op de speelplaats")
        save_screenshot(page, "staff-coding-no-javascript")
    finally:
        context.close()
    coded = Answer.objects.filter(question__survey=survey, question__key="story").earliest("pk")
    assert [code.label for code in coded.coding.codes.all()] == ["Toiletten"]
