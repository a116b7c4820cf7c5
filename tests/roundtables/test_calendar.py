"""roundtables.calendar: .ics files that parse back with the right Brussels times and links."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from icalendar import Calendar

from roundtables.calendar import campaign_ics, roundtable_ics
from roundtables.models import RoundtableStatus

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture
def summer_roundtable(make_roundtable):
    # 14:00-17:00 in Brussels in July is 12:00-15:00 UTC (summer time, UTC+2).
    return make_roundtable(
        slug="zomer",
        title_nl="Zomerrondetafel",
        title_en="Summer roundtable",
        starts_at=datetime.datetime(2031, 7, 3, 12, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2031, 7, 3, 15, 0, tzinfo=datetime.UTC),
        venue="Koningsstraat 10, 1000 Brussel",
    )


def events(ics: bytes):
    return Calendar.from_ical(ics).walk("VEVENT")


def test_the_event_carries_brussels_local_times_with_their_time_zone(summer_roundtable):
    calendar = Calendar.from_ical(roundtable_ics(summer_roundtable))
    (event,) = calendar.walk("VEVENT")

    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert (start.hour, start.minute, end.hour) == (14, 0, 17)
    assert str(start.tzinfo) == "Europe/Brussels"
    assert event["dtstart"].params["TZID"] == "Europe/Brussels"
    assert start == datetime.datetime(2031, 7, 3, 14, 0, tzinfo=BRUSSELS)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Brussels"]


def test_winter_times_use_winter_time(make_roundtable):
    roundtable = make_roundtable(
        starts_at=datetime.datetime(2031, 1, 14, 9, 30, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2031, 1, 14, 11, 0, tzinfo=datetime.UTC),
    )
    (event,) = events(roundtable_ics(roundtable))

    assert event.decoded("dtstart").hour == 10  # UTC+1


def test_the_event_links_back_to_its_page_and_says_where(summer_roundtable, settings):
    settings.SITE_URL = "https://inspraak.example.be"
    (event,) = events(roundtable_ics(summer_roundtable))

    assert str(event["url"]) == "https://inspraak.example.be/roundtables/zomer/"
    assert "https://inspraak.example.be/roundtables/zomer/" in str(event["description"])
    assert str(event["location"]) == "Koningsstraat 10, 1000 Brussel"
    assert str(event["status"]) == "CONFIRMED"


def test_an_online_roundtable_gives_its_link_as_location(make_roundtable):
    roundtable = make_roundtable(venue="", online_url="https://meet.example.org/abc")
    (event,) = events(roundtable_ics(roundtable))

    assert str(event["location"]) == "https://meet.example.org/abc"


def test_the_uid_stays_the_same_when_the_roundtable_changes(summer_roundtable):
    (before,) = events(roundtable_ics(summer_roundtable))
    summer_roundtable.title_en = "Renamed"
    summer_roundtable.save()
    (after,) = events(roundtable_ics(summer_roundtable))

    assert str(before["uid"]) == str(after["uid"])
    assert str(after["summary"]) == "Renamed"


def test_the_texts_follow_the_active_language(summer_roundtable):
    with translation.override("nl"):
        (event,) = events(roundtable_ics(summer_roundtable))

    assert str(event["summary"]) == "Zomerrondetafel"


def test_the_campaign_feed_holds_its_published_and_cancelled_roundtables(
    summer_roundtable, make_roundtable, campaign
):
    make_roundtable(slug="afgelast", status=RoundtableStatus.CANCELLED)
    make_roundtable(slug="ontwerp", status=RoundtableStatus.DRAFT)

    calendar = Calendar.from_ical(campaign_ics(campaign))

    by_url = {str(e["url"]).rsplit("/", 2)[-2]: e for e in calendar.walk("VEVENT")}
    assert set(by_url) == {"zomer", "afgelast"}
    assert str(by_url["afgelast"]["status"]) == "CANCELLED"
    assert str(calendar["x-wr-calname"]) == "How is school?"
    assert len({str(e["uid"]) for e in calendar.walk("VEVENT")}) == 2
