"""The home page in a real browser: languages, privacy, accessibility, phone and desktop."""

import datetime
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from consultations.models import Campaign, CampaignStatus
from tests.e2e.helpers import DESKTOP, PHONE, assert_no_serious_axe_violations, save_screenshot

pytestmark = pytest.mark.e2e

# The home page heading, msgid "Have your say", as the catalogues translate it.
HEADING = {"nl": "Geef je mening", "fr": "Donne ton avis"}


@pytest.fixture
def campaign(live_url) -> Campaign:
    return Campaign.objects.create(
        slug="op-school",
        status=CampaignStatus.CONSULTING,
        title_nl="Jouw stem op school",
        title_fr="Ta voix à l'école",
        title_en="Your voice at school",
        summary_nl="Wat vind jij van je school? Vertel het ons.",
        summary_fr="Que penses-tu de ton école ? Dis-le-nous.",
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 6, 30),
    )


def test_a_young_person_reads_the_home_page_in_dutch_and_switches_to_french(page, campaign):
    response = page.goto("/")

    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy
    assert "script-src 'self'" in policy
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("link", name="Jouw stem op school")).to_be_visible()
    expect(page.get_by_text("1 maart 2026")).to_be_visible()
    expect(page.get_by_role("button", name="Nederlands")).to_have_attribute("aria-current", "true")
    assert_no_serious_axe_violations(page)
    dutch_heading = page.get_by_role("heading", level=1).inner_text()
    save_screenshot(page, "language-switch-nl-phone")

    page.get_by_role("button", name="Français").click()

    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert urlsplit(page.url).path == "/"
    expect(page.get_by_role("link", name="Ta voix à l'école")).to_be_visible()
    expect(page.get_by_text("1 mars 2026")).to_be_visible()
    expect(page.get_by_role("button", name="Français")).to_have_attribute("aria-current", "true")
    expect(page.get_by_role("button", name="Nederlands")).not_to_have_attribute(
        "aria-current", "true"
    )
    assert_no_serious_axe_violations(page)
    french_heading = page.get_by_role("heading", level=1).inner_text()
    save_screenshot(page, "language-switch-fr-phone")

    # Interface text (not campaign content) comes from the translation catalogues.
    assert (dutch_heading, french_heading) == (HEADING["nl"], HEADING["fr"]), (
        'the catalogues must translate msgid "Have your say"'
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_home_page_fits_the_screen_with_large_enough_touch_targets(page, campaign, viewport):
    page.set_viewport_size(viewport)
    page.goto("/")

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    targets = page.locator(".site-header a, .site-header button, main a, main button, footer a")
    for index in range(targets.count()):
        box = targets.nth(index).bounding_box()
        name = targets.nth(index).inner_text()
        assert box["height"] >= 44 and box["width"] >= 44, f"{name!r} is {box}"
    assert_no_serious_axe_violations(page)
    save_screenshot(page, f"home-nl-{'phone' if viewport is PHONE else 'desktop'}")


def test_the_first_tab_reaches_a_visible_skip_link_to_the_content(page, campaign):
    page.goto("/")

    page.keyboard.press("Tab")

    skip_link = page.locator(".skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
