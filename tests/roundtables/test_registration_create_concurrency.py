"""200 people register for 20 seats at the same moment: exactly 20 get one, the rest wait in
order of arrival, nobody sees an error (issue 4, acceptance 1; DESIGN §8 "seats").

Each thread has its own database connection, as each web process does. PostgreSQL allows 100
connections by default (and CI shares them), so at most ``CONNECTIONS`` threads hold one at a
time, like a server with that many workers; the other threads queue for a connection, not for
a seat.
"""

from __future__ import annotations

import datetime
import threading

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.utils import timezone

from accounts.models import User
from roundtables.models import Registration, RegistrationStatus
from roundtables.selectors import registration_list_for_roundtable, waitlist_position
from roundtables.services import registration_create

PEOPLE = 200
SEATS = 20
CONNECTIONS = 40
TIME_LIMIT = 120  # seconds for one round; a deadlock fails the test instead of hanging it


def make_people(count: int) -> list[User]:
    users = User.objects.bulk_create(
        [
            User(email=f"rush{number:03d}@example.org", sector="academic", password="!")
            for number in range(count)
        ]
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, primary=True, verified=True) for user in users]
    )
    return users


@pytest.mark.postgres
@pytest.mark.parametrize("round_number", range(1, 6))
def test_200_concurrent_registrations_for_20_seats_give_20_seats_and_a_waitlist_in_order(
    round_number, transactional_db, make_roundtable
):
    roundtable = make_roundtable(
        capacity=SEATS, starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    people = make_people(PEOPLE)
    start = threading.Barrier(PEOPLE, timeout=TIME_LIMIT)
    connections = threading.BoundedSemaphore(CONNECTIONS)
    results: dict[int, tuple[str, int | None, int]] = {}
    errors: list[BaseException] = []

    def register(user: User) -> None:
        try:
            start.wait()
            with connections:
                try:
                    registration = registration_create(roundtable=roundtable, user=user)
                    told = (registration.status, waitlist_position(registration))
                finally:
                    connection.close()
            results[user.pk] = (*told, registration.sequence)
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=register, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    deadline = timezone.now() + datetime.timedelta(seconds=TIME_LIMIT)
    for thread in threads:
        thread.join(timeout=max((deadline - timezone.now()).total_seconds(), 0.1))

    assert not any(thread.is_alive() for thread in threads), "registrations did not finish"
    assert errors == []
    assert len(results) == PEOPLE

    statuses = [status for status, _position, _sequence in results.values()]
    assert statuses.count(RegistrationStatus.CONFIRMED) == SEATS
    assert statuses.count(RegistrationStatus.WAITLISTED) == PEOPLE - SEATS

    stored = list(registration_list_for_roundtable(roundtable=roundtable))
    assert Registration.objects.filter(roundtable=roundtable).count() == PEOPLE
    assert [r.status for r in stored] == ["confirmed"] * SEATS + ["waitlisted"] * (PEOPLE - SEATS)
    # Arrival order: the seats went to the first 20 arrivals, and the waitlist follows arrival.
    assert [r.sequence for r in stored] == list(range(1, PEOPLE + 1))
    waitlist = stored[SEATS:]
    assert [r.waitlist_position for r in waitlist] == list(range(1, PEOPLE - SEATS + 1))
    created = [r.created_at for r in stored]
    assert created == sorted(created)
    # Everyone was told the place they still hold now.
    for registration in waitlist:
        told_status, told_position, told_sequence = results[registration.user_id]
        assert (told_status, told_position, told_sequence) == (
            "waitlisted",
            registration.waitlist_position,
            registration.sequence,
        )
