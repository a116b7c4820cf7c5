"""Helpers for the accounts tests: the personas' password and an authenticator app (TOTP)."""

from __future__ import annotations

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)

from accounts.models import User

# The password of every persona the accounts fixtures create.
PASSWORD = "correct horse battery staple 42"


def activate_totp(user: User) -> str:
    """Set up an authenticator app for ``user`` the way allauth does; returns the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def current_totp_code(secret: str) -> str:
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))
