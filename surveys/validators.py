"""Validation of survey definitions that needs more than one row: a question's condition."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext, gettext_noop

if TYPE_CHECKING:
    from surveys.models import Question

_SHAPE = gettext_noop('Write the condition as {"question": "key", "any_of": ["value", ...]}.')


def _well_formed(condition: object) -> bool:
    return (
        isinstance(condition, dict)
        and set(condition) == {"question", "any_of"}
        and isinstance(condition["question"], str)
        and isinstance(condition["any_of"], list)
        and bool(condition["any_of"])
        and all(isinstance(value, str) for value in condition["any_of"])
    )


def condition_problem(question: Question) -> str | None:
    """Why ``question.show_if`` cannot work, or None: it must name an earlier one- or
    several-choices question of the same survey and only values of that question's options."""
    from surveys.models import CONDITION_KINDS

    condition = question.show_if
    if condition is None:
        return None
    if not _well_formed(condition):
        return gettext(_SHAPE)
    if question.survey_id is None:
        return None
    earlier = (
        type(question)
        .objects.filter(survey_id=question.survey_id, key=condition["question"])
        .exclude(pk=question.pk)
        .first()
    )
    if earlier is None:
        return gettext("The condition refers to '%(key)s', which is no question here.") % {
            "key": condition["question"]
        }
    if (earlier.order, earlier.pk) >= (question.order, question.pk or 2**63):
        return gettext("The condition must refer to an earlier question.")
    if earlier.kind not in CONDITION_KINDS:
        return gettext("The condition must refer to a one-choice or several-choices question.")
    values = set(earlier.options.values_list("value", flat=True))
    unknown = [value for value in condition["any_of"] if value not in values]
    if unknown:
        return gettext("Question '%(key)s' has no option '%(value)s'.") % {
            "key": earlier.key,
            "value": unknown[0],
        }
    return None
