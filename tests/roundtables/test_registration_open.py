"""roundtables.selectors.registration_open: published, not started, inside its window."""

import datetime

import pytest

from roundtables.models import RoundtableStatus
from roundtables.selectors import registration_open
from roundtables.services import registration_create

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def windowed(make_roundtable):
    roundtable = make_roundtable()
    roundtable.registration_opens_at = roundtable.starts_at - 48 * HOUR
    roundtable.registration_closes_at = roundtable.starts_at - 24 * HOUR
    roundtable.save()
    return roundtable


def test_it_is_open_inside_the_window_only(windowed):
    start = windowed.starts_at

    assert not registration_open(windowed, now=start - 49 * HOUR)
    assert registration_open(windowed, now=start - 48 * HOUR)
    assert registration_open(windowed, now=start - 25 * HOUR)
    assert not registration_open(windowed, now=start - 24 * HOUR)


def test_without_a_window_it_is_open_until_the_start(roundtable):
    assert registration_open(roundtable, now=roundtable.starts_at - HOUR)
    assert not registration_open(roundtable, now=roundtable.starts_at)


@pytest.mark.parametrize("status", [RoundtableStatus.DRAFT, RoundtableStatus.CANCELLED])
def test_it_is_closed_unless_published(make_roundtable, status):
    assert not registration_open(make_roundtable(status=status))


def test_a_full_roundtable_stays_open_for_the_waitlist(make_roundtable, expert):
    roundtable = make_roundtable(capacity=1)
    registration_create(roundtable=roundtable, user=expert)

    assert registration_open(roundtable)
