"""Reading one answer of the youth survey from a plain HTML form, in a child's words.

The survey pages work without JavaScript, so every question kind arrives as ordinary form fields:
``answer`` (one value, or several for ``multiple``) and ``rank_1``, ``rank_2``… for ``ranking``.
These functions turn them into the value ``surveys.services.response_submit`` takes, and refuse
what does not fit with a message a nine-year-old understands. The service checks everything
again when the answers are sent; this is only so that the message appears on the right screen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.utils.datastructures import MultiValueDict
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

if TYPE_CHECKING:
    from surveys.selectors import QuestionView

ANSWER_FIELD = "answer"
RANK_FIELD = "rank_{}"
# Fields a question form carries that are not part of the answer.
NOT_ANSWER_FIELDS = {"csrfmiddlewaretoken", "action"}
DEFAULT_MAX_LENGTH = 2000


class AnswerError(ValueError):
    """The answer on the screen cannot be kept as it is; ``message`` says why, kindly."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _option_values(question: QuestionView) -> list[str]:
    return [option.value for option in question.options]


def _label_of(question: QuestionView, value: str) -> str:
    for option in question.options:
        if option.value == value:
            return option.label
    return value


def _pick_one(question: QuestionView, data: MultiValueDict, message: str) -> str | None:
    value = (data.get(ANSWER_FIELD) or "").strip()
    if not value:
        return None
    if value not in _option_values(question):
        raise AnswerError(message)
    return value


def _pick_several(question: QuestionView, data: MultiValueDict) -> list[str] | None:
    offered = _option_values(question)
    chosen = list(dict.fromkeys(value for value in data.getlist(ANSWER_FIELD) if value))
    if not chosen:
        return None
    if any(value not in offered for value in chosen):
        raise AnswerError(gettext("Please choose from the answers on the screen."))
    limit = question.max_choices
    if limit and len(chosen) > limit:
        raise AnswerError(
            ngettext(
                "You can choose at most %(max)s answer. Untick one first.",
                "You can choose at most %(max)s answers. Untick some first.",
                limit,
            )
            % {"max": limit}
        )
    # Keep the order of the screen, whatever order the browser sent them in.
    return [value for value in offered if value in chosen]


def _shown(number: Any) -> str:
    return number_format(number)


def _as_number(text: str) -> int | float:
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", cleaned):
        raise AnswerError(gettext("Please type a number, with digits only, for example 12."))
    try:
        number = Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern above lets only numbers through
        raise AnswerError(gettext("Please type a number.")) from None
    return int(number) if number == number.to_integral_value() else float(number)


def _number(question: QuestionView, data: MultiValueDict) -> int | float | None:
    text = (data.get(ANSWER_FIELD) or "").strip()
    if not text:
        return None
    number = _as_number(text)
    low, high = question.min, question.max
    too_low = low is not None and number < low
    too_high = high is not None and number > high
    if (too_low or too_high) and low is not None and high is not None:
        raise AnswerError(
            gettext("Please choose a number from %(min)s to %(max)s.")
            % {"min": _shown(low), "max": _shown(high)}
        )
    if too_low:
        message = gettext("Please choose a number of at least %(min)s.")
        raise AnswerError(message % {"min": _shown(low)})
    if too_high:
        message = gettext("Please choose a number of at most %(max)s.")
        raise AnswerError(message % {"max": _shown(high)})
    return number


def _text(question: QuestionView, data: MultiValueDict) -> str | None:
    # Browsers send a new line as \r\n but count it as one character for maxlength.
    text = (data.get(ANSWER_FIELD) or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return None
    limit = question.max_length or DEFAULT_MAX_LENGTH
    if len(text) > limit:
        raise AnswerError(
            gettext(
                "Your answer is a bit too long: %(count)s characters. You can write up to "
                "%(max)s. Try to make it shorter."
            )
            % {"count": len(text), "max": limit}
        )
    return text


def _ranking(question: QuestionView, data: MultiValueDict) -> list[str] | None:
    offered = _option_values(question)
    picked = [
        (data.get(RANK_FIELD.format(place)) or "").strip() for place in range(1, len(offered) + 1)
    ]
    # An empty place in between is closed up: "1st: music, 3rd: sport" means music, then sport.
    ranked = [value for value in picked if value]
    if not ranked:
        return None
    if any(value not in offered for value in ranked):
        raise AnswerError(gettext("Please choose from the answers on the screen."))
    for value in ranked:
        if ranked.count(value) > 1:
            raise AnswerError(
                gettext("You picked “%(answer)s” more than once. Pick each answer only once.")
                % {"answer": _label_of(question, value)}
            )
    return ranked


def parse_answer(question: QuestionView, data: MultiValueDict) -> Any:
    """The answer to ``question`` in ``data`` (a POST), or None when the young person gave none.

    ``question`` is a ``surveys.selectors.QuestionView``. Raises AnswerError with a friendly
    message when the answer cannot be kept.
    """
    kind = question.kind
    if kind == "single":
        return _pick_one(question, data, gettext("Please choose one of the answers on the screen."))
    if kind == "scale":
        value = _pick_one(question, data, gettext("Please choose one of the faces."))
        return None if value is None else int(value)
    if kind == "multiple":
        return _pick_several(question, data)
    if kind == "number":
        return _number(question, data)
    if kind == "text":
        return _text(question, data)
    if kind == "ranking":
        return _ranking(question, data)
    raise AnswerError(gettext("This question cannot be answered here; you can skip it."))


def answer_fields(data: Mapping[str, Any] | MultiValueDict) -> list[list[str]]:
    """The answer fields of a POST as [name, value] pairs, to show them again after a mistake."""
    items: Iterable[tuple[str, Any]]
    items = data.lists() if isinstance(data, MultiValueDict) else data.items()
    pairs = []
    for name, values in items:
        if name in NOT_ANSWER_FIELDS:
            continue
        for value in values if isinstance(values, list) else [values]:
            pairs.append([str(name), str(value)])
    return pairs


def fields_to_data(pairs: Iterable[Iterable[Any]]) -> MultiValueDict:
    """[name, value] pairs (kept in the session, or sent by the browser) as form data."""
    data = MultiValueDict()
    for pair in pairs:
        name, value = list(pair)[:2]
        data.appendlist(str(name), str(value))
    return data


def answer_as_fields(question: QuestionView, value: Any) -> list[list[str]]:
    """A stored answer as the form fields that would have sent it (to fill the screen in)."""
    if value is None:
        return []
    if question.kind == "ranking":
        return [[RANK_FIELD.format(place), str(v)] for place, v in enumerate(value, start=1)]
    if isinstance(value, list):
        return [[ANSWER_FIELD, str(v)] for v in value]
    if question.kind == "number" and isinstance(value, float):
        return [[ANSWER_FIELD, format(Decimal(repr(value)), "f")]]
    return [[ANSWER_FIELD, str(value)]]
