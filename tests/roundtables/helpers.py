"""Helpers for the roundtables tests."""

from django.conf import settings
from django.test import Client


def in_english(client: Client) -> Client:
    """The visitor chose English (the language switcher's cookie; an English browser alone
    gets Dutch): messages are asserted in English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
