"""allauth's pages in a real browser: the site's layout, accessible, nothing the CSP blocks."""

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from accounts.models import User
from tests.e2e.helpers import assert_no_serious_axe_violations, save_screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-passphrase-for-tests"


@pytest.fixture
def expert(live_url) -> User:
    user = User.objects.create_user(email="expert@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.locator("main input[name=login]").fill(email)
    page.locator("main input[name=password]").fill(password)
    page.locator("main button[type=submit]").click()


def test_the_sign_in_page_is_accessible_and_tells_a_wrong_password(page, expert):
    sign_in(page, expert.email, "not-the-password")

    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("main .errorlist")).to_be_visible()
    expect(page.get_by_role("button", name="Nederlands")).to_have_attribute("aria-current", "true")
    assert_no_serious_axe_violations(page)
    save_screenshot(page, "sign-in-error-phone")


def test_an_expert_sets_up_an_authenticator_app_on_an_accessible_page(page, expert):
    sign_in(page, expert.email, PASSWORD)
    expect(page.get_by_role("button", name="Afmelden")).to_be_visible()  # signed in, in Dutch

    page.goto("/accounts/2fa/totp/activate/")
    # allauth asks for the password again before two-factor settings change.
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()

    qr_code = page.locator("main img[src^='data:image/svg+xml']")
    expect(qr_code).to_be_visible()
    assert qr_code.bounding_box()["width"] >= 150, "a QR code a phone camera can read"
    assert_no_serious_axe_violations(page)
    save_screenshot(page, "totp-activate-phone")
