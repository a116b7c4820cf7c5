"""The reach page: counts "not shown" for suppressed cells and why, invite links with their
QR code to print, and never a young person's answer. Numbers: tests/analysis/test_reach.py."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.services import invite_link_create
from tests.analysis.test_reach import MARCH_2_MORNING, SECRET_ANSWER, build_scenario, submit
from tests.frontend.html_checks import parse, text_of
from tests.frontend.roundtable_fixtures import client, make_user  # noqa: F401

pytestmark = pytest.mark.django_db


def open_reach(client, make_user, *, k: int, organisation: str = "chiro"):  # noqa: F811
    scenario = build_scenario(k=k)
    user = make_user(f"leiding-{k}-{organisation}@example.org")
    org = getattr(scenario, organisation)
    org.coordinators.add(user)
    client.force_login(user)
    url = reverse("frontend:coordinator_reach", args=[org.slug, scenario.campaign.slug])
    return scenario, client.get(url)


def rows(html: bytes, heading_id: str) -> dict[str, str]:
    table = re.search(
        rf'<table aria-labelledby="{heading_id}">(.*?)</table>', html.decode(), re.S
    ).group(1)
    cells = re.findall(r"<th scope=\"row\">(.*?)</th>\s*<td>(.*?)</td>", table, re.S)
    return {text_of(label).strip(): text_of(value).strip() for label, value in cells}


def test_it_shows_the_counts_with_less_than_k_for_suppressed_cells(client, make_user):  # noqa: F811
    _, response = open_reach(client, make_user, k=5)

    assert response.status_code == 200
    assert rows(response.content, "per-link") == {
        "Groep 3": "7",
        "Groep 4": "not shown",
        "Groep 5": "not shown",
    }
    assert rows(response.content, "per-band") == {
        "6-8": "0",
        "9-11": "10",
        "12-14": "6",
        "15-17": "0",
    }
    assert list(rows(response.content, "per-day").values()) == ["8", "8"]
    page = text_of(response.content)
    assert "16 young people have answered through your invite links." in page
    assert "a number below 5 is not shown" in page


def test_it_says_fewer_than_k_for_a_small_organisation(client, make_user):  # noqa: F811
    _, response = open_reach(client, make_user, k=10, organisation="scouts")

    page = text_of(response.content)
    assert "Fewer than 10 young people have answered through your invite links so far." in page
    reach_part = page.split("Invite links to hand out")[0]
    assert not re.search(r"(?<![\w-])9(?![\w-])", reach_part)  # 9-11 is an age band
    assert rows(response.content, "per-link") == {"Welpen": "not shown"}


def test_it_never_shows_an_answer(client, make_user):  # noqa: F811
    scenario, response = open_reach(client, make_user, k=5)

    assert scenario.survey.responses.filter(answers__text_value=SECRET_ANSWER).exists()
    assert SECRET_ANSWER not in response.content.decode()
    assert "dance" not in response.content.decode()


def test_it_shows_each_active_invite_link_with_its_qr_code(client, make_user):  # noqa: F811
    scenario, response = open_reach(client, make_user, k=5)

    html = response.content.decode()
    for link in (scenario.groep3, scenario.groep4, scenario.groep5):
        assert link.absolute_url() in html
    assert scenario.welpen.code not in html
    qr_codes = parse(html).find("svg", role="img")
    assert len(qr_codes) == 3
    assert "<script" not in html.split("</header>")[1]
    assert ' style="' not in html


def test_the_page_uses_the_same_number_of_queries_however_much_there_is(client, make_user):  # noqa: F811
    scenario, _ = open_reach(client, make_user, k=5)
    url = reverse("frontend:coordinator_reach", args=[scenario.chiro.slug, scenario.campaign.slug])
    with CaptureQueriesContext(connection) as before:
        client.get(url)

    for label in ("Groep 6", "Groep 7"):
        link = invite_link_create(
            campaign=scenario.campaign, organisation=scenario.chiro, label=label
        )
        for _ in range(6):
            submit(scenario.survey, link, age=13, at=MARCH_2_MORNING)
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)

    assert response.status_code == 200
    assert "Groep 7" in text_of(response.content)
    assert len(after.captured_queries) == len(before.captured_queries)
