"""The API's JSON parser: DRF's, with two more bodies answered 400 instead of 500.

- JSON nested deeper than Python's recursion limit (``[[[[...]]]]``): ``json`` raises
  RecursionError, which is no ValueError, so DRF's parser lets it through as a server error.
- Text with a lone surrogate (``"\\ud800"``): valid JSON escapes, but no UTF-8 text, so the
  database driver fails on it wherever it is stored or looked up.

Set as ``DEFAULT_PARSER_CLASSES`` (config/settings.py); surveys.api builds on it.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(gettext("JSON parse error - the body is nested too deeply.")) from None
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ParseError(
                gettext("JSON parse error - the body holds text that is not valid Unicode.")
            ) from None
        return data
