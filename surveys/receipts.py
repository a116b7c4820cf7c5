"""Receipt codes: what a young person keeps to look up or withdraw their answers later.

Eight characters from an alphabet without look-alikes (no 0/O, no 1/I/L), drawn with
``secrets``: 31^8, about 8.5 * 10^11 codes, and look-ups are rate-limited, so codes cannot be
guessed. Stored without the dash, shown as ``XXXX-XXXX``.
"""

from __future__ import annotations

import secrets

RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECEIPT_LENGTH = 8
_GROUP = RECEIPT_LENGTH // 2
_SEPARATORS = str.maketrans("", "", " -_.\t\n\u00a0\u2010\u2011\u2012\u2013\u2014")


def generate_receipt_code() -> str:
    """A fresh code as stored: eight characters, no dash."""
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def format_receipt_code(code: str) -> str:
    """A stored code as shown: ``XXXX-XXXX``."""
    return f"{code[:_GROUP]}-{code[_GROUP:]}"


def normalise_receipt_code(text: str) -> str | None:
    """What someone typed (``abcd-efgh``, ``ABCD EFGH``, ``abcdefgh``) as stored, or None when
    it cannot be a receipt code at all."""
    if not isinstance(text, str):
        return None
    code = text.translate(_SEPARATORS).upper()
    if len(code) != RECEIPT_LENGTH or any(char not in RECEIPT_ALPHABET for char in code):
        return None
    return code
