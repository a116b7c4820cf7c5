"""Anonymised raw responses as CSV: rows in, UTF-8 text streamed to a binary stream.

One row per response, written as it comes, so memory stays flat. Comma-separated (RFC 4180),
UTF-8 with a byte order mark so that Excel reads the accents right. Excel-safe: a text cell
starting with = + - @ (or a tab or carriage return) is prefixed with ' so that a spreadsheet
never runs it as a formula (CSV injection). Numbers and dates are written as they are.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, BinaryIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def excel_safe(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return excel_safe(value)
    if isinstance(value, Decimal):
        text = f"{value:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def render_csv(*, header: list[str], rows: Iterable[list[Any]], out: BinaryIO) -> int:
    """Write ``header`` and ``rows`` to ``out``; returns the number of rows (header left out)."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=False)
    try:
        writer = csv.writer(text)
        writer.writerow([excel_safe(name) for name in header])
        count = 0
        for row in rows:
            writer.writerow([_text(value) for value in row])
            count += 1
        text.flush()
    finally:
        # Hand the stream back open: the caller owns it.
        text.detach()
    return count
