"""allauth's pages (sign in, sign up, two-factor setup) render inside the site's layout."""

import pytest
from allauth.account.models import EmailAddress

from accounts.models import User
from tests.frontend.html_checks import parse, text_of

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-passphrase-for-tests"


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
)
def test_account_pages_use_the_site_layout_in_the_active_language(client, url):
    client.cookies["django_language"] = "fr"
    response = client.get(url)

    page = parse(response.content)
    assert response.status_code == 200
    assert page.html_lang == "fr"
    assert page.stylesheets == ["/static/inspraak/site.css"]
    assert page.find("button", name="language", value="fr", aria_current="true")
    assert page.find("main", id="main")
    assert page.csp_problems == []


def test_the_authenticator_setup_shows_its_qr_code_as_an_image_the_csp_allows(client):
    user = User.objects.create_user(email="analyst@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    # allauth asks for the password again before two-factor settings change.
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})

    client.cookies["django_language"] = "en"
    response = client.get("/accounts/2fa/totp/activate/")

    assert response.status_code == 200
    page = parse(response.content)
    (qr_code,) = page.find("img")
    assert qr_code["src"].startswith("data:image/svg+xml")
    assert "img-src 'self' data:" in response["Content-Security-Policy"]
    assert page.csp_problems == []
    assert page.find("nav", class_="sub-nav"), "the account pages' own menu"
    assert "Activate Authenticator App" in text_of(response.content)
