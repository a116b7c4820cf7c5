"""roundtables.selectors.roundtable_list_public and roundtable_get_public."""

import datetime

import pytest
from django.utils import timezone

from config.exceptions import NotFoundError
from consultations.models import CampaignStatus
from consultations.services import campaign_create
from roundtables.models import RoundtableStatus
from roundtables.selectors import roundtable_get_public, roundtable_list_public, seats_left
from roundtables.services import registration_create

pytestmark = pytest.mark.django_db


def days(number):
    return timezone.now() + datetime.timedelta(days=number)


def test_upcoming_roundtables_come_first_soonest_first_then_past_ones_latest_first(
    make_roundtable,
):
    make_roundtable(slug="past-long-ago", starts_at=days(-30))
    make_roundtable(slug="in-a-month", starts_at=days(30))
    make_roundtable(slug="past-last-week", starts_at=days(-7))
    make_roundtable(slug="next-week", starts_at=days(7))

    slugs = [roundtable.slug for roundtable in roundtable_list_public()]

    assert slugs == ["next-week", "in-a-month", "past-last-week", "past-long-ago"]


def test_upcoming_only_leaves_out_ended_roundtables(make_roundtable):
    make_roundtable(slug="past", starts_at=days(-7))
    make_roundtable(slug="soon", starts_at=days(7))

    assert [r.slug for r in roundtable_list_public(upcoming=True)] == ["soon"]


def test_drafts_cancelled_ones_and_draft_campaigns_are_left_out(make_roundtable):
    make_roundtable(slug="published")
    make_roundtable(slug="draft", status=RoundtableStatus.DRAFT)
    make_roundtable(slug="cancelled", status=RoundtableStatus.CANCELLED)
    draft_campaign = campaign_create(slug="nog-niet", title_nl="Nog niet")
    assert draft_campaign.status == CampaignStatus.DRAFT
    make_roundtable(slug="of-a-draft-campaign", campaign=draft_campaign)

    assert [r.slug for r in roundtable_list_public()] == ["published"]


def test_it_filters_by_campaign(make_roundtable, campaign):
    other = campaign_create(slug="ander", title_nl="Ander")
    other.status = CampaignStatus.CONSULTING
    other.save()
    make_roundtable(slug="ours")
    make_roundtable(slug="theirs", campaign=other)

    assert [r.slug for r in roundtable_list_public(campaign=campaign)] == ["ours"]


def test_seats_left_come_in_the_same_query_whatever_the_number_of_roundtables(
    make_roundtable, make_user, django_assert_num_queries
):
    for number in range(4):
        roundtable = make_roundtable(capacity=3)
        for person in range(number):
            registration_create(
                roundtable=roundtable, user=make_user(f"p{number}-{person}@example.org")
            )

    with django_assert_num_queries(1):
        counts = [(seats_left(r), r.waitlist_length) for r in roundtable_list_public()]

    assert counts == [(3, 0), (2, 0), (1, 0), (0, 0)]


def test_a_full_roundtable_has_no_seat_left_and_a_waitlist(make_roundtable, make_user):
    roundtable = make_roundtable(capacity=1)
    for number in range(3):
        registration_create(roundtable=roundtable, user=make_user(f"p{number}@example.org"))

    found = roundtable_get_public(pk=roundtable.pk)

    assert (seats_left(found), found.waitlist_length) == (0, 2)
    assert seats_left(roundtable) == 0  # counted when not annotated


def test_a_roundtable_is_found_by_slug_and_a_draft_is_not(make_roundtable):
    published = make_roundtable(slug="open")
    make_roundtable(slug="concept", status=RoundtableStatus.DRAFT)

    assert roundtable_get_public(slug="open") == published
    with pytest.raises(NotFoundError):
        roundtable_get_public(slug="concept")


def test_a_cancelled_roundtable_can_still_be_opened(make_roundtable):
    cancelled = make_roundtable(slug="afgelast", status=RoundtableStatus.CANCELLED)

    assert roundtable_get_public(pk=cancelled.pk) == cancelled
