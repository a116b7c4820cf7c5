"""Row 7: the weight of a youth survey question page: its HTML and the CSS and JavaScript it
loads, for every question of the bench survey (every kind)."""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from benchmarks.context import Bench
from benchmarks.report import Line

ROW = "7"
TITLE = "youth page weight"
PAGE_BUDGET = 60 * 1024
JS_BUDGET = 20 * 1024


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stylesheets: list[str] = []
        self.scripts: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and "stylesheet" in (found.get("rel") or "").split() and found.get("href"):
            self.stylesheets.append(found["href"])
        elif tag == "script" and found.get("src"):
            self.scripts.append(found["src"])
        elif tag == "img" and (found.get("src") or "").startswith(settings.STATIC_URL):
            self.images.append(found["src"])


def _asset(url: str) -> bytes:
    path = finders.find(url.split("?")[0].removeprefix(settings.STATIC_URL))
    if not path:
        raise RuntimeError(f"{url} is referenced but not found")
    with open(path, "rb") as asset:
        return asset.read()


def _weigh(html: bytes) -> dict[str, int]:
    assets = _Assets()
    assets.feed(html.decode())
    css = [_asset(url) for url in dict.fromkeys(assets.stylesheets)]
    js = [_asset(url) for url in dict.fromkeys(assets.scripts)]
    images = [_asset(url) for url in dict.fromkeys(assets.images)]
    everything = [html, *css, *js, *images]
    return {
        "html": len(html),
        "css": sum(map(len, css)),
        "js": sum(map(len, js)),
        "images": sum(map(len, images)),
        "total": sum(map(len, everything)),
        "gzip": sum(len(gzip.compress(part, 9)) for part in everything),
        "js_gzip": sum(len(gzip.compress(part, 9)) for part in js),
    }


def run(bench: Bench) -> None:
    report = bench.report
    survey = bench.small.survey
    client = Client()
    page = client.get(f"/s/{survey.slug}/", follow=True)
    if page.request["PATH_INFO"].endswith("/language/"):
        page = client.post(page.request["PATH_INFO"], {"language": "nl"}, follow=True)
    page = client.post(page.request["PATH_INFO"], {"age": "10"}, follow=True)
    page = client.post(page.request["PATH_INFO"], {"assent": "yes"}, follow=True)
    weights: dict[str, dict[str, int]] = {}
    while (
        match := re.search(r"/q/([\w-]+)/$", page.request["PATH_INFO"])
    ) and page.status_code == 200:
        key = match.group(1)
        if key in weights:
            break
        weights[key] = _weigh(page.content)
        page = client.post(page.request["PATH_INFO"], {"action": "skip"}, follow=True)
    if not weights:
        report.not_measured(
            ROW, "question page weight", "≤ 60 KB", f"no question page reached ({page.status_code})"
        )
        return
    heaviest_key, heaviest = max(weights.items(), key=lambda item: item[1]["total"])
    most_js = max(weights.values(), key=lambda weight: weight["js"])
    report.add(
        Line(
            ROW,
            f"heaviest question page (HTML+CSS+JS), of {len(weights)}",
            f"{heaviest['total'] / 1024:.1f} KB",
            f"{PAGE_BUDGET // 1024} KB budget",
            f"{heaviest['total'] / PAGE_BUDGET:.2f}x",
            "≤ 60 KB",
            passed=heaviest["total"] <= PAGE_BUDGET,
        )
    )
    report.add(
        Line(
            ROW,
            "JavaScript of a question page",
            f"{most_js['js'] / 1024:.1f} KB",
            f"{JS_BUDGET // 1024} KB budget",
            f"{most_js['js'] / JS_BUDGET:.2f}x",
            "≤ 20 KB",
            passed=most_js["js"] <= JS_BUDGET,
        )
    )
    report.note(
        ROW,
        f"Every question page of the 20-question bench survey walked with the Django test client "
        f"(age 10, easy-read wording, Dutch); sizes uncompressed, as the test "
        f"tests/frontend/test_youth_page_weight.py counts them. Heaviest: `{heaviest_key}`, "
        f"HTML {heaviest['html']} B + CSS {heaviest['css']} B + JS {heaviest['js']} B"
        + (f" + images {heaviest['images']} B" if heaviest["images"] else "")
        + f"; gzip -9 (what whitenoise serves compressed): {heaviest['gzip'] / 1024:.1f} KB, "
        f"of which JavaScript {most_js['js_gzip'] / 1024:.1f} KB.",
    )
