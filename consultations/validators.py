"""Validation shared by the models, the services and the admin forms of consultations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class AgeRange(Protocol):
    code: str
    min_age: int
    max_age: int


def offered_languages() -> str:
    return ", ".join(settings.LANGUAGE_CODES)


def unknown_language_error(code: Any) -> ValidationError:
    return ValidationError(
        _("Unknown language '%(code)s'; offered languages are %(offered)s."),
        code="unknown_language",
        params={"code": code, "offered": offered_languages()},
    )


def validate_language_codes(value: Any) -> None:
    """A campaign's languages: a non-empty list of the platform's language codes, each once."""
    if not isinstance(value, list):
        raise ValidationError(
            _("Languages must be a list of language codes, such as %(offered)s."),
            code="invalid",
            params={"offered": offered_languages()},
        )
    if not value:
        raise ValidationError(_("Choose at least one language."), code="required")
    seen: set[str] = set()
    for code in value:
        if not isinstance(code, str) or code not in settings.LANGUAGE_CODES:
            raise unknown_language_error(code)
        if code in seen:
            raise ValidationError(
                _("Language '%(code)s' is listed more than once."),
                code="duplicate_language",
                params={"code": code},
            )
        seen.add(code)


def validate_age_bands(bands: Iterable[AgeRange]) -> None:
    """The age bands of one campaign: distinct codes, and no age in two bands."""
    codes: set[str] = set()
    widest: AgeRange | None = None  # of the bands seen so far, the one reaching the oldest age
    for band in sorted(bands, key=lambda b: (b.min_age, b.max_age)):
        if band.code in codes:
            raise ValidationError(
                _("Two age bands have the code '%(code)s'; each band needs its own code."),
                code="duplicate_age_band",
                params={"code": band.code},
            )
        codes.add(band.code)
        if widest is not None and band.min_age <= widest.max_age:
            raise ValidationError(
                _(
                    "Age bands %(first)s and %(second)s overlap: ages %(low)s to %(high)s "
                    "would be in both."
                ),
                code="overlapping_age_bands",
                params={
                    "first": widest.code,
                    "second": band.code,
                    "low": band.min_age,
                    "high": min(band.max_age, widest.max_age),
                },
            )
        if widest is None or band.max_age > widest.max_age:
            widest = band
