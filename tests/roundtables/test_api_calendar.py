"""GET /api/v1/roundtables/{id}/calendar.ics and /api/v1/campaigns/{slug}/calendar.ics."""

import pytest
from icalendar import Calendar

from roundtables.models import RoundtableStatus

pytestmark = pytest.mark.django_db


def test_anyone_downloads_a_roundtable_as_a_calendar_file(client, make_roundtable):
    roundtable = make_roundtable(slug="school", title_nl="Rondetafel school")

    response = client.get(f"/api/v1/roundtables/{roundtable.pk}/calendar.ics", {"lang": "nl"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="school.ics"' in response["Content-Disposition"]
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["summary"]) == "Rondetafel school"
    assert str(event["url"]).endswith("/roundtables/school/")


def test_a_calendar_client_asking_for_text_calendar_gets_it(client, roundtable):
    response = client.get(
        f"/api/v1/roundtables/{roundtable.pk}/calendar.ics", headers={"accept": "text/calendar"}
    )

    assert response.status_code == 200
    assert response.content.startswith(b"BEGIN:VCALENDAR")


def test_a_draft_has_no_calendar_file(client, make_roundtable):
    draft = make_roundtable(status=RoundtableStatus.DRAFT)

    response = client.get(f"/api/v1/roundtables/{draft.pk}/calendar.ics")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_the_campaign_feed_holds_its_roundtables(client, make_roundtable):
    make_roundtable(slug="een")
    make_roundtable(slug="twee")

    response = client.get("/api/v1/campaigns/welzijn-op-school/calendar.ics")

    assert response.status_code == 200
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 2


def test_an_unknown_campaign_has_no_feed(client, db):
    assert client.get("/api/v1/campaigns/bestaat-niet/calendar.ics").status_code == 404
