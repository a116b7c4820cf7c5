"""GET /api/v1/roundtables/ and /api/v1/roundtables/{id}/: published roundtables, for anyone."""

import datetime

import pytest
from django.utils import timezone

from roundtables.models import RoundtableStatus
from roundtables.services import registration_create

pytestmark = pytest.mark.django_db

QUESTION = {
    "key": "perspective",
    "kind": "single",
    "required": True,
    "label_nl": "Perspectief",
    "label_fr": "Point de vue",
    "label_en": "Perspective",
    "options": [
        {"value": "research", "label_nl": "Onderzoek", "label_fr": "Recherche"},
        {"value": "policy", "label_nl": "Beleid", "label_fr": "Politique"},
    ],
}


def test_anyone_lists_the_published_roundtables_with_their_seats(
    client, make_roundtable, make_user
):
    roundtable = make_roundtable(slug="school", capacity=2, online_url="https://meet.example.org")
    registration_create(roundtable=roundtable, user=make_user("a@example.org"))
    make_roundtable(slug="concept", status=RoundtableStatus.DRAFT)

    response = client.get("/api/v1/roundtables/")

    assert response.status_code == 200
    (item,) = response.json()
    assert item["id"] == roundtable.pk
    assert (item["slug"], item["campaign"], item["status"]) == (
        "school",
        "welzijn-op-school",
        "published",
    )
    assert (item["capacity"], item["seats_left"], item["waitlist_length"]) == (2, 1, 0)
    assert item["registration_open"] is True
    assert item["venue"] == "Koningsstraat 10, 1000 Brussel"
    assert item["online_url"] == "https://meet.example.org"
    assert item["url"] == "http://testserver/roundtables/school/"
    assert (
        item["calendar_url"] == f"http://testserver/api/v1/roundtables/{roundtable.pk}/calendar.ics"
    )
    starts_at = datetime.datetime.fromisoformat(item["starts_at"])
    assert starts_at == roundtable.starts_at
    assert starts_at.utcoffset() in (datetime.timedelta(hours=1), datetime.timedelta(hours=2))


def test_the_list_filters_by_campaign_and_names_an_unknown_campaign(client, make_roundtable):
    make_roundtable()

    assert len(client.get("/api/v1/roundtables/", {"campaign": "welzijn-op-school"}).json()) == 1
    response = client.get("/api/v1/roundtables/", {"campaign": "bestaat-niet"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["campaign"]


def test_lang_chooses_the_language_of_the_texts_and_the_questions(client, make_roundtable):
    roundtable = make_roundtable(title_fr="Table ronde", questions=[QUESTION])

    body = client.get(f"/api/v1/roundtables/{roundtable.pk}/", {"lang": "fr"}).json()

    assert (body["language"], body["title"]) == ("fr", "Table ronde")
    assert body["questions"] == [
        {
            "key": "perspective",
            "kind": "single",
            "label": "Point de vue",
            "required": True,
            "options": [
                {"value": "research", "label": "Recherche"},
                {"value": "policy", "label": "Politique"},
            ],
        }
    ]


def test_a_full_roundtable_shows_no_seat_left_but_stays_open(client, make_roundtable, make_user):
    roundtable = make_roundtable(capacity=1)
    for number in range(2):
        registration_create(roundtable=roundtable, user=make_user(f"p{number}@example.org"))

    body = client.get(f"/api/v1/roundtables/{roundtable.pk}/").json()

    assert (body["seats_left"], body["waitlist_length"], body["registration_open"]) == (0, 1, True)


def test_a_past_roundtable_is_closed_for_registration(client, make_roundtable):
    roundtable = make_roundtable(starts_at=timezone.now() - datetime.timedelta(days=1))

    assert client.get(f"/api/v1/roundtables/{roundtable.pk}/").json()["registration_open"] is False


def test_a_draft_is_a_json_404(client, make_roundtable):
    draft = make_roundtable(status=RoundtableStatus.DRAFT)

    response = client.get(f"/api/v1/roundtables/{draft.pk}/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "There is no published roundtable at this address."}


def test_a_cancelled_roundtable_says_so(client, make_roundtable):
    cancelled = make_roundtable(status=RoundtableStatus.CANCELLED)

    body = client.get(f"/api/v1/roundtables/{cancelled.pk}/").json()

    assert (body["status"], body["registration_open"]) == ("cancelled", False)


def test_the_campaign_detail_lists_its_upcoming_roundtables(client, make_roundtable):
    make_roundtable(slug="soon", starts_at=timezone.now() + datetime.timedelta(days=3))
    make_roundtable(slug="over", starts_at=timezone.now() - datetime.timedelta(days=3))

    body = client.get("/api/v1/campaigns/welzijn-op-school/", {"lang": "en"}).json()

    assert [item["slug"] for item in body["roundtables"]] == ["soon"]
    assert body["roundtables"][0]["seats_left"] == 3
    assert "roundtables" not in client.get("/api/v1/campaigns/").json()[0]


def test_the_schema_documents_the_roundtable_operations(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    paths = schema["paths"]
    assert set(paths["/api/v1/roundtables/{id}/registrations/"]["post"]["responses"]) >= {
        "201",
        "400",
        "401",
        "403",
        "404",
        "409",
        "429",
    }
    assert "204" in paths["/api/v1/roundtables/{id}/registrations/mine/"]["delete"]["responses"]
    calendar = paths["/api/v1/roundtables/{id}/calendar.ics"]["get"]["responses"]["200"]
    assert list(calendar["content"]) == ["text/calendar"]
    assert "/api/v1/campaigns/{slug}/calendar.ics" in paths
    detail = schema["components"]["schemas"]["CampaignDetailOutput"]["properties"]
    assert detail["roundtables"]["type"] == "array"
