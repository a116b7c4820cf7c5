"""The layout every page shares: language, landmarks, menu, messages, CSP-safe markup."""

import pytest
from django.test import Client

from accounts.models import User
from tests.frontend.html_checks import parse, text_of

pytestmark = pytest.mark.django_db

PAGES = ["/", "/c/op-school/", "/privacy/", "/accounts/login/", "/accounts/signup/"]


def test_pages_are_in_dutch_for_a_visitor_who_did_not_choose(client):
    assert parse(client.get("/").content).html_lang == "nl"


def test_the_language_switcher_offers_each_language_in_its_own_words(client):
    page = parse(client.get("/").content)

    buttons = page.find("button", name="language")
    assert [(b["value"], b["lang"]) for b in buttons] == [("nl", "nl"), ("fr", "fr"), ("en", "en")]
    assert "Nederlands" in text_of(client.get("/").content)
    assert "Français" in text_of(client.get("/").content)
    assert page.find("button", name="language", value="nl", aria_current="true")
    assert not page.find("button", name="language", value="fr", aria_current="true")


def test_choosing_french_without_javascript_switches_every_page_to_french(published_campaign):
    browser = Client(enforce_csrf_checks=True)
    home = parse(browser.get("/c/op-school/").content)
    (form,) = home.find("form", action="/i18n/setlang/")
    assert form["method"] == "post"
    (csrf,) = home.find("input", name="csrfmiddlewaretoken")
    (next_field,) = home.find("input", name="next")

    response = browser.post(
        "/i18n/setlang/",
        {"csrfmiddlewaretoken": csrf["value"], "next": next_field["value"], "language": "fr"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/c/op-school/"
    french = browser.get("/c/op-school/")
    assert parse(french.content).html_lang == "fr"
    assert "Ta voix à l'école" in text_of(french.content)
    assert parse(french.content).find("button", value="fr", aria_current="true")
    assert parse(browser.get("/privacy/").content).html_lang == "fr"


def test_every_page_has_a_skip_link_to_the_main_landmark(client, published_campaign):
    for url in PAGES:
        page = parse(client.get(url).content)
        assert page.find("a", href="#main", class_="skip-link"), url
        assert page.find("main", id="main"), url


def test_every_page_sends_a_content_security_policy_without_unsafe_inline(
    client, published_campaign
):
    for url in PAGES:
        policy = client.get(url)["Content-Security-Policy"]
        assert "unsafe-inline" not in policy, url
        assert "script-src 'self'" in policy, url
        assert "style-src 'self'" in policy, url


def test_no_page_carries_inline_scripts_styles_or_event_handlers(client, published_campaign):
    for url in PAGES:
        page = parse(client.get(url).content)
        assert page.csp_problems == [], url


def test_pages_load_no_asset_from_another_host(client, published_campaign):
    for url in PAGES:
        page = parse(client.get(url).content)
        for attributes in (
            page.find("link") + page.find("script") + page.find("img") + page.find("iframe")
        ):
            address = attributes.get("href") or attributes.get("src") or ""
            assert not address.startswith(("http:", "https:", "//")), (url, address)


def test_a_visitor_is_offered_to_sign_in(client):
    client.cookies["django_language"] = "en"
    page = text_of(client.get("/").content)

    assert "Sign in" in page
    assert "Sign out" not in page
    assert "My account" not in page


def test_a_signed_in_person_signs_out_with_a_form_and_is_told_so(client):
    user = User.objects.create_user(email="expert@example.org", password="a-long-passphrase")
    client.force_login(user)
    client.cookies["django_language"] = "en"
    home = parse(client.get("/").content)
    assert home.find("form", method="post", action="/accounts/logout/")
    assert home.find("a", href="/accounts/email/")

    client.cookies["django_language"] = "en"
    response = client.post("/accounts/logout/", follow=True)

    page = parse(response.content)
    assert page.find("div", class_="messages", role="status")
    assert "You have signed out." in text_of(response.content)
