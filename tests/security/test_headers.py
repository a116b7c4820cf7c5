"""Security headers on every page and endpoint, and secure cookies and HSTS in production
(issue 7; DESIGN §4: a strict Content-Security-Policy, no third-party requests).

Every page of the permission matrix (tests/security/test_url_permissions.py), opened by a persona
allowed to see it, carries a Content-Security-Policy without 'unsafe-inline' for scripts and
styles, forbids framing, MIME sniffing and cross-site referrers, and (for HTML) holds no inline
script, style or event handler that the policy would block. Production settings are checked in
a subprocess (settings are read once per process), as tests/config/test_settings.py does: over
HTTPS, or behind a TLS proxy with ``BEHIND_TLS_PROXY``, the session, CSRF and language cookies are
Secure and HSTS is sent; plain HTTP is redirected.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.config.test_settings import PRODUCTION_ENV
from tests.frontend.html_checks import parse
from tests.security.conftest import World
from tests.security.test_url_permissions import OK, ROUTES, Route, generated_routes, sign_in

ROOT = Path(__file__).resolve().parents[2]

# The order personas are tried in for a page: the first one the page lets in.
VIEWERS = ["anonymous", "receipt_holder", "expert", "coordinator", "staff"]

# Staff analysis pages live in the analysis matrix (another world); these are their main ones.
STAFF_ANALYSIS_PAGES = [
    "/staff/surveys/",
    "/staff/surveys/{survey}/results/?by=age_band",
    "/staff/campaigns/{campaign}/overview/",
    "/staff/campaigns/{campaign}/codebook/",
    "/staff/campaigns/{campaign}/coding/?status=all",
    "/staff/campaigns/{campaign}/quotes/",
    "/coordinator/",
    "/coordinator/{organisation}/{campaign}/",
]
# Pages nobody is let in, and pages that do not exist, are pages too.
REFUSALS = [("expert", "/staff/roundtables/"), ("anonymous", "/no-such-page/")]


def policy(header: str) -> dict[str, list[str]]:
    directives = {}
    for directive in header.split(";"):
        name, *values = directive.split()
        directives[name] = values
    return directives


def assert_secure_headers(response, url: str) -> None:
    csp = policy(response["Content-Security-Policy"])
    for directive in ("script-src", "style-src"):
        sources = csp.get(directive, csp["default-src"])
        assert "'unsafe-inline'" not in sources, (url, directive)
        assert "'unsafe-eval'" not in sources, (url, directive)
        # No third-party origin: only the site itself (and data: for images).
        assert sources == ["'self'"], (url, directive, sources)
    assert csp["frame-ancestors"] == ["'none'"], url
    assert csp["object-src"] == ["'none'"], url
    assert response["X-Frame-Options"] == "DENY", url
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["Referrer-Policy"] in {"no-referrer", "same-origin"}, url
    if response.get("Content-Type", "").startswith("text/html"):
        assert parse(response.content).csp_problems == [], url


def viewer(route: Route) -> str | None:
    for persona in VIEWERS:
        if route.access[persona] == OK:
            return persona
    return None


@pytest.mark.django_db
def test_every_page_and_endpoint_sends_the_security_headers(world: World, settings):
    settings.STAFF_MFA_REQUIRED = True
    visits: list[tuple[str, str]] = []
    for route in [*ROUTES, *generated_routes()]:
        persona = viewer(route)
        if route.method == "get" and persona:
            visits.append((persona, route.url(world, persona)))
    names = {
        "survey": world.survey.slug,
        "campaign": world.campaign.slug,
        "organisation": world.organisation.slug,
    }
    visits += [("staff", url.format(**names)) for url in STAFF_ANALYSIS_PAGES]
    visits += REFUSALS

    for persona, url in visits:
        client = Client()
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
        sign_in(client, persona, world)
        response = client.get(url)
        assert response.status_code < 500, url
        assert_secure_headers(response, url)


# --- Production settings, over HTTPS -------------------------------------------------------------


def probe(tmp_path: Path, *args: str, **env: str) -> dict:
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    environment.update(PRODUCTION_ENV)
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        # No collectstatic here: the manifest storage would refuse every {% static %}.
        STATIC_MANIFEST="0",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        REDIS_URL="",
    )
    environment.pop("BEHIND_TLS_PROXY", None)
    environment.update(env)
    result = subprocess.run(
        [sys.executable, "-m", "tests.security.production_probe", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict:
    return probe(tmp_path_factory.mktemp("production"), BEHIND_TLS_PROXY="1")


def live_cookies(seen: dict) -> dict[str, dict]:
    return {name: cookie for name, cookie in seen["cookies"].items() if not cookie["deleted"]}


def test_plain_http_is_redirected_to_https(production):
    assert production["plain_http"]["status"] == 301
    assert production["plain_http"]["headers"]["Location"] == (
        "https://inspraak.example.org/accounts/login/"
    )
    assert "Strict-Transport-Security" not in production["plain_http"]["headers"]


def test_the_health_check_answers_over_plain_http_for_the_load_balancer(production):
    assert production["plain_http_healthz"]["status"] == 200


@pytest.mark.parametrize("page", ["login_page", "login_page_direct_tls", "home", "api"])
def test_https_answers_carry_hsts_for_a_year_with_subdomains(production, page):
    hsts = production[page]["headers"]["Strict-Transport-Security"]

    assert production[page]["status"] == 200
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts


def test_the_session_cookie_is_secure_http_only_and_same_site(production):
    session = live_cookies(production["signed_in"])["sessionid"]

    assert production["signed_in"]["status"] == 302
    assert session == {"deleted": False, "secure": True, "httponly": True, "samesite": "Lax"}


def test_the_csrf_cookie_is_secure_and_same_site(production):
    csrf = live_cookies(production["login_page"])["csrftoken"]

    assert csrf["secure"] and csrf["samesite"] == "Lax"


def test_every_cookie_set_over_https_is_secure(production):
    for name, seen in production.items():
        for cookie_name, cookie in live_cookies(seen).items():
            assert cookie["secure"], (name, cookie_name)
            assert cookie["samesite"] in {"Lax", "Strict"}, (name, cookie_name)
    assert "django_language" in live_cookies(production["language_chosen"])


def test_production_pages_send_the_same_security_headers(production):
    for name in ("login_page", "home", "api"):
        headers = production[name]["headers"]
        csp = policy(headers["Content-Security-Policy"])
        assert "'unsafe-inline'" not in csp["script-src"] + csp["style-src"], name
        assert csp["frame-ancestors"] == ["'none'"], name
        assert headers["X-Frame-Options"] == "DENY", name
        assert headers["X-Content-Type-Options"] == "nosniff", name
        assert headers["Referrer-Policy"] == "same-origin", name


def test_a_forged_forwarded_proto_is_not_trusted_without_a_tls_proxy(tmp_path):
    """Without BEHIND_TLS_PROXY anyone could send X-Forwarded-Proto: https over plain HTTP."""
    seen = probe(tmp_path, "no-database")

    assert seen["spoofed_forwarded_proto"]["status"] == 301
    assert seen["spoofed_forwarded_proto"]["headers"]["Location"].startswith("https://")
