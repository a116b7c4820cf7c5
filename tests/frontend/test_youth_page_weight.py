"""A question page on a cheap phone and a slow connection: at most 60 KB, 20 KB of JavaScript."""

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from tests.frontend.html_checks import parse
from tests.frontend.youth_survey import SLUG, YouthVisitor, make_youth_survey

pytestmark = pytest.mark.django_db

PAGE_BUDGET = 60 * 1024
JS_BUDGET = 20 * 1024


def asset_size(url: str) -> int:
    assert url.startswith(settings.STATIC_URL), url
    path = finders.find(url.removeprefix(settings.STATIC_URL))
    assert path, f"{url} is referenced but not found"
    with open(path, "rb") as asset:
        return len(asset.read())


def page_weight(response) -> tuple[int, int, int]:
    """Bytes of HTML, of the stylesheets and of the scripts the page references."""
    page = parse(response.content)
    css = sum(asset_size(url) for url in page.stylesheets)
    js = sum(asset_size(url) for url in page.scripts)
    return len(response.content), css, js


def test_every_question_page_with_its_css_and_javascript_stays_within_budget(db):
    make_youth_survey()
    visitor = YouthVisitor()
    visitor.start(age=13)
    visitor.answer(answer="sport")  # so that the follow-up question is asked too
    visitor.answer(action="back")
    kinds_weighed = set()

    while visitor.question_key():
        html, css, js = page_weight(visitor.page)
        kind = parse(visitor.page.content).find("body")[0]["data-kind"]
        kinds_weighed.add(kind)
        assert js <= JS_BUDGET, f"JavaScript is {js} bytes"
        assert html + css + js <= PAGE_BUDGET, f"{kind}: {html}+{css}+{js} bytes"
        if visitor.question_key() == "free_time":
            visitor.answer(answer="sport")
        else:
            visitor.answer(action="skip")

    assert kinds_weighed == {"single", "multiple", "scale", "number", "text", "ranking"}


def test_the_end_screen_with_its_qr_code_stays_within_budget(db):
    make_youth_survey()
    visitor = YouthVisitor()
    visitor.start()
    visitor.get(f"/s/{SLUG}/send/")
    visitor.post(action="send")

    html, css, js = page_weight(visitor.page)

    assert visitor.path == f"/s/{SLUG}/done/"
    assert html + css + js <= PAGE_BUDGET
