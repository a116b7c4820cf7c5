"""Celery tasks of the roundtables: thin, an id in, one call out (DESIGN §2).

A task tolerates a row deleted since it was queued, and retries when the mail server is away.
"""

from __future__ import annotations

import logging
from smtplib import SMTPException

from celery import shared_task

from roundtables import notices, services
from roundtables.models import Registration

logger = logging.getLogger(__name__)

MAIL_ERRORS = (SMTPException, ConnectionError, TimeoutError)


@shared_task(
    autoretry_for=MAIL_ERRORS,
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    max_retries=8,
    ignore_result=True,
)
def send_registration_notice(registration_id: int, notice: str) -> bool:
    """E-mail the registrant a notice (confirmed, waitlisted, promoted, cancelled, ...)."""
    registration = (
        Registration.objects.select_related("user", "roundtable", "roundtable__campaign")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:
        logger.info("Registration %s is gone; notice %s not sent.", registration_id, notice)
        return False
    return notices.notice_send(registration=registration, notice=notices.Notice(notice))


@shared_task(ignore_result=True)
def send_due_reminders() -> int:
    """Beat, every few minutes: remind everyone with a seat 48 hours before, exactly once."""
    return services.registration_reminders_send_due()
