"""roundtables.permissions: who may see and do what, as a matrix of personas."""

import pytest
from django.contrib.auth.models import AnonymousUser

from roundtables import permissions
from roundtables.models import Outcome, RoundtableStatus
from roundtables.services import registration_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def personas(make_user, staff, expert, other_expert):
    return {
        "anonymous": AnonymousUser(),
        "unverified": make_user("new@example.org", verified=False),
        "inactive": make_user("gone@example.org", is_active=False),
        "registrant": expert,
        "other expert": other_expert,
        "staff": staff,
    }


@pytest.fixture
def registration(roundtable, expert):
    return registration_create(roundtable=roundtable, user=expert)


def allowed(predicate, personas, obj):
    return {name for name, user in personas.items() if predicate(user, obj)}


EVERYONE = {"anonymous", "unverified", "inactive", "registrant", "other expert", "staff"}


@pytest.mark.parametrize(
    ("predicate", "expected"),
    [
        (permissions.can_view_registration, {"registrant", "staff"}),
        (permissions.can_cancel_registration, {"registrant", "staff"}),
        (permissions.can_check_in_registration, {"staff"}),
    ],
)
def test_registration_predicates(personas, registration, predicate, expected):
    assert allowed(predicate, personas, registration) == expected


@pytest.mark.parametrize(
    ("predicate", "expected"),
    [
        (permissions.can_view_roundtable, EVERYONE),
        (permissions.can_register_for_roundtable, {"registrant", "other expert", "staff"}),
        (permissions.can_list_registrations, {"staff"}),
        (permissions.can_record_outcome, {"staff"}),
        (permissions.can_manage_roundtable, {"staff"}),
        (permissions.can_change_roundtable_capacity, {"staff"}),
    ],
)
def test_roundtable_predicates(personas, roundtable, predicate, expected):
    assert allowed(predicate, personas, roundtable) == expected


def test_only_staff_see_a_draft_roundtable_and_nobody_registers_for_it(personas, make_roundtable):
    draft = make_roundtable(status=RoundtableStatus.DRAFT)

    assert allowed(permissions.can_view_roundtable, personas, draft) == {"staff"}
    assert allowed(permissions.can_register_for_roundtable, personas, draft) == set()


def test_an_outcome_is_public_with_its_roundtable(personas, roundtable, staff, make_roundtable):
    outcome = Outcome(roundtable=roundtable, summary="s", author=staff)
    hidden = Outcome(
        roundtable=make_roundtable(status=RoundtableStatus.DRAFT), summary="s", author=staff
    )

    assert allowed(permissions.can_view_outcome, personas, outcome) == EVERYONE
    assert allowed(permissions.can_view_outcome, personas, hidden) == {"staff"}
