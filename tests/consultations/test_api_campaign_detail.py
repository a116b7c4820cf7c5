"""GET /api/v1/campaigns/{slug}/: one published campaign, for anyone."""

import pytest
from rest_framework import serializers

from consultations import api

pytestmark = pytest.mark.django_db


def url(slug: str) -> str:
    return f"/api/v1/campaigns/{slug}/"


def test_anyone_gets_a_published_campaign(client, campaign):
    client.cookies["django_language"] = "nl"
    response = client.get(url(campaign.slug))
    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == campaign.slug
    assert (body["language"], body["title"]) == ("nl", "Hoe gaat het op school?")
    assert body["url"] == f"http://testserver{url(campaign.slug)}"
    assert len(body["age_bands"]) == 4


def test_lang_chooses_the_language_of_title_and_summary(client, campaign):
    body = client.get(url(campaign.slug), {"lang": "fr"}).json()
    assert (body["title"], body["summary"]) == ("Comment ça va à l'école ?", "Dis-le nous.")


def test_an_untranslated_title_falls_back_to_dutch(client, make_campaign):
    make_campaign(slug="alleen-nl", title_nl="Alleen Nederlands")
    body = client.get(url("alleen-nl"), {"lang": "fr"}).json()
    assert (body["language"], body["title"]) == ("fr", "Alleen Nederlands")


def test_a_draft_is_not_found(client, draft_campaign):
    client.cookies["django_language"] = "en"
    response = client.get(url(draft_campaign.slug))
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no published campaign at this address."}


def test_an_unknown_slug_is_a_json_404(client, db):
    client.cookies["django_language"] = "en"
    response = client.get(url("bestaat-niet"))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"] == "There is no published campaign at this address."


def test_an_unknown_lang_is_a_400_naming_the_field(client, campaign):
    client.cookies["django_language"] = "en"
    response = client.get(url(campaign.slug), {"lang": "xx"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["lang"]


def test_another_app_can_add_a_section_to_the_detail_only(client, campaign, monkeypatch):
    class SlugLength(serializers.Field):
        def to_representation(self, value):
            return len(value.slug)

    monkeypatch.setitem(
        api._detail_sections, "slug_length", lambda: SlugLength(source="*", read_only=True)
    )
    assert client.get(url(campaign.slug)).json()["slug_length"] == len(campaign.slug)
    assert "slug_length" not in client.get("/api/v1/campaigns/").json()[0]


def test_a_section_cannot_replace_a_campaign_field():
    with pytest.raises(ValueError):
        api.register_campaign_detail_section("title", serializers.CharField)


def test_the_schema_documents_both_operations(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    detail = schema["paths"]["/api/v1/campaigns/{slug}/"]["get"]
    assert {"200", "400", "404"} <= set(detail["responses"])
    assert [p["name"] for p in detail["parameters"] if p["in"] == "query"] == ["lang"]
    fields = schema["components"]["schemas"]["CampaignDetailOutput"]["properties"]
    assert {"titles", "age_bands", "theme_articles", "min_cell_size", "url"} <= set(fields)
    assert "/api/v1/campaigns/" in schema["paths"]
