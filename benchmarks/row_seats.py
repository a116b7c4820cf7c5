"""Row 5: 200 people register at the same moment for a roundtable of 20 seats, five times.

As tests/roundtables/test_registration_create_concurrency.py does, but outside a test
transaction, against the bench database: each thread has its own database connection, as each
web process does, and at most ``CONNECTIONS`` hold one at a time (PostgreSQL allows 100 and the
machine is shared); the others wait for a connection, not for a seat.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections import Counter

from allauth.account.models import EmailAddress
from django.db import connection
from django.utils import timezone

from accounts.models import User
from benchmarks.context import Bench
from benchmarks.datagen import make_campaign
from benchmarks.report import Line
from roundtables.models import Registration, RegistrationStatus, RoundtableStatus
from roundtables.services import registration_create, roundtable_create

ROW = "5"
TITLE = "seats"
PEOPLE = 200
SEATS = 20
ROUNDS = 5
CONNECTIONS = 40
ROUND_TIMEOUT = 120.0


def _people() -> list[User]:
    users = [
        User(email=f"bench-rush{number:03d}@example.org", sector="academic")
        for number in range(PEOPLE)
    ]
    for user in users:
        user.set_unusable_password()
    users = User.objects.bulk_create(users)
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, primary=True, verified=True) for user in users]
    )
    return users


def _round(campaign, people: list[User], number: int) -> dict:
    starts = timezone.now() + datetime.timedelta(days=3)
    roundtable = roundtable_create(
        campaign=campaign,
        slug=f"bench-rondetafel-{number}",
        title_nl=f"Rondetafel {number}",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        capacity=SEATS,
        venue="Koningsstraat 10, 1000 Brussel",
        status=RoundtableStatus.PUBLISHED,
    )
    start = threading.Barrier(PEOPLE, timeout=ROUND_TIMEOUT)
    slots = threading.BoundedSemaphore(CONNECTIONS)
    told: dict[int, str] = {}
    errors: list[str] = []

    def register(user: User) -> None:
        try:
            start.wait()
            with slots:
                try:
                    told[user.pk] = registration_create(roundtable=roundtable, user=user).status
                finally:
                    connection.close()
        except BaseException as error:  # counted, not lost in the thread
            errors.append(f"{type(error).__name__}: {error}")

    threads = [threading.Thread(target=register, args=(user,), daemon=True) for user in people]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    deadline = started + ROUND_TIMEOUT
    for thread in threads:
        thread.join(timeout=max(deadline - time.monotonic(), 0.1))
    seconds = time.monotonic() - started
    hung = sum(thread.is_alive() for thread in threads)
    stored = Counter(
        Registration.objects.filter(roundtable=roundtable).values_list("status", flat=True)
    )
    replies = Counter(told.values())
    return {
        "confirmed": stored[RegistrationStatus.CONFIRMED],
        "waitlisted": stored[RegistrationStatus.WAITLISTED],
        "told_confirmed": replies[RegistrationStatus.CONFIRMED],
        "told_waitlisted": replies[RegistrationStatus.WAITLISTED],
        "errors": len(errors) + hung,
        "first_error": errors[0] if errors else ("threads still running" if hung else ""),
        "seconds": seconds,
    }


def run(bench: Bench) -> None:
    report = bench.report
    campaign, _invites = make_campaign("bench-roundtables", "Bench roundtables")
    people = _people()
    rounds = [_round(campaign, people, number) for number in range(1, ROUNDS + 1)]
    exact = [
        r["confirmed"] == SEATS
        and r["waitlisted"] == PEOPLE - SEATS
        and r["told_confirmed"] == SEATS
        and r["told_waitlisted"] == PEOPLE - SEATS
        and r["errors"] == 0
        for r in rounds
    ]
    report.add(
        Line(
            ROW,
            f"{PEOPLE} concurrent registrations for {SEATS} seats, {ROUNDS} rounds",
            f"{sum(exact)} of {ROUNDS} rounds exact",
            f"{SEATS} confirmed + {PEOPLE - SEATS} waitlisted",
            "—",
            f"{SEATS}/{PEOPLE - SEATS}/0 errors every round",
            passed=all(exact),
        )
    )
    for number, r in enumerate(rounds, start=1):
        report.note(
            ROW,
            f"round {number}: {r['confirmed']} confirmed, {r['waitlisted']} waitlisted stored "
            f"(replies: {r['told_confirmed']} confirmed, {r['told_waitlisted']} waitlisted), "
            f"{r['errors']} errors, {r['seconds']:.1f} s"
            + (f"; first error: {r['first_error'][:200]}" if r["first_error"] else ""),
        )
    report.note(
        ROW,
        f"roundtables.services.registration_create from {PEOPLE} threads released together by "
        f"a barrier, each with its own database connection, at most {CONNECTIONS} connections "
        "at a time; counts read back from the database and from the replies.",
    )
