"""System checks: settings that the accounts rules depend on."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def email_verification_is_mandatory(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Roles (expert, IsVerifiedUser) trust a confirmed address; signup must not skip that."""
    if getattr(settings, "ACCOUNT_EMAIL_VERIFICATION", None) == "mandatory":
        return []
    return [
        Error(
            "ACCOUNT_EMAIL_VERIFICATION must be 'mandatory'.",
            hint="Experts, coordinators and staff are trusted by their confirmed e-mail address.",
            id="accounts.E001",
        )
    ]
