"""Read rendered HTML the way a browser and a Content-Security-Policy would."""

from __future__ import annotations

import html as html_entities
import re
from html.parser import HTMLParser

# Script types a browser does not execute (data blocks): a CSP does not block them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.csp_problems: list[str] = []
        self.html_lang: str | None = None
        self.ids: set[str] = set()
        self.stylesheets: list[str] = []
        self.scripts: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self._inline_script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if tag == "html":
            self.html_lang = attributes.get("lang")
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        for name, value in attrs:
            if name == "style":
                self.csp_problems.append(f"style attribute on <{tag}>: {value!r}")
            if name.startswith("on"):
                self.csp_problems.append(f"inline event handler {name} on <{tag}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.csp_problems.append(f"javascript: URL on <{tag}>")
        if tag == "style":
            self.csp_problems.append("<style> element")
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.stylesheets.append(attributes.get("href") or "")
        if tag == "script":
            if attributes.get("src"):
                self.scripts.append(attributes["src"])
            elif (attributes.get("type") or "").lower() not in DATA_SCRIPT_TYPES:
                self._inline_script = ""

    def handle_data(self, data: str) -> None:
        if self._inline_script is not None:
            self._inline_script += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._inline_script is not None:
            if self._inline_script.strip():
                self.csp_problems.append(f"inline <script>: {self._inline_script.strip()[:80]!r}")
            self._inline_script = None

    def find(self, tag: str, **wanted: str) -> list[dict[str, str | None]]:
        """Elements of ``tag`` whose attributes have the wanted values (class_ for class)."""
        wanted = {key.rstrip("_").replace("_", "-"): value for key, value in wanted.items()}
        return [
            attributes
            for name, attributes in self.elements
            if name == tag and all(attributes.get(k) == v for k, v in wanted.items())
        ]


def parse(html: bytes | str) -> PageParser:
    parser = PageParser()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    parser.close()
    return parser


def text_of(html: bytes | str) -> str:
    """The visible text, whitespace collapsed (tags removed)."""
    raw = html.decode() if isinstance(html, bytes) else html
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    return " ".join(html_entities.unescape(re.sub(r"<[^>]+>", " ", raw)).split())
