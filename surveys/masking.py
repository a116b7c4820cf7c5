"""Masking contact details in what young people write, before it is stored.

A child may write "mail me: lotte.peeters@gmail.com" or "bel 0470 12 34 56" in a free-text
answer. Those are replaced by neutral tokens, ``[email]`` and ``[phone]``, so that nobody reading
the answers later can contact or identify them. Ordinary numbers stay: "I am 10", "3 times a
week", "2024", "class 5B", "Awel 102", "01/02/2024".

Phone numbers are recognised by their shape:

- international: ``+`` or ``00``, a country code and at least 8 digits in all
  (``+32 470 12 34 56``, ``0032 9 123 45 67``, ``+44 20 7946 0958``, ``+1 (555) 123-4567``);
- national (Belgium, and the Netherlands and France which share the shape): a leading ``0`` and
  9 or 10 digits in all (``0470 12 34 56``, ``0470/12.34.56``, ``09 123 45 67``,
  ``(02) 123 45 67``, ``06-12345678``).

Digits may be grouped with spaces, dots, slashes and dashes. A run that starts with a date
(``01.02.2024 10 uur``) is not a phone number.
"""

from __future__ import annotations

import re

EMAIL_PLACEHOLDER = "[email]"
PHONE_PLACEHOLDER = "[phone]"

_EMAIL = re.compile(
    r"""
    (?<![\w.+-])                          # not in the middle of a longer word
    [\w.+-]+                              # local part
    (?:@|\s?[(\[]\s?(?:at|@)\s?[)\]]\s?)  # @, or (at) / [at] written out
    [\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}     # domain, with a top-level domain of letters
    (?![\w-])
    """,
    re.VERBOSE | re.IGNORECASE,
)

# Where a phone number may start: not glued to a word, a "+", or a number with its separator
# ("2024-0470..." and "01/0470..." are not phone numbers starting at 0470).
_START = r"(?<![\w+])(?<!\d[./-])"
_SEP = r"[ \t./-]{0,2}"

_INTERNATIONAL = re.compile(
    rf"{_START}(?P<prefix>\+|00)\s?\d(?:{_SEP}(?:\(\s?\d{{1,4}}\s?\)|\d)){{6,17}}(?!\w)"
)
_NATIONAL = re.compile(rf"{_START}(?:\(\s?0\d{{1,3}}\s?\)|0\d)(?:{_SEP}\d){{6,8}}(?!\w)")
_DATE = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(?:\d{4}|\d{2})(?!\d)")

_INTERNATIONAL_MIN_DIGITS = 8  # after the prefix: country code and number
_NATIONAL_DIGITS = (9, 10)  # with the leading 0


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _mask_international(match: re.Match[str]) -> str:
    digits = _digits(match.group(0))
    if match.group("prefix") == "00":
        digits = digits[2:]
    if len(digits) < _INTERNATIONAL_MIN_DIGITS or digits.startswith("0"):
        return match.group(0)
    return PHONE_PLACEHOLDER


def _starts_with_date(text: str) -> bool:
    date = _DATE.match(text)
    if date is None:
        return False
    first, second = int(date.group(1)), int(date.group(3))
    return 1 <= first <= 31 and 1 <= second <= 31 and min(first, second) <= 12


def _mask_national(match: re.Match[str]) -> str:
    text = match.group(0)
    if len(_digits(text)) not in _NATIONAL_DIGITS or _starts_with_date(text):
        return text
    return PHONE_PLACEHOLDER


def mask_contact_details(text: str) -> str:
    """``text`` with every e-mail address and phone number replaced by a neutral token."""
    masked = _EMAIL.sub(EMAIL_PLACEHOLDER, text)
    masked = _INTERNATIONAL.sub(_mask_international, masked)
    return _NATIONAL.sub(_mask_national, masked)
