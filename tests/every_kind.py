"""The survey questions of every kind that the surveys, analysis and security tests share.

A scale, a single choice, a single choice shown only after a certain answer to it, a multiple
choice of at most two, a number, a free text, a ranking, and a single choice asked from 12 only.
Each test package adds them with its own ``add_question`` (its own labels and texts).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from surveys.models import QuestionKind, Survey

EVERY_KIND: list[tuple[str, str, dict[str, Any]]] = [
    ("mood", QuestionKind.SCALE, {}),
    ("sport", QuestionKind.SINGLE, {"options": ["football", "swimming", "dance"]}),
    (
        "sport_where",
        QuestionKind.SINGLE,
        {"options": ["club", "street"], "show_if": {"question": "sport", "any_of": ["football"]}},
    ),
    (
        "hobbies",
        QuestionKind.MULTIPLE,
        {"options": ["music", "reading", "games", "drawing"], "max_choices": 2},
    ),
    ("hours", QuestionKind.NUMBER, {"min_value": 0, "max_value": 40}),
    ("story", QuestionKind.TEXT, {"max_length": 60}),
    ("priorities", QuestionKind.RANKING, {"options": ["food", "toilets", "say"]}),
    ("say", QuestionKind.SINGLE, {"options": ["yes", "no"], "min_age": 12}),
]


def add_every_kind(
    survey: Survey, add_question: Callable[..., Any], **changes: dict[str, Any]
) -> None:
    """Add the questions of ``EVERY_KIND`` in order; ``changes`` maps a question's key to the
    fields it has otherwise (``story={"max_length": 200}``)."""
    for key, kind, fields in EVERY_KIND:
        add_question(survey, key, kind, **{**copy.deepcopy(fields), **changes.get(key, {})})
