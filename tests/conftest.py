"""Shared fixtures, and the rule for tests that need real services.

A test marked ``postgres``, ``redis`` or ``e2e`` is skipped when its service is missing on a
laptop, but fails when ``REQUIRE_SERVICES=1`` (CI), so that CI can never go green by skipping.
"""

import os
import shutil

import pytest
from django.conf import settings

from config.celery import app as celery_app

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _missing_service(marker: str) -> str | None:
    if marker == "postgres" and settings.DATABASES["default"]["ENGINE"] != (
        "django.db.backends.postgresql"
    ):
        return "needs PostgreSQL (set DATABASE_URL)"
    if marker == "redis" and not settings.REDIS_URL:
        return "needs Redis (set REDIS_URL)"
    if marker == "e2e" and not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        return f"needs Chromium at {CHROMIUM}"
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in ("postgres", "redis", "e2e"):
        if item.get_closest_marker(marker) is None:
            continue
        reason = _missing_service(marker)
        if reason is None:
            continue
        if settings.REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but this test {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _tasks_run_in_process(request: pytest.FixtureRequest):
    """Tasks run eagerly in tests, unless a test is about the real worker (marker ``redis``)."""
    if request.node.get_closest_marker("real_worker"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fresh_cache(request: pytest.FixtureRequest):
    """Rate limits and debounce marks must not leak from one test into the next.

    (With Redis the cache shares its database with the broker, so a real-worker test keeps it.)
    """
    from django.core.cache import cache

    from surveys.definition import survey_definition_forget

    survey_definition_forget()  # this process's copies of survey definitions, too
    if request.node.get_closest_marker("real_worker"):
        yield
        return
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing strength is not under test; a fast hasher keeps login-heavy tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
