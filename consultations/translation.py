"""Per-language content fields: ``title_nl``, ``title_fr``, ``title_en`` and the like."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import get_language


def localized(obj: Any, field: str, language: str | None = None) -> str:
    """The ``field`` of ``obj`` in ``language`` (default: the active language).

    When that text is empty it falls back to Dutch, then to any language that has text, so a
    reader always sees something rather than a blank.
    """
    wanted = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()
    for code in dict.fromkeys([wanted, settings.LANGUAGE_CODE, *settings.LANGUAGE_CODES]):
        if code not in settings.LANGUAGE_CODES:
            continue
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""
