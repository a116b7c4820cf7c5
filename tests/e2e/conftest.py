"""Browser tests: a real Chromium (through Playwright) against pytest-django's live server.

Every test here is marked ``e2e``: the root conftest skips it on a laptop without Chromium and fails
it under ``REQUIRE_SERVICES=1``. The ``page`` fixture fails a test whose page asked any host other
than the live server for anything (privacy for minors: no third-party request, ever) or broke the
Content-Security-Policy.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.e2e.helpers import PHONE
from tests.reference_data import ensure_reference_data

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Schemes that never leave the browser.
LOCAL_SCHEMES = {"data", "blob", "about", "chrome", "chrome-error"}


def chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the browser tests, closed when they are done.

    Playwright's sync API keeps an event loop running in this thread, and Django refuses ORM
    calls from such a thread unless told that this is deliberate. The permission is given only
    while the browser runs (package scope): set for the whole session it would leak into other
    tests, e.g. into the environment of ``manage.py check --deploy`` run as a subprocess.
    """
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class PageGuard:
    """What a page asked for that it must not have: other hosts, CSP violations."""

    def __init__(self, allowed_netloc: str):
        self.allowed_netloc = allowed_netloc
        self.foreign_requests: list[str] = []
        self.csp_violations: list[str] = []

    def on_request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in LOCAL_SCHEMES:
            return
        if parts.netloc != self.allowed_netloc:
            self.foreign_requests.append(request.url)

    def on_console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)

    def problems(self) -> list[str]:
        return [f"request to another host: {url}" for url in self.foreign_requests] + [
            f"CSP violation: {text}" for text in self.csp_violations
        ]


@pytest.fixture
def live_url(live_server, transactional_db) -> str:
    """The live server's base URL, over a database that holds the migrated reference data.

    Browser tests need a transactional database (the server runs in another thread), and a
    flush would wipe the reference data loaded by migrations (UNCRC articles).
    """
    ensure_reference_data()
    return live_server.url


@pytest.fixture
def page_guard(live_url: str) -> PageGuard:
    return PageGuard(urlsplit(live_url).netloc)


@pytest.fixture
def browser_context_args() -> dict:
    """A Belgian Dutch-speaking browser on a phone-sized screen, unless a test overrides it."""
    return {"locale": "nl-BE", "viewport": PHONE}


@pytest.fixture
def page(browser, live_url: str, page_guard: PageGuard, browser_context_args: dict) -> Iterator:
    context = browser.new_context(base_url=live_url, **browser_context_args)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("request", page_guard.on_request)
    page.on("console", page_guard.on_console)
    # Stop anything headed elsewhere before it leaves the machine (it is still recorded above).
    page.route(
        re.compile(r"^https?://"),
        lambda route: (
            route.continue_()
            if urlsplit(route.request.url).netloc == page_guard.allowed_netloc
            else route.abort()
        ),
    )
    yield page
    context.close()
    problems = page_guard.problems()
    if problems:
        pytest.fail("The page broke the privacy rules:\n" + "\n".join(problems), pytrace=False)
