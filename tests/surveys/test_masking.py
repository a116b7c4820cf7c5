"""E-mail addresses and phone numbers in free text are masked; ordinary numbers stay."""

import pytest

from surveys.masking import mask_contact_details


@pytest.mark.parametrize(
    "phone",
    [
        # Belgian mobile and landline numbers as people write them
        "0470 12 34 56",
        "0470/12.34.56",
        "0470.12.34.56",
        "0470-12-34-56",
        "0470123456",
        "0478 01 02 03",
        "09 123 45 67",
        "09/123.45.67",
        "02-123.45.67",
        "(02) 123 45 67",
        "03/12.34.56.78",
        "0800 12 345",
        # with the country code
        "+32 470 12 34 56",
        "+32470123456",
        "+32 (0)470 12 34 56",
        "+32 9 123 45 67",
        "0032 470 12 34 56",
        "0032470123456",
        # other countries
        "+44 20 7946 0958",
        "+1 (555) 123-4567",
        "+33 6 12 34 56 78",
        "+31 6 12345678",
        "06-12345678",
        "06 12 34 56 78",
    ],
)
def test_a_phone_number_is_masked(phone):
    assert mask_contact_details(f"bel me op {phone} vanavond") == "bel me op [phone] vanavond"


@pytest.mark.parametrize(
    "email",
    [
        "lotte@example.be",
        "lotte.peeters@gmail.com",
        "Jan.De-Smet+school@sub.example.co.uk",
        "ahmed_99@hotmail.fr",
        "LOTTE@EXAMPLE.BE",
        "jan (at) telenet.be",
        "jan[at]telenet.be",
    ],
)
def test_an_email_address_is_masked(email):
    assert mask_contact_details(f"mail naar {email}, graag") == "mail naar [email], graag"


@pytest.mark.parametrize(
    "text",
    [
        "I am 10",
        "Ik ben 10 jaar en zit in het 5de leerjaar",
        "3 times a week",
        "2024",
        "van 2010-2024",
        "class 5B",
        "je suis en 5e",
        "Awel 102 of 1712",
        "01/02/2024",
        "01.02.2024 10 uur",
        "op 05/03/2024 10 keer",
        "01-02-24 om 10 12 uur",
        "om 8.30 uur",
        "100 000 euro",
        "10.000 stappen",
        "I scored 100/100",
        "score 10 - 12 - 14 - 16",
        "ik heb 0 vrienden en 12 boeken",
        "mijn code is 1234 5678",
        "version 1.2.3",
        "0 0 0 0 0 0 0 0 0",
        "@lotte op Instagram",
        "de @ zit op mijn toetsenbord",
        "email: geen",
        "",
    ],
)
def test_ordinary_text_and_numbers_stay_as_they_are(text):
    assert mask_contact_details(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ik ben 10 jaar, bel 0470 12 34 56 of mail lotte@example.be.",
            "Ik ben 10 jaar, bel [phone] of mail [email].",
        ),
        ("bel 0470 12 34 56 3 keer", "bel [phone] 3 keer"),
        ("ik ben 10 0470123456", "ik ben 10 [phone]"),
        ("01/02/2024 0470 12 34 56", "01/02/2024 [phone]"),
        ("tel:+32470123456", "tel:[phone]"),
        ("tel.0470123456", "tel.[phone]"),
        ("0470123456\n0471234567", "[phone]\n[phone]"),
        ("jan@school.be, 09/123.45.67", "[email], [phone]"),
    ],
)
def test_only_the_contact_details_are_replaced(text, expected):
    assert mask_contact_details(text) == expected


def test_masking_twice_changes_nothing_more():
    once = mask_contact_details("bel 0470 12 34 56 of mail a@b.be")

    assert mask_contact_details(once) == once
