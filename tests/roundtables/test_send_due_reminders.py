"""The beat task send_due_reminders: everyone with a seat is reminded 48 hours before, once."""

import datetime
import threading
from smtplib import SMTPException

import pytest
from django.db import connection
from django.utils import timezone

from roundtables import notices
from roundtables.models import Registration
from roundtables.services import (
    registration_cancel,
    registration_create,
    registration_reminders_send_due,
)
from roundtables.tasks import send_due_reminders


@pytest.fixture
def tomorrow(make_roundtable, make_user):
    """Starts in 24 hours: a week ago, Ann and Bert (Dutch) took the two seats, Carl left the
    waitlist, Dora waits. Another roundtable, in three days, has Ed."""
    roundtable = make_roundtable(
        capacity=2,
        starts_at=timezone.now() + datetime.timedelta(hours=24),
        title_nl="Rondetafel morgen",
    )
    a_week_ago = timezone.now() - datetime.timedelta(days=7)
    for name, language in [("ann", "en"), ("bert", "nl"), ("carl", "en"), ("dora", "en")]:
        user = make_user(f"{name}@example.org", preferred_language=language)
        registration = registration_create(roundtable=roundtable, user=user, now=a_week_ago)
        if name == "carl":
            registration_cancel(registration=registration, by=user, now=a_week_ago)
    later = make_roundtable(starts_at=timezone.now() + datetime.timedelta(days=3))
    registration_create(roundtable=later, user=make_user("ed@example.org"))
    return roundtable


@pytest.mark.django_db
def test_running_the_task_twice_sends_each_reminder_once(tomorrow, mailoutbox):
    mailoutbox.clear()

    assert send_due_reminders.delay().get() == 2
    assert send_due_reminders.delay().get() == 0

    assert sorted(message.to[0] for message in mailoutbox) == [
        "ann@example.org",
        "bert@example.org",
    ]
    assert all(message.attachments[0][0].endswith(".ics") for message in mailoutbox)
    bert = next(message for message in mailoutbox if message.to == ["bert@example.org"])
    assert "Rondetafel morgen" in bert.subject  # in Bert's language


@pytest.mark.django_db
def test_nobody_on_the_waitlist_or_cancelled_is_reminded(tomorrow, mailoutbox):
    mailoutbox.clear()
    send_due_reminders.delay()

    reminded = set(
        Registration.objects.filter(reminder_sent_at__isnull=False).values_list(
            "user__email", flat=True
        )
    )
    assert reminded == {"ann@example.org", "bert@example.org"}


@pytest.mark.django_db
def test_no_reminder_goes_out_earlier_than_48_hours_before(roundtable, expert, mailoutbox):
    registration_create(roundtable=roundtable, user=expert)
    mailoutbox.clear()
    just_too_early = roundtable.starts_at - datetime.timedelta(hours=48, minutes=1)
    just_in_time = roundtable.starts_at - datetime.timedelta(hours=47, minutes=59)

    assert registration_reminders_send_due(now=just_too_early) == 0
    assert registration_reminders_send_due(now=just_in_time) == 1
    assert [message.to for message in mailoutbox] == [[expert.email]]


@pytest.mark.django_db
def test_no_reminder_once_the_roundtable_has_started(roundtable, expert, mailoutbox):
    registration_create(roundtable=roundtable, user=expert)
    mailoutbox.clear()

    assert registration_reminders_send_due(now=roundtable.starts_at) == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_someone_promoted_inside_the_last_48_hours_gets_no_reminder_on_top(
    make_roundtable, make_user, mailoutbox
):
    roundtable = make_roundtable(capacity=1)  # in a week
    first = registration_create(roundtable=roundtable, user=make_user("a@example.org"))
    registration_create(roundtable=roundtable, user=make_user("b@example.org"))
    two_days_before = roundtable.starts_at - datetime.timedelta(hours=47)
    registration_reminders_send_due(now=two_days_before)
    registration_cancel(registration=first, by=first.user, now=two_days_before)
    mailoutbox.clear()

    assert registration_reminders_send_due(now=two_days_before) == 0  # the promotion said it
    assert (
        registration_reminders_send_due(now=roundtable.starts_at - datetime.timedelta(hours=1)) == 0
    )
    assert mailoutbox == []


@pytest.mark.django_db
def test_someone_promoted_earlier_is_reminded_like_everyone(make_roundtable, make_user, mailoutbox):
    roundtable = make_roundtable(capacity=1)  # in a week
    first = registration_create(roundtable=roundtable, user=make_user("a@example.org"))
    registration_create(roundtable=roundtable, user=make_user("b@example.org"))
    registration_cancel(registration=first, by=first.user)
    mailoutbox.clear()

    registration_reminders_send_due(now=roundtable.starts_at - datetime.timedelta(hours=47))

    assert [message.to for message in mailoutbox] == [["b@example.org"]]


@pytest.mark.django_db
def test_a_confirmation_inside_the_last_48_hours_counts_as_the_reminder(
    make_roundtable, expert, mailoutbox
):
    roundtable = make_roundtable(starts_at=timezone.now() + datetime.timedelta(hours=20))
    registration_create(roundtable=roundtable, user=expert)

    assert send_due_reminders.delay().get() == 0
    assert Registration.objects.get().reminder_sent_at is not None


@pytest.mark.django_db
def test_a_reminder_that_fails_to_send_is_tried_again_at_the_next_run(
    roundtable, expert, mailoutbox, monkeypatch
):
    registration_create(roundtable=roundtable, user=expert)
    mailoutbox.clear()
    moment = roundtable.starts_at - datetime.timedelta(hours=24)

    def mail_server_down(**kwargs):
        raise SMTPException("421 try again later")

    with monkeypatch.context() as patch:
        patch.setattr(notices, "notice_send", mail_server_down)
        assert registration_reminders_send_due(now=moment) == 0
    assert Registration.objects.get().reminder_sent_at is None

    assert registration_reminders_send_due(now=moment) == 1
    assert len(mailoutbox) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_send_each_reminder_once(
    make_roundtable, make_user, mailoutbox
):
    roundtable = make_roundtable(
        capacity=30, starts_at=timezone.now() + datetime.timedelta(hours=24)
    )
    a_week_ago = timezone.now() - datetime.timedelta(days=7)
    for number in range(30):
        registration_create(
            roundtable=roundtable, user=make_user(f"p{number}@example.org"), now=a_week_ago
        )
    mailoutbox.clear()
    barrier = threading.Barrier(2)
    counts: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            counts.append(registration_reminders_send_due())
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(counts) == 30
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        f"p{number}@example.org" for number in range(30)
    )
