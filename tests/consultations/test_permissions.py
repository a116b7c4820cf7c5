"""Who sees what, written around the people who use the platform."""

import pytest
from django.contrib.auth.models import AnonymousUser

from consultations.permissions import (
    can_manage_campaign,
    can_view_campaign,
    can_view_organisation_reach,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(staff, coordinator, expert):
    return {
        "anonymous": AnonymousUser(),
        "staff": staff,
        "coordinator": coordinator,
        "expert": expert,
    }


@pytest.mark.parametrize(
    ("person", "published", "draft"),
    [
        ("anonymous", True, False),
        ("expert", True, False),
        ("coordinator", True, False),
        ("staff", True, True),
    ],
)
def test_anyone_sees_a_published_campaign_and_only_staff_a_draft(
    people, campaign, draft_campaign, person, published, draft
):
    assert can_view_campaign(people[person], campaign) is published
    assert can_view_campaign(people[person], draft_campaign) is draft


@pytest.mark.parametrize(
    ("person", "allowed"),
    [("anonymous", False), ("expert", False), ("coordinator", False), ("staff", True)],
)
def test_only_staff_manage_campaigns(people, campaign, person, allowed):
    assert can_manage_campaign(people[person], campaign) is allowed


@pytest.mark.parametrize(
    ("person", "own", "other"),
    [
        ("anonymous", False, False),
        ("expert", False, False),
        ("coordinator", True, False),
        ("staff", True, True),
    ],
)
def test_a_coordinator_sees_the_reach_of_their_own_organisation_only(
    people, organisation, other_organisation, person, own, other
):
    assert can_view_organisation_reach(people[person], organisation) is own
    assert can_view_organisation_reach(people[person], other_organisation) is other


def test_a_deactivated_account_loses_its_rights(staff, coordinator, organisation, draft_campaign):
    staff.is_active = coordinator.is_active = False
    assert not can_view_campaign(staff, draft_campaign)
    assert not can_manage_campaign(staff, draft_campaign)
    assert not can_view_organisation_reach(coordinator, organisation)
