"""Checks of a roundtable's JSON fields: its target sectors and its extra registration questions.

Extra questions (the registration form asks them after the standard fields)::

    {"key": "topic", "kind": "single", "required": true,
     "label_nl": "...", "label_fr": "...", "label_en": "...",
     "options": [{"value": "school", "label_nl": "...", "label_fr": "...", "label_en": "..."}]}

``kind`` is ``text`` (a short answer) or ``single`` (one of the options).
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from accounts.models import Sector

QUESTION_KINDS = ("text", "single")
QUESTION_KEYS = {"key", "kind", "required", "options"} | {
    f"label_{code}" for code in settings.LANGUAGE_CODES
}
OPTION_KEYS = {"value"} | {f"label_{code}" for code in settings.LANGUAGE_CODES}
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")
TEXT_ANSWER_MAX_LENGTH = 1000


def validate_target_sectors(value: Any) -> None:
    if not isinstance(value, list):
        raise ValidationError(gettext("Give the sectors as a list."))
    for sector in value:
        if sector not in Sector.values:
            raise ValidationError(
                gettext("Unknown sector '%(sector)s'; sectors are %(sectors)s.")
                % {"sector": sector, "sectors": ", ".join(Sector.values)}
            )
    if len(set(value)) != len(value):
        raise ValidationError(gettext("Each sector can be named once."))


def _validate_labels(item: dict, where: str) -> None:
    for code in settings.LANGUAGE_CODES:
        label = item.get(f"label_{code}", "")
        if not isinstance(label, str):
            raise ValidationError(
                gettext("%(where)s: label_%(code)s must be text.") % {"where": where, "code": code}
            )
    if not item.get(f"label_{settings.LANGUAGE_CODE}"):
        raise ValidationError(
            gettext("%(where)s needs a label in Dutch (label_nl).") % {"where": where}
        )


def validate_questions(value: Any) -> None:
    if not isinstance(value, list):
        raise ValidationError(gettext("Give the questions as a list."))
    keys: set[str] = set()
    for position, question in enumerate(value, start=1):
        where = gettext("Question %(number)s") % {"number": position}
        if not isinstance(question, dict):
            raise ValidationError(gettext("%(where)s must be an object.") % {"where": where})
        unknown = sorted(set(question) - QUESTION_KEYS)
        if unknown:
            raise ValidationError(
                gettext("%(where)s: unknown field '%(field)s'.")
                % {"where": where, "field": unknown[0]}
            )
        key = question.get("key")
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            raise ValidationError(
                gettext(
                    "%(where)s needs a key of lower-case letters, digits, - and _ "
                    "(at most 50 characters)."
                )
                % {"where": where}
            )
        if key in keys:
            raise ValidationError(gettext("Two questions have the key '%(key)s'.") % {"key": key})
        keys.add(key)
        where = gettext("Question '%(key)s'") % {"key": key}
        if question.get("kind") not in QUESTION_KINDS:
            raise ValidationError(
                gettext("%(where)s: kind must be text or single.") % {"where": where}
            )
        if not isinstance(question.get("required", False), bool):
            raise ValidationError(
                gettext("%(where)s: required must be true or false.") % {"where": where}
            )
        _validate_labels(question, where)
        options = question.get("options", [])
        if question["kind"] == "text":
            if options:
                raise ValidationError(
                    gettext("%(where)s: a text question has no options.") % {"where": where}
                )
            continue
        if not isinstance(options, list) or len(options) < 2:
            raise ValidationError(
                gettext("%(where)s: a single-choice question needs at least two options.")
                % {"where": where}
            )
        values: set[str] = set()
        for option in options:
            if not isinstance(option, dict) or set(option) - OPTION_KEYS:
                raise ValidationError(
                    gettext("%(where)s: each option has a value and labels.") % {"where": where}
                )
            option_value = option.get("value")
            if not isinstance(option_value, str) or not KEY_PATTERN.match(option_value):
                raise ValidationError(
                    gettext(
                        "%(where)s: each option needs a value of lower-case letters, digits, "
                        "- and _."
                    )
                    % {"where": where}
                )
            if option_value in values:
                raise ValidationError(
                    gettext("%(where)s: two options have the value '%(value)s'.")
                    % {"where": where, "value": option_value}
                )
            values.add(option_value)
            _validate_labels(option, f"{where}, {option_value}")


# Page paths that sit beside /roundtables/<slug>/ and must never be taken by a roundtable.
RESERVED_SLUGS = ("mine",)


def validate_roundtable_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            gettext("“%(slug)s” is reserved for a page of the site; choose another slug.")
            % {"slug": value},
            code="reserved",
        )
