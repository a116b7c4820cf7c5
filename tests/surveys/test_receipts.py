"""Receipt codes: unguessable, without look-alike characters, forgiving when typed."""

import pytest

from surveys.receipts import (
    RECEIPT_ALPHABET,
    format_receipt_code,
    generate_receipt_code,
    normalise_receipt_code,
)


def test_the_alphabet_has_no_look_alikes():
    assert not set("01OIL") & set(RECEIPT_ALPHABET)
    assert len(set(RECEIPT_ALPHABET)) == len(RECEIPT_ALPHABET) == 31


def test_codes_are_eight_characters_of_the_alphabet_and_differ():
    codes = {generate_receipt_code() for _ in range(500)}

    assert len(codes) == 500
    assert all(len(code) == 8 and set(code) <= set(RECEIPT_ALPHABET) for code in codes)


def test_codes_use_the_whole_alphabet():
    seen = set("".join(generate_receipt_code() for _ in range(200)))

    assert seen == set(RECEIPT_ALPHABET)


def test_codes_are_drawn_with_secrets(monkeypatch):
    import surveys.receipts

    monkeypatch.setattr(surveys.receipts.secrets, "choice", lambda alphabet: alphabet[-1])

    assert generate_receipt_code() == "ZZZZZZZZ"


def test_a_code_is_shown_in_two_groups_of_four():
    assert format_receipt_code("ABCD2345") == "ABCD-2345"


@pytest.mark.parametrize(
    "typed",
    [
        "ABCD-2345",
        "abcd-2345",
        "ABCD2345",
        "abcd 2345",
        " ABCD 2345 ",
        "AB CD-23 45",
        "abcd\u20132345",
    ],
)
def test_a_typed_code_is_normalised(typed):
    assert normalise_receipt_code(typed) == "ABCD2345"


@pytest.mark.parametrize(
    "typed", ["", "ABCD-234", "ABCD-23456", "ABCD-1234", "ABCO-2345", "ABCD/2345", "ÄBCD-2345"]
)
def test_what_cannot_be_a_code_is_refused(typed):
    assert normalise_receipt_code(typed) is None
