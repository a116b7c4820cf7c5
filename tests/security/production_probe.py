"""Run by tests/security/test_headers.py in a subprocess with production settings (DEBUG off,
the environment of tests/config/test_settings.py): makes requests the way a browser behind TLS
would and prints, as JSON, the headers and cookie attributes it got back.

Not a test module itself (pytest collects test_*.py only): settings are read once per process,
so production settings need a process of their own.
"""

from __future__ import annotations

import json
import sys

import django

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from accounts.models import User  # noqa: E402

HOST = "inspraak.example.org"
EMAIL = "sara.peeters@ugent.example"
PASSWORD = "a long and unusual passphrase 7"
SECURITY_HEADERS = [
    "Strict-Transport-Security",
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Location",
]


def cookies(response) -> dict[str, dict]:
    return {
        name: {
            # An empty value that expires at once is the cookie being deleted.
            "deleted": morsel.value == "" or morsel["max-age"] == 0,
            "secure": bool(morsel["secure"]),
            "httponly": bool(morsel["httponly"]),
            "samesite": morsel["samesite"],
        }
        for name, morsel in response.cookies.items()
    }


def seen(response) -> dict:
    return {
        "status": response.status_code,
        "headers": {name: response[name] for name in SECURITY_HEADERS if response.has_header(name)},
        "cookies": cookies(response),
    }


def main(mode: str) -> dict:
    if mode == "no-database":
        # Only what SecurityMiddleware answers before any view runs.
        client = Client(HTTP_HOST=HOST)
        return {
            "plain_http": seen(client.get("/accounts/login/")),
            "spoofed_forwarded_proto": seen(
                client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
            ),
        }

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    user = User.objects.create_user(email=EMAIL, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=EMAIL, primary=True, verified=True)

    behind_proxy = {"HTTP_X_FORWARDED_PROTO": "https"}
    plain = Client(HTTP_HOST=HOST)
    browser = Client(HTTP_HOST=HOST, **behind_proxy)
    direct = Client(HTTP_HOST=HOST)
    return {
        "plain_http": seen(plain.get("/accounts/login/")),
        "plain_http_healthz": seen(plain.get("/healthz")),
        "login_page": seen(browser.get("/accounts/login/")),
        "login_page_direct_tls": seen(direct.get("/accounts/login/", secure=True)),
        "signed_in": seen(browser.post("/accounts/login/", {"login": EMAIL, "password": PASSWORD})),
        "language_chosen": seen(browser.post("/i18n/setlang/", {"language": "fr", "next": "/"})),
        "home": seen(browser.get("/")),
        "api": seen(browser.get("/api/v1/campaigns/")),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1] if len(sys.argv) > 1 else "full")))
