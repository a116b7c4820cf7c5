"""iCalendar files: one roundtable (attached to e-mails, downloadable) and a campaign's feed.

Times are written in Europe/Brussels with their VTIMEZONE, so that a calendar shows the local
time of the meeting wherever it is opened. Each event's UID is stable (the roundtable's id), so
that importing the file again updates the entry instead of adding a second one, and its URL
links back to the roundtable's page. Texts are in the active language.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from icalendar import Calendar, Event

from consultations.models import Campaign
from consultations.translation import localized
from roundtables.models import Roundtable, RoundtableStatus
from roundtables.selectors import roundtable_list_for_calendar

PRODID = "-//Inspraak//Roundtables//EN"


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def roundtable_uid(roundtable: Roundtable) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "inspraak"
    return f"roundtable-{roundtable.pk}@{host}"


def _language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _event(roundtable: Roundtable) -> Event:
    zone = _zone()
    language = _language()
    url = roundtable.absolute_url()
    description = localized(roundtable, "description", language)
    if roundtable.venue and roundtable.online_url:
        description = f"{description}\n\n{roundtable.online_url}".strip()
    description = f"{description}\n\n{url}".strip()
    modified = (roundtable.updated_at or roundtable.created_at).astimezone(datetime.UTC)

    event = Event()
    event.add("uid", roundtable_uid(roundtable))
    event.add("dtstamp", modified)
    event.add("last-modified", modified)
    event.add("dtstart", roundtable.starts_at.astimezone(zone))
    event.add("dtend", roundtable.ends_at.astimezone(zone))
    event.add("summary", localized(roundtable, "title", language))
    event.add("description", description)
    if roundtable.location:
        event.add("location", roundtable.location)
    event.add("url", url)
    event.add(
        "status",
        "CANCELLED" if roundtable.status == RoundtableStatus.CANCELLED else "CONFIRMED",
    )
    return event


def _calendar(roundtables: Iterable[Roundtable], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    roundtables = list(roundtables)
    for roundtable in roundtables:
        calendar.add_component(_event(roundtable))
    if roundtables:
        # Only the offsets around these events, not every transition since 1970.
        first = min(r.starts_at for r in roundtables).date() - datetime.timedelta(days=366)
        last = max(r.ends_at for r in roundtables).date() + datetime.timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


def roundtable_ics(roundtable: Roundtable) -> bytes:
    """The roundtable as a calendar file with one event."""
    return _calendar([roundtable], name=localized(roundtable, "title", _language()))


def campaign_ics(campaign: Campaign) -> bytes:
    """A campaign's roundtables as one calendar, to subscribe to; a cancelled roundtable stays
    in it marked CANCELLED, so that subscribed calendars drop it."""
    return _calendar(
        roundtable_list_for_calendar(campaign=campaign),
        name=localized(campaign, "title", _language()),
    )
