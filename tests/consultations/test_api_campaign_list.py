"""GET /api/v1/campaigns/: the published campaigns, for anyone."""

import datetime

import pytest

from consultations.models import CrcArticle

pytestmark = pytest.mark.django_db

URL = "/api/v1/campaigns/"


def test_anyone_gets_the_published_campaigns_but_no_draft(client, campaign, draft_campaign):
    response = client.get(URL)
    assert response.status_code == 200
    assert [item["slug"] for item in response.json()] == [campaign.slug]


def test_each_campaign_carries_its_settings(client, campaign):
    campaign.theme_articles.set(CrcArticle.objects.filter(code="12"))
    (item,) = client.get(URL).json()
    assert item["status"] == "consulting"
    assert item["titles"] == {
        "nl": "Hoe gaat het op school?",
        "fr": "Comment ça va à l'école ?",
        "en": "How is school?",
    }
    assert item["languages"] == ["nl", "fr", "en"]
    assert item["min_cell_size"] == 10
    assert item["age_bands"][0] == {"code": "6-8", "min_age": 6, "max_age": 8, "easy_read": True}
    assert [band["code"] for band in item["age_bands"]] == ["6-8", "9-11", "12-14", "15-17"]
    assert item["theme_articles"] == [
        {"code": "12", "title": "Respect for the views of the child", "cluster": "GP"}
    ]
    assert item["url"] == f"http://testserver/api/v1/campaigns/{campaign.slug}/"
    assert (item["starts_on"], item["ends_on"], item["results_expected_on"]) == (None, None, None)


def test_the_most_recent_campaign_comes_first(client, make_campaign):
    make_campaign(slug="older", starts_on=datetime.date(2024, 9, 1))
    make_campaign(slug="newer", starts_on=datetime.date(2026, 9, 1))
    assert [item["slug"] for item in client.get(URL).json()] == ["newer", "older"]
    assert client.get(URL).json()[0]["starts_on"] == "2026-09-01"


def test_title_and_summary_follow_the_lang_parameter(client, campaign):
    (item,) = client.get(URL, {"lang": "fr"}).json()
    assert (item["language"], item["title"], item["summary"]) == (
        "fr",
        "Comment ça va à l'école ?",
        "Dis-le nous.",
    )


def test_without_lang_they_follow_the_requests_language(client, campaign):
    client.cookies["django_language"] = "en"
    (item,) = client.get(URL).json()
    assert (item["language"], item["title"]) == ("en", "How is school?")


def test_a_language_the_campaign_does_not_offer_gives_its_first_language(client, make_campaign):
    make_campaign(slug="vlaams", title_nl="Vlaams", title_en="Flemish", languages=["nl"])
    (item,) = client.get(URL, {"lang": "en"}).json()
    assert (item["language"], item["title"]) == ("nl", "Vlaams")


def test_an_unknown_lang_is_a_400_naming_the_field(client, campaign):
    client.cookies["django_language"] = "en"
    response = client.get(URL, {"lang": "de"})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "lang": ["Unknown language 'de'; offered languages are nl, fr, en."]
    }


def test_the_number_of_queries_does_not_grow_with_the_campaigns(
    client, make_campaign, django_assert_num_queries
):
    for n in range(5):
        campaign = make_campaign(slug=f"c{n}")
        campaign.theme_articles.set(CrcArticle.objects.all()[:3])
    with django_assert_num_queries(3):
        assert len(client.get(URL).json()) == 5
