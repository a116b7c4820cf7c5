"""What happened with your voice, in Chromium on a phone (360 by 740): a young person types their
receipt code and reads "results are expected on …"; once staff publish, the same page shows the
summary of their age band with bar charts, in Dutch and in French (issue 6, acceptance 4).
Staff write and publish a summary through their page. axe-core checks every screen; the
``page`` fixture fails on any request to another host or CSP violation."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from accounts.models import User
from analysis.models import YouthFeedbackPublication
from consultations.models import AgeBand
from tests.e2e.helpers import DESKTOP, SCREENSHOT_DIR, save_screenshot
from tests.e2e.youth_steps import check_screen
from tests.frontend.test_youth_results import TEXTS, expected_on, make_voice_world, publish
from tests.frontend.youth_survey import ui

pytestmark = pytest.mark.e2e

PASSWORD = "a long and unusual passphrase 7"


@pytest.fixture
def world(live_url):
    return make_voice_world()


def bar_share(page, label: str) -> float:
    """How much of its track the bar of the option ``label`` fills, as the eye sees it."""
    row = page.locator("li.bar", has_text=label)
    track = row.locator(".bar-track").bounding_box()
    fill = row.locator(".bar-fill").bounding_box()
    return fill["width"] / track["width"]


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_a_young_persons_receipt_shows_when_results_come_then_what_happened(page, world, language):
    code = world.receipt_nl if language == "nl" else world.receipt_fr
    page.goto("/r/")
    page.locator("#code").fill(code.lower().replace("-", " "))
    page.locator("form.receipt-form button[type=submit]").click()

    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("main")).to_contain_text(expected_on(language))
    expect(page.locator("ul.chart")).to_have_count(0)
    check_screen(page, f"voice-{language}-before")

    publish(world)
    page.reload()

    main = page.locator("main")
    expect(main).not_to_contain_text(expected_on(language))
    for part in ["told_us", "we_did", "next_steps"]:
        expect(main).to_contain_text(TEXTS[f"{part}_{language}"])
    expect(page.locator("#told-us")).to_contain_text(ui(language, "What you told us"))
    expect(page.locator("ul.chart")).to_have_count(2)
    sport = "Sporten" if language == "nl" else "Faire du sport"
    expect(page.locator("li.bar", has_text=sport).locator(".bar-number")).to_have_text(
        ui(language, "%(count)s of %(total)s", count=12, total=24)
    )
    hidden = page.locator("li.bar-hidden .bar-number")
    expect(hidden).to_have_count(2)
    expect(hidden.first).to_have_text(ui(language, "not shown"))
    expect(page.locator(".chart-question").first).to_contain_text(
        ui(
            language,
            "We do not show small numbers (under %(k)s), and sometimes one more number: so "
            "nobody can find out who said what.",
            k=10,
        )
    )
    assert bar_share(page, sport) == pytest.approx(0.5, abs=0.02)
    check_screen(page, f"voice-{language}-after")
    page.locator(".chart-question").first.screenshot(
        path=str(SCREENSHOT_DIR / f"voice-{language}-chart.png")
    )


def test_the_public_results_page_lets_a_young_person_pick_their_age(page, world):
    publish(world)
    page.goto(f"/c/{world.campaign.slug}/results/")

    expect(page.locator(".band-picker a[aria-current=page]")).to_have_attribute("href", "?band=6-8")
    expect(page.locator("main")).to_contain_text(TEXTS["told_us_nl"])
    check_screen(page, "voice-public-6-8")

    page.locator(".band-picker a[href='?band=12-14']").click()

    expect(page.locator(".band-picker a[aria-current=page]")).to_have_attribute(
        "href", "?band=12-14"
    )
    expect(page.locator("main")).to_contain_text(
        ui(
            "nl",
            "We have not written a summary for your age yet. Here is what young people your "
            "age answered.",
        )
    )
    check_screen(page, "voice-public-12-14")


@pytest.fixture
def staff(live_url, settings) -> User:
    settings.STAFF_MFA_REQUIRED = False
    user = User.objects.create_user(
        email="analyst@coalition.example", password=PASSWORD, is_staff=True
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


def sign_in(page, user: User) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_staff_write_preview_and_publish_a_summary(page, world, staff):
    page.set_viewport_size(DESKTOP)
    sign_in(page, staff)
    band = AgeBand.objects.get(campaign=world.campaign, code="6-8")
    page.goto(f"/staff/campaigns/{world.campaign.slug}/feedback/")
    check_screen(page, "voice-staff-page")

    panel = page.locator(f"#band-{band.pk}")
    panel.locator("summary").click()
    panel.locator(f"#id_band-{band.pk}-told_us_nl").fill(TEXTS["told_us_nl"])
    panel.locator(f"#id_band-{band.pk}-told_us_fr").fill(TEXTS["told_us_fr"])
    panel.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()

    page.locator(f"#band-{band.pk} a[href$='/preview/fr/']").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("main")).to_contain_text(TEXTS["told_us_fr"])
    check_screen(page, "voice-staff-preview-fr")
    page.locator(".notice-preview a").click()

    page.locator("a[href$='/feedback/publish/']").click()
    check_screen(page, "voice-staff-publish")
    assert not YouthFeedbackPublication.objects.exists()
    page.locator("main form.button-row button[type=submit]").click()

    expect(page.locator(".messages")).to_be_visible()
    assert YouthFeedbackPublication.objects.get().published_by == staff
    save_screenshot(page, "voice-staff-published")
