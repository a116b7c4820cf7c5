"""How allauth signs people up and writes to them, for Inspraak.

E-mail verification stays mandatory (``ACCOUNT_EMAIL_VERIFICATION``, guarded by the system check
in ``accounts.checks``): a roundtable seat, a coordinator's counts or a staff page are never reached
with an address nobody confirmed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.forms import BaseForm
    from django.http import HttpRequest

# The profile fields a signup form may carry (accounts.forms.SignupForm).
PROFILE_FIELDS = ("full_name", "organisation", "sector", "expertise")


def supported_language(code: str | None) -> str:
    """``code`` reduced to one of settings.LANGUAGES ("fr-be" -> "fr"), else the default."""
    if code:
        code = code.lower().split("-")[0].split("_")[0]
        if code in settings.LANGUAGE_CODES:
            return code
    return settings.LANGUAGE_CODE


class AccountAdapter(DefaultAccountAdapter):
    def save_user(
        self,
        request: HttpRequest,
        user: AbstractBaseUser,
        form: BaseForm,
        commit: bool = True,
    ) -> AbstractBaseUser:
        """Store the profile and the language the person signed up in, in the same write."""
        user = super().save_user(request, user, form, commit=False)
        for field in PROFILE_FIELDS:
            value = form.cleaned_data.get(field)
            if value is not None:
                setattr(user, field, value)
        user.preferred_language = supported_language(translation.get_language())
        if commit:
            user.save()
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Write in the recipient's language, not the language of whoever caused the e-mail."""
        with translation.override(self._language_for(email, context)):
            super().send_mail(template_prefix, email, context)

    @staticmethod
    def _language_for(email: str, context: dict[str, Any]) -> str:
        user = context.get("user")
        if user is None or not getattr(user, "pk", None):
            user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            # Nobody has this address (e.g. a password reset for an unknown address): the page's
            # language is all we know.
            return supported_language(translation.get_language())
        return supported_language(user.preferred_language)
