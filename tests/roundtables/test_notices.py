"""The e-mails registrants get: in their own language, sent once the change is committed."""

import pytest
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from icalendar import Calendar

from roundtables.models import Registration
from roundtables.services import registration_cancel, registration_create
from roundtables.tasks import send_registration_notice

pytestmark = pytest.mark.django_db


def localized_date(moment, language):
    with translation.override(language):
        return date_format(timezone.localtime(moment), "l j F Y")


def test_a_confirmation_comes_in_the_registrants_language_with_the_calendar_file(
    make_roundtable, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    roundtable = make_roundtable(title_fr="Table ronde sur l'école")
    julie = make_user("julie@example.org", preferred_language="fr", full_name="Julie")

    with django_capture_on_commit_callbacks(execute=True):
        registration_create(roundtable=roundtable, user=julie)

    (message,) = mailoutbox
    assert message.to == ["julie@example.org"]
    assert "Table ronde sur l'école" in message.subject
    assert localized_date(roundtable.starts_at, "fr") in message.body
    assert "Julie" in message.body
    assert roundtable.absolute_url() in message.body
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == (f"{roundtable.slug}.ics", "text/calendar")
    (event,) = Calendar.from_ical(content).walk("VEVENT")
    assert str(event["summary"]) == "Table ronde sur l'école"


def test_a_waitlist_notice_tells_the_position(
    make_roundtable, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    roundtable = make_roundtable(capacity=1)
    registration_create(roundtable=roundtable, user=make_user("a@example.org"))
    registration_create(roundtable=roundtable, user=make_user("b@example.org"))

    with django_capture_on_commit_callbacks(execute=True):
        registration_create(roundtable=roundtable, user=make_user("c@example.org"))

    (message,) = mailoutbox
    assert "waitlist" in message.subject
    assert "at position 2" in message.body
    assert message.attachments == []


def test_nothing_is_sent_for_a_registration_rolled_back(roundtable, expert, mailoutbox):
    # The test's own transaction never commits, so the on-commit task never runs.
    registration_create(roundtable=roundtable, user=expert)

    assert mailoutbox == []


def test_a_notice_that_is_no_longer_true_is_not_sent(roundtable, expert, mailoutbox):
    registration = registration_create(roundtable=roundtable, user=expert)
    registration_cancel(registration=registration, by=expert)

    # The confirmation task runs late, after the cancellation: it must not confirm a seat.
    assert send_registration_notice.delay(registration.pk, "confirmed").get() is False
    assert mailoutbox == []


def test_a_notice_for_a_deleted_registration_is_dropped(roundtable, expert, mailoutbox):
    registration = registration_create(roundtable=roundtable, user=expert)
    Registration.objects.all().delete()

    assert send_registration_notice.delay(registration.pk, "confirmed").get() is False
    assert mailoutbox == []
