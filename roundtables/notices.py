"""The e-mails a registrant gets, in their own language, from plain-text templates.

``roundtables/templates/roundtables/email/<notice>_subject.txt`` and ``<notice>_body.txt``.
A confirmation, a promotion and a reminder carry the roundtable's calendar file.

A notice is sent by a Celery task some time after the change it tells about. When the
registration has moved on in between (confirmed, then cancelled a second later), the notice
would be wrong and is not sent: the later change has its own notice.
"""

from __future__ import annotations

import enum

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from consultations.translation import localized
from roundtables.calendar import roundtable_ics
from roundtables.models import Registration, RegistrationStatus
from roundtables.selectors import waitlist_position


class Notice(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    PROMOTED = "promoted"
    CANCELLED = "cancelled"
    REMINDER = "reminder"
    ROUNDTABLE_CANCELLED = "roundtable_cancelled"


# The status a registration must still have for the notice to be true when it is sent.
_STILL_TRUE_WHEN: dict[Notice, str] = {
    Notice.CONFIRMED: RegistrationStatus.CONFIRMED,
    Notice.WAITLISTED: RegistrationStatus.WAITLISTED,
    Notice.PROMOTED: RegistrationStatus.CONFIRMED,
    Notice.CANCELLED: RegistrationStatus.CANCELLED,
    Notice.REMINDER: RegistrationStatus.CONFIRMED,
    Notice.ROUNDTABLE_CANCELLED: RegistrationStatus.CANCELLED,
}
_WITH_CALENDAR_FILE = {Notice.CONFIRMED, Notice.PROMOTED, Notice.REMINDER}


def notice_is_current(*, registration: Registration, notice: Notice) -> bool:
    return registration.status == _STILL_TRUE_WHEN[Notice(notice)]


def notice_message(*, registration: Registration, notice: Notice) -> EmailMessage:
    """The e-mail, written in the registrant's preferred language."""
    notice = Notice(notice)
    user = registration.user
    roundtable = registration.roundtable
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "name": user.full_name,
            "roundtable": roundtable,
            "title": localized(roundtable, "title", language),
            "campaign_title": localized(roundtable.campaign, "title", language),
            "starts_at": roundtable.starts_at,
            "ends_at": roundtable.ends_at,
            "same_day": (
                timezone.localdate(roundtable.starts_at) == timezone.localdate(roundtable.ends_at)
            ),
            "venue": roundtable.venue,
            "online_url": roundtable.online_url,
            "page_url": roundtable.absolute_url(),
            "waitlist_position": waitlist_position(registration),
            "cancelled_by_staff": (
                registration.cancelled_by_id is not None
                and registration.cancelled_by_id != registration.user_id
            ),
            "needs": registration.needs,
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string(f"roundtables/email/{notice}_subject.txt", context)
        subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
        body = render_to_string(f"roundtables/email/{notice}_body.txt", context)
        message = EmailMessage(subject=subject, body=body, to=[user.email])
        if notice in _WITH_CALENDAR_FILE:
            message.attach(f"{roundtable.slug}.ics", roundtable_ics(roundtable), "text/calendar")
    return message


def notice_send(*, registration: Registration, notice: Notice) -> bool:
    """Send the notice if it is still true; returns whether it was sent."""
    if not notice_is_current(registration=registration, notice=notice):
        return False
    notice_message(registration=registration, notice=notice).send()
    return True
