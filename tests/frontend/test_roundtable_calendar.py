"""The calendar files behind "Add to my calendar": one roundtable, and a campaign's feed."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from roundtables.models import RoundtableStatus
from tests.frontend.roundtable_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def events(response) -> list:
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def test_a_roundtable_downloads_as_a_calendar_file_in_brussels_time(client, roundtable):
    response = client.get("/roundtables/mental-health/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert 'filename="mental-health.ics"' in response["Content-Disposition"]
    (event,) = events(response)
    start = event.decoded("dtstart")
    assert start.tzinfo.key == "Europe/Brussels"
    assert start.time() == datetime.time(14, 0)
    assert start == roundtable.starts_at.astimezone(ZoneInfo("Europe/Brussels"))
    assert str(event["url"]).endswith("/roundtables/mental-health/")


def test_a_campaign_feed_holds_its_published_roundtables(client, make_roundtable):
    make_roundtable("one")
    make_roundtable("two")
    make_roundtable("draft", status=RoundtableStatus.DRAFT)

    response = client.get("/c/welzijn-op-school/calendar.ics")

    assert response.status_code == 200
    urls = sorted(str(event["url"]).rsplit("/", 2)[-2] for event in events(response))
    assert urls == ["one", "two"]


def test_a_draft_roundtable_has_no_calendar_file(client, make_roundtable):
    make_roundtable(status=RoundtableStatus.DRAFT)

    assert client.get("/roundtables/mental-health/calendar.ics").status_code == 404


def test_an_unknown_campaign_has_no_feed(client, db):
    assert client.get("/c/nothing/calendar.ics").status_code == 404
