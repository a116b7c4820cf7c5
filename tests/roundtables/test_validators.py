"""roundtables.validators: the shape of extra registration questions and target sectors."""

import pytest
from django.core.exceptions import ValidationError

from roundtables.validators import validate_questions, validate_target_sectors

TEXT = {"key": "question", "kind": "text", "label_nl": "Vraag", "required": False}
SINGLE = {
    "key": "perspective",
    "kind": "single",
    "label_nl": "Perspectief",
    "label_en": "Perspective",
    "required": True,
    "options": [
        {"value": "research", "label_nl": "Onderzoek"},
        {"value": "policy", "label_nl": "Beleid"},
    ],
}


def test_text_and_single_choice_questions_are_accepted():
    validate_questions([TEXT, SINGLE])
    validate_questions([])


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        ("not a list", "as a list"),
        ([TEXT, TEXT], "Two questions have the key"),
        ([{**TEXT, "key": "Bad Key"}], "needs a key"),
        ([{**TEXT, "kind": "multiple"}], "kind must be text or single"),
        ([{**TEXT, "label_nl": ""}], "needs a label in Dutch"),
        ([{**TEXT, "required": "yes"}], "required must be true or false"),
        ([{**TEXT, "colour": "red"}], "unknown field 'colour'"),
        ([{**TEXT, "options": SINGLE["options"]}], "a text question has no options"),
        ([{**SINGLE, "options": SINGLE["options"][:1]}], "at least two options"),
        ([{**SINGLE, "options": [SINGLE["options"][0]] * 2}], "two options have the value"),
        ([{**SINGLE, "options": [{"value": "x"}, {"value": "y", "label_nl": "Y"}]}], "label"),
    ],
)
def test_malformed_questions_are_refused_with_a_message_saying_what_is_wrong(questions, message):
    with pytest.raises(ValidationError, match=message):
        validate_questions(questions)


def test_target_sectors_are_known_sectors_named_once():
    validate_target_sectors(["academic", "policy"])
    with pytest.raises(ValidationError, match="Unknown sector"):
        validate_target_sectors(["astrology"])
    with pytest.raises(ValidationError, match="once"):
        validate_target_sectors(["ngo", "ngo"])
