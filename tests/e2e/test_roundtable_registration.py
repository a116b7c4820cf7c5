"""Roundtables in a real Chromium: an expert signs up, confirms the e-mail address, registers,
cancels, and the expert waiting behind them gets the seat; staff see and check in the people.

The live server runs in this process with Django's test e-mail backend, so the e-mails the
platform sends (the address confirmation, the promotion) are read from ``mail.outbox``.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Sector, User
from consultations.models import Campaign, CampaignStatus
from roundtables.models import Registration, RegistrationStatus, Roundtable, RoundtableStatus
from roundtables.services import registration_create, roundtable_create
from tests.e2e.helpers import DESKTOP, PHONE, assert_no_serious_axe_violations, save_screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "a long and unusual passphrase 7"
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


@pytest.fixture(autouse=True)
def _staff_pages_without_a_second_factor(settings):
    """Two-step verification of staff is tested in tests/accounts; here staff sign in with a
    password only."""
    settings.STAFF_MFA_REQUIRED = False


@pytest.fixture
def campaign(live_url) -> Campaign:
    return Campaign.objects.create(
        slug="welzijn-op-school",
        status=CampaignStatus.CONSULTING,
        title_nl="Welzijn op school",
        title_fr="Le bien-être à l'école",
        title_en="Wellbeing at school",
    )


@pytest.fixture
def roundtable(campaign) -> Roundtable:
    """One seat left of one, ten days from now."""
    day = timezone.localdate() + datetime.timedelta(days=10)
    zone = timezone.get_current_timezone()
    return roundtable_create(
        campaign=campaign,
        slug="mentaal-welzijn",
        title_nl="Mentaal welzijn van jongeren",
        title_en="Young people's mental health",
        description_nl="Wat kunnen scholen doen voor het mentaal welzijn van hun leerlingen?",
        description_en="What can schools do for the mental health of their pupils?",
        starts_at=datetime.datetime.combine(day, datetime.time(14, 0), tzinfo=zone),
        ends_at=datetime.datetime.combine(day, datetime.time(17, 0), tzinfo=zone),
        venue="Kinderrechtenhuis, Koningsstraat 1, 1000 Brussel",
        capacity=1,
        target_sectors=[Sector.ACADEMIC, Sector.POLICY],
        questions=[
            {
                "key": "perspective",
                "kind": "single",
                "required": True,
                "label_nl": "Vanuit welk perspectief neemt u deel?",
                "label_en": "From which perspective do you take part?",
                "options": [
                    {"value": "research", "label_nl": "Onderzoek", "label_en": "Research"},
                    {"value": "policy", "label_nl": "Beleid", "label_en": "Policy"},
                ],
            }
        ],
        status=RoundtableStatus.PUBLISHED,
    )


def make_account(email: str, full_name: str, **fields) -> User:
    user = User.objects.create_user(
        email=email, password=PASSWORD, full_name=full_name, preferred_language="nl", **fields
    )
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


@pytest.fixture
def waiting_expert(live_url) -> User:
    return make_account(
        "julien.dubois@fwb.example",
        "Julien Dubois",
        organisation="Fédération Wallonie-Bruxelles",
        sector=Sector.POLICY,
    )


@pytest.fixture
def staff(live_url) -> User:
    return make_account("analyst@coalition.example", "Ann Analyst", is_staff=True)


@pytest.fixture
def new_page(browser, live_url, page_guard):
    """Another person's browser (its own cookies), held to the same privacy rules."""
    contexts = []

    def open_page(viewport: dict = PHONE):
        context = browser.new_context(base_url=live_url, locale="nl-BE", viewport=viewport)
        contexts.append(context)
        other = context.new_page()
        other.set_default_timeout(10_000)
        other.on("request", page_guard.on_request)
        other.on("console", page_guard.on_console)
        return other

    yield open_page
    for context in contexts:
        context.close()


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("main input[name=login]").fill(email)
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator("form[action='/accounts/logout/'] button")).to_be_visible()


def confirmation_link(address: str) -> str:
    (message,) = [m for m in mail.outbox if address in m.to and CONFIRM_LINK.search(m.body)]
    return urlsplit(CONFIRM_LINK.search(message.body).group(0)).path


def assert_touch_targets_are_large_enough(page) -> None:
    targets = page.locator("main a, main button, main summary, main label:has(input[type=radio])")
    for index in range(targets.count()):
        target = targets.nth(index)
        if not target.is_visible():
            continue
        box = target.bounding_box()
        assert box["height"] >= 44, f"{target.inner_text()!r} is {box['height']}px high"


def test_an_expert_signs_up_registers_cancels_and_the_waiting_expert_gets_the_seat(
    page, new_page, roundtable, waiting_expert
):
    # A professor finds the roundtable on a laptop.
    page.set_viewport_size(DESKTOP)
    page.goto("/roundtables/")
    expect(page.get_by_text("1 plaats vrij").or_(page.get_by_text("1 seat left"))).to_be_visible()
    assert_no_serious_axe_violations(page)
    save_screenshot(page, "roundtables-list-desktop")

    page.get_by_role("link", name="Mentaal welzijn van jongeren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentaal welzijn van jongeren")
    assert_no_serious_axe_violations(page)
    save_screenshot(page, "roundtable-detail-anonymous-desktop")

    # Signing up from the roundtable, with the profile registration will reuse.
    page.locator(f"main a[href='/accounts/signup/?next={roundtable.page_path}']").click()
    page.locator("main input[name=full_name]").fill("Sara Peeters")
    page.locator("main input[name=email]").fill("sara.peeters@ugent.example")
    page.locator("main input[name=password1]").fill(PASSWORD)
    page.locator("main input[name=password2]").fill(PASSWORD)
    page.locator("main input[name=organisation]").fill("Universiteit Gent")
    page.locator("main select[name=sector]").select_option("academic")
    page.locator("main textarea[name=expertise]").fill("Participation of young children")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))

    # The address is confirmed through the link in the e-mail.
    page.goto(confirmation_link("sara.peeters@ugent.example"))
    page.locator("main button[type=submit]").click()
    expect(page.locator("form[action='/accounts/logout/'] button")).to_be_visible()
    assert EmailAddress.objects.get(email="sara.peeters@ugent.example").verified

    # Registering: the profile is already filled in.
    page.goto(roundtable.page_path)
    expect(page.locator("main input[name=organisation]")).to_have_value("Universiteit Gent")
    expect(page.locator("main select[name=sector]")).to_have_value("academic")
    assert_no_serious_axe_violations(page)
    save_screenshot(page, "roundtable-register-form-desktop")
    page.locator("main textarea[name=needs]").fill("Rolstoeltoegankelijk, graag")
    page.locator("main input[name=answer_perspective][value=research]").check()
    page.locator("main form.rt-form button[type=submit]").click()

    status = page.locator(".rt-status-line")
    expect(status).to_be_visible()
    registration = Registration.objects.get(user__email="sara.peeters@ugent.example")
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.answers == {"perspective": "research"}
    confirmed_text = status.inner_text()

    # The policymaker, on a phone, comes second: the waitlist.
    phone = new_page(PHONE)
    sign_in(phone, waiting_expert.email)
    phone.goto(roundtable.page_path)
    phone.locator("main input[name=answer_perspective][value=policy]").check()
    phone.locator("main form.rt-form button[type=submit]").click()
    expect(phone.locator(".rt-status-line")).to_be_visible()
    waiting = Registration.objects.get(user=waiting_expert)
    assert waiting.status == RegistrationStatus.WAITLISTED
    assert phone.locator(".rt-status-line").inner_text() != confirmed_text
    assert_no_serious_axe_violations(phone)
    assert_touch_targets_are_large_enough(phone)
    save_screenshot(phone, "roundtable-waitlisted-phone")

    # The professor cancels from "my registrations", after a confirmation step.
    page.set_viewport_size(PHONE)
    page.goto("/roundtables/mine/")
    expect(page.locator(".rt-status-line")).to_have_text(confirmed_text)
    assert_no_serious_axe_violations(page)
    assert_touch_targets_are_large_enough(page)
    save_screenshot(page, "roundtables-mine-phone")
    page.locator("main a.button-quiet-danger").click()
    assert_no_serious_axe_violations(page)
    save_screenshot(page, "roundtable-cancel-confirm-phone")
    mail.outbox.clear()
    page.locator("main form button.button-danger").click()
    page.wait_for_url(re.compile(r"/roundtables/mine/$"))
    expect(page.locator(".message-success")).to_be_visible()
    save_screenshot(page, "roundtables-mine-after-cancel-phone")

    # The policymaker has the seat, and an e-mail says so.
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    phone.goto("/roundtables/mine/")
    expect(phone.locator(".rt-status-line")).to_have_text(confirmed_text)
    save_screenshot(phone, "roundtables-mine-promoted-phone")
    assert waiting_expert.email in [address for m in mail.outbox for address in m.to]


def test_staff_see_the_registrations_and_check_people_in_on_the_day(
    page, roundtable, waiting_expert, staff
):
    seated = make_account(
        "sara.peeters@ugent.example",
        "Sara Peeters",
        organisation="Universiteit Gent",
        sector=Sector.ACADEMIC,
        expertise="Participation of young children",
    )
    registration_create(
        roundtable=roundtable,
        user=seated,
        needs="Wheelchair access",
        answers={"perspective": "research"},
    )
    registration_create(
        roundtable=roundtable, user=waiting_expert, answers={"perspective": "policy"}
    )

    page.set_viewport_size(DESKTOP)
    sign_in(page, staff.email)
    page.goto(f"/staff/roundtables/{roundtable.slug}/")
    expect(page.get_by_role("cell", name="Wheelchair access")).to_be_visible()
    assert_no_serious_axe_violations(page)
    save_screenshot(page, "staff-roundtable-registrations-desktop")

    # On the day, on a phone at the door.
    now = timezone.now()
    Roundtable.objects.filter(pk=roundtable.pk).update(
        starts_at=now - datetime.timedelta(minutes=10), ends_at=now + datetime.timedelta(hours=3)
    )
    page.set_viewport_size(PHONE)
    page.goto(f"/staff/roundtables/{roundtable.slug}/check-in/")
    present = page.locator("main button[value=yes]")
    present.focus()
    page.keyboard.press("Enter")
    expect(page.locator("main button[value=yes]")).to_have_attribute("aria-pressed", "true")
    assert Registration.objects.get(user=seated).status == RegistrationStatus.ATTENDED
    assert_no_serious_axe_violations(page)
    assert_touch_targets_are_large_enough(page)
    save_screenshot(page, "staff-roundtable-check-in-phone")

    page.goto(f"/staff/roundtables/{roundtable.slug}/outcome/")
    page.locator("main textarea[name=summary]").fill("Scholen hebben een luistercultuur nodig.")
    page.locator("main textarea[name=points-0-text]").fill("Elke school een leerlingenraad.")
    page.locator("main details").first.locator("summary").click()
    page.locator("main input[name=points-0-articles][value='12']").check()
    assert_no_serious_axe_violations(page)
    save_screenshot(page, "staff-roundtable-outcome-phone")
    page.locator("main button[type=submit]").first.click()
    expect(page.locator(".message-success")).to_be_visible()
    assert roundtable.outcome.points.get().articles.get().code == "12"
