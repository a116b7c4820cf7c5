"""Reading one answer from a plain form, with a message a child understands when it does not fit."""

import pytest
from django.utils import translation
from django.utils.datastructures import MultiValueDict

from frontend.forms.youth import AnswerError, answer_as_fields, fields_to_data, parse_answer
from surveys.selectors import OptionView, QuestionView
from tests.frontend.youth_survey import ui


def question(kind: str, **fields) -> QuestionView:
    options = fields.pop(
        "options",
        [
            OptionView("sport", "Sport", "⚽"),
            OptionView("music", "Music", ""),
            OptionView("art", "Art", ""),
        ],
    )
    base = {
        "key": "q",
        "kind": kind,
        "text": "?",
        "help": "",
        "options": options,
        "min": None,
        "max": None,
        "max_choices": None,
        "max_length": None,
        "show_if": None,
        "articles": [],
    }
    return QuestionView(**{**base, **fields})


def form(**fields) -> MultiValueDict:
    data = MultiValueDict()
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            data.appendlist(name, item)
    return data


SCALE = [OptionView(str(point), f"word {point}", "🙂") for point in range(1, 6)]


@pytest.mark.parametrize(
    ("kind", "fields", "extra", "expected"),
    [
        ("single", {"answer": "music"}, {}, "music"),
        ("single", {}, {}, None),
        ("multiple", {"answer": ["art", "sport"]}, {}, ["sport", "art"]),
        ("multiple", {"answer": ["art", "art"]}, {"max_choices": 1}, ["art"]),
        ("scale", {"answer": "4"}, {"options": SCALE}, 4),
        ("number", {"answer": " 12 "}, {}, 12),
        ("number", {"answer": "7,5"}, {"min": 0, "max": 24}, 7.5),
        ("number", {"answer": ""}, {}, None),
        (
            "text",
            {"answer": "  Meer groen\r\nen bomen "},
            {"max_length": 20},
            "Meer groen\nen bomen",
        ),
        ("text", {"answer": "   "}, {}, None),
        ("ranking", {"rank_1": "art", "rank_2": "", "rank_3": "sport"}, {}, ["art", "sport"]),
        ("ranking", {"rank_1": ""}, {}, None),
    ],
)
def test_it_reads_each_kind_of_answer_as_the_service_takes_it(kind, fields, extra, expected):
    assert parse_answer(question(kind, **extra), form(**fields)) == expected


MAX_ONE = (
    "You can choose at most %(max)s answer. Untick one first.",
    "You can choose at most %(max)s answers. Untick some first.",
)
TOO_LONG = (
    "Your answer is a bit too long: %(count)s characters. You can write up to %(max)s. "
    "Try to make it shorter."
)


@pytest.mark.parametrize(
    ("kind", "fields", "extra", "message", "params"),
    [
        ("single", {"answer": "hacked"}, {}, "Please choose one of the answers on the screen.", {}),
        (
            "multiple",
            {"answer": ["sport", "x"]},
            {},
            "Please choose from the answers on the screen.",
            {},
        ),
        ("multiple", {"answer": ["sport", "music"]}, {"max_choices": 1}, MAX_ONE, {"max": 1}),
        ("scale", {"answer": "6"}, {"options": SCALE}, "Please choose one of the faces.", {}),
        (
            "number",
            {"answer": "ten"},
            {},
            "Please type a number, with digits only, for example 12.",
            {},
        ),
        (
            "number",
            {"answer": "1e9"},
            {},
            "Please type a number, with digits only, for example 12.",
            {},
        ),
        (
            "number",
            {"answer": "25"},
            {"min": 0, "max": 24},
            "Please choose a number from %(min)s to %(max)s.",
            {"min": 0, "max": 24},
        ),
        (
            "number",
            {"answer": "-2"},
            {"min": 0},
            "Please choose a number of at least %(min)s.",
            {"min": 0},
        ),
        (
            "number",
            {"answer": "99"},
            {"max": 10},
            "Please choose a number of at most %(max)s.",
            {"max": 10},
        ),
        ("text", {"answer": "abcdef"}, {"max_length": 5}, TOO_LONG, {"count": 6, "max": 5}),
        (
            "ranking",
            {"rank_1": "art", "rank_2": "art"},
            {},
            "You picked “%(answer)s” more than once. Pick each answer only once.",
            {"answer": "Art"},
        ),
        ("ranking", {"rank_1": "nope"}, {}, "Please choose from the answers on the screen.", {}),
    ],
)
def test_it_refuses_what_does_not_fit_in_words_a_child_understands(
    kind, fields, extra, message, params
):
    expected = (
        ui("en", *message, n=params.get("max", 1), **params)
        if isinstance(message, tuple)
        else ui("en", message, **params)
    )

    with translation.override("en"), pytest.raises(AnswerError) as refusal:
        parse_answer(question(kind, **extra), form(**fields))

    assert refusal.value.message == expected


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("single", "art"),
        ("multiple", ["sport", "art"]),
        ("scale", 3),
        ("number", 7.25),
        ("number", 12),
        ("text", "Hallo"),
        ("ranking", ["music", "sport"]),
    ],
)
def test_a_stored_answer_fills_its_screen_in_again(kind, value):
    shown = question(kind, options=SCALE) if kind == "scale" else question(kind)

    fields = answer_as_fields(shown, value)

    assert parse_answer(shown, fields_to_data(fields)) == value
