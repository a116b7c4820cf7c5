"""The project refuses to start with e-mail verification switched off."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from accounts.checks import email_verification_is_mandatory


def test_the_project_settings_pass():
    assert email_verification_is_mandatory() == []


@override_settings(ACCOUNT_EMAIL_VERIFICATION="optional")
def test_optional_email_verification_stops_the_project():
    with pytest.raises(SystemCheckError, match=r"accounts\.E001"):
        call_command("check")
