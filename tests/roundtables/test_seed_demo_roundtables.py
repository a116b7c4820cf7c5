"""roundtables.demo.seed_demo_roundtables: one almost full roundtable, one with a waitlist."""

import pytest
from allauth.account.models import EmailAddress

from accounts.models import User
from roundtables.demo import seed_demo_roundtables
from roundtables.models import Registration
from roundtables.selectors import roundtable_get_public

pytestmark = pytest.mark.django_db


def test_it_seeds_an_almost_full_roundtable_and_one_with_a_waitlist(campaign, expert):
    almost_full, with_waitlist = seed_demo_roundtables(campaign=campaign, experts=[expert])

    almost_full = roundtable_get_public(pk=almost_full.pk)
    with_waitlist = roundtable_get_public(pk=with_waitlist.pk)
    assert (almost_full.capacity, almost_full.seats_taken, almost_full.seats_left) == (12, 11, 1)
    assert (with_waitlist.capacity, with_waitlist.seats_left, with_waitlist.waitlist_length) == (
        8,
        0,
        3,
    )
    # The expert handed in has a seat at the one with the waitlist, and can try cancelling.
    assert Registration.objects.get(user=expert).roundtable == with_waitlist
    assert Registration.objects.get(user=expert).status == "confirmed"


def test_running_it_twice_changes_nothing(campaign, expert):
    first = seed_demo_roundtables(campaign=campaign, experts=[expert])
    counts = (User.objects.count(), Registration.objects.count())

    second = seed_demo_roundtables(campaign=campaign, experts=[expert])

    assert [r.pk for r in first] == [r.pk for r in second]
    assert (User.objects.count(), Registration.objects.count()) == counts


def test_the_demo_registrants_cannot_sign_in_but_are_verified(campaign):
    seed_demo_roundtables(campaign=campaign, experts=[])

    demo = User.objects.filter(email__startswith="demo-expert-")
    assert demo.count() == 22
    assert not any(user.has_usable_password() for user in demo)
    assert EmailAddress.objects.filter(user__in=demo, verified=True, primary=True).count() == 22
    assert Registration.objects.count() == 11 + 11
