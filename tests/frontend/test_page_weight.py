"""A deterministic budget: a young person on a cheap phone and a slow connection."""

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from tests.frontend.html_checks import parse

pytestmark = pytest.mark.django_db

PAGE_BUDGET = 60 * 1024
JS_BUDGET = 20 * 1024
CSS_BUDGET = 15 * 1024


def asset_size(url: str) -> int:
    assert url.startswith(settings.STATIC_URL), url
    path = finders.find(url.removeprefix(settings.STATIC_URL))
    assert path, f"{url} is referenced but not found"
    with open(path, "rb") as asset:
        return len(asset.read())


def test_the_home_page_with_its_css_and_javascript_stays_within_budget(client, make_campaign):
    for number in range(8):
        make_campaign(
            f"theme-{number}",
            title_nl=f"Een thema met een vrij lange titel, nummer {number}",
            summary_nl="Een samenvatting van een paar zinnen over wat we willen weten. " * 4,
        )
    response = client.get("/")
    page = parse(response.content)

    css = sum(asset_size(url) for url in page.stylesheets)
    js = sum(asset_size(url) for url in page.scripts)
    total = len(response.content) + css + js

    assert css < CSS_BUDGET, f"CSS is {css} bytes"
    assert js < JS_BUDGET, f"JavaScript is {js} bytes"
    assert total < PAGE_BUDGET, f"HTML+CSS+JS is {total} bytes"
