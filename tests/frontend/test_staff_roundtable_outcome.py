"""Recording a roundtable's outcome: a summary and key points tagged with UNCRC articles."""

import pytest

from consultations.models import CrcCluster
from roundtables.models import Outcome
from tests.frontend.html_checks import parse, text_of
from tests.frontend.roundtable_fixtures import *  # noqa: F403
from tests.frontend.roundtable_fixtures import under_way

pytestmark = pytest.mark.django_db

URL = "/staff/roundtables/mental-health/outcome/"


def management(total: int) -> dict:
    return {
        "points-TOTAL_FORMS": str(total),
        "points-INITIAL_FORMS": "0",
        "points-MIN_NUM_FORMS": "0",
        "points-MAX_NUM_FORMS": "50",
    }


@pytest.fixture
def held_roundtable(roundtable):
    return under_way(roundtable)


def test_the_form_offers_every_article_once_grouped_by_cluster(client, held_roundtable, staff):
    client.force_login(staff)

    response = client.get(URL)
    page = parse(response.content)

    assert response.status_code == 200
    checkboxes = page.find("input", type="checkbox", name="points-0-articles")
    values = [box["value"] for box in checkboxes]
    assert "12" in values
    assert "6(2)" in values
    assert len(values) == len(set(values))
    text = text_of(response.content)
    codes_in_cluster_order = [
        article.code
        for cluster in CrcCluster.objects.order_by("order")
        for article in cluster.primary_articles.order_by("number", "part")
    ]
    assert values == sorted(values, key=lambda code: codes_in_cluster_order.index(code))
    for cluster in CrcCluster.objects.filter(primary_articles__isnull=False).distinct():
        assert cluster.name_en in text
    assert len(page.find("textarea", name="points-2-text")) == 1, "three blank points"


def test_staff_record_a_summary_and_tagged_key_points(client, held_roundtable, staff):
    client.force_login(staff)
    data = {
        "summary": "Schools need a listening culture.",
        "language": "en",
        **management(3),
        "points-0-text": "Every school should have a pupils' council.",
        "points-0-articles": ["12", "28"],
        "points-1-text": "",
        "points-2-text": "Mental-health support must be free.",
        "points-2-articles": ["24"],
    }

    response = client.post(URL, data, follow=True)

    assert "The outcome is saved." in text_of(response.content)
    outcome = Outcome.objects.get(roundtable=held_roundtable)
    assert outcome.summary == "Schools need a listening culture."
    assert outcome.author == staff
    points = list(outcome.points.order_by("order"))
    assert [p.text for p in points] == [
        "Every school should have a pupils' council.",
        "Mental-health support must be free.",
    ]
    assert sorted(a.code for a in points[0].articles.all()) == ["12", "28"]
    assert [a.code for a in points[1].articles.all()] == ["24"]
    page = parse(response.content)
    checked = [
        attributes["value"]
        for attributes in page.find("input", type="checkbox", name="points-0-articles")
        if "checked" in attributes
    ]
    assert sorted(checked) == ["12", "28"], "the saved outcome is shown again"
    public = text_of(client.get("/roundtables/mental-health/").content)
    assert "What came out of it" in public
    assert "Every school should have a pupils' council. UNCRC: Art. 12 Art. 28" in public


def test_articles_without_a_text_are_refused_beside_the_point(client, held_roundtable, staff):
    client.force_login(staff)
    data = {
        "summary": "Summary",
        "language": "en",
        **management(1),
        "points-0-text": "",
        "points-0-articles": ["12"],
    }

    response = client.post(URL, data)

    assert response.status_code == 400
    assert "A key point needs a text." in text_of(response.content)
    assert not Outcome.objects.exists()


def test_a_summary_is_required(client, held_roundtable, staff):
    client.force_login(staff)

    response = client.post(URL, {"summary": "", "language": "en", **management(0)})

    assert response.status_code == 400
    assert response.context["form"].errors["summary"]
    assert not Outcome.objects.exists()


def test_adding_points_keeps_what_was_typed_and_saves_nothing(client, held_roundtable, staff):
    client.force_login(staff)
    data = {
        "summary": "Draft summary",
        "language": "en",
        **management(1),
        "points-0-text": "First point",
        "points-0-articles": ["12"],
        "add_points": "1",
    }

    response = client.post(URL, data)

    page = parse(response.content)
    assert not Outcome.objects.exists()
    assert "Draft summary" in text_of(response.content)
    assert "First point" in text_of(response.content)
    assert len(page.find("textarea", name="points-3-text")) == 1
    (art12,) = [
        box
        for box in page.find("input", type="checkbox", name="points-0-articles")
        if box["value"] == "12"
    ]
    assert "checked" in art12
    assert "Please check" not in text_of(response.content)


def test_before_the_roundtable_there_is_no_form_and_a_post_is_refused_in_words(
    client, roundtable, staff
):
    client.force_login(staff)

    page = client.get(URL)
    assert "Outcomes can be recorded once the roundtable has started." in text_of(page.content)
    assert not parse(page.content).find("textarea", name="summary")

    response = client.post(URL, {"summary": "Too early", "language": "en", **management(0)})

    assert response.status_code == 409
    assert "Outcomes can be recorded once the roundtable has started." in text_of(response.content)
    assert not Outcome.objects.exists()
