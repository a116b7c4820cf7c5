"""roundtables.selectors.registration_list_for_user and waitlist_position: my registrations."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from roundtables.selectors import (
    registration_list_for_roundtable,
    registration_list_for_user,
    waitlist_position,
)
from roundtables.services import registration_cancel, registration_create

pytestmark = pytest.mark.django_db


def test_a_person_sees_only_their_own_registrations_soonest_first(
    make_roundtable, expert, other_expert
):
    later = make_roundtable(starts_at=timezone.now() + datetime.timedelta(days=20))
    sooner = make_roundtable(starts_at=timezone.now() + datetime.timedelta(days=2))
    registration_create(roundtable=later, user=expert)
    registration_create(roundtable=sooner, user=expert)
    registration_create(roundtable=sooner, user=other_expert)

    mine = list(registration_list_for_user(user=expert))

    assert [r.roundtable for r in mine] == [sooner, later]
    assert {r.user for r in mine} == {expert}


def test_cancelled_registrations_are_left_out_unless_asked_for(roundtable, expert):
    registration_cancel(
        registration=registration_create(roundtable=roundtable, user=expert), by=expert
    )

    assert list(registration_list_for_user(user=expert)) == []
    assert len(registration_list_for_user(user=expert, include_cancelled=True)) == 1


def test_an_anonymous_visitor_has_no_registrations(roundtable):
    assert list(registration_list_for_user(user=AnonymousUser())) == []


def test_waitlist_positions_follow_arrival_and_move_up(make_roundtable, make_user):
    roundtable = make_roundtable(capacity=1)
    people = [make_user(f"p{n}@example.org") for n in range(4)]
    registrations = [registration_create(roundtable=roundtable, user=p) for p in people]

    registration_cancel(registration=registrations[1], by=people[1])

    listed = {r.user: r.waitlist_position for r in registration_list_for_user(user=people[3])}
    assert listed == {people[3]: 2}
    assert [waitlist_position(r) for r in registrations] == [None, None, 1, 2]
    assert [
        (r.user, r.waitlist_position)
        for r in registration_list_for_roundtable(roundtable=roundtable)
    ] == [(people[0], None), (people[2], 1), (people[3], 2), (people[1], None)]
