import itertools

import pytest

from config.exceptions import InvalidInputError
from consultations.models import Campaign, CampaignStatus
from consultations.services import campaign_transition

pytestmark = pytest.mark.django_db

ALLOWED = {
    ("draft", "consulting"),
    ("consulting", "analysing"),
    ("analysing", "consulting"),
    ("analysing", "reporting"),
    ("reporting", "closed"),
}
ALL_PAIRS = list(itertools.product(CampaignStatus.values, repeat=2))


@pytest.mark.parametrize(("from_status", "to_status"), sorted(ALLOWED))
def test_it_moves_a_campaign_to_an_allowed_next_status(make_campaign, from_status, to_status):
    campaign = make_campaign(status=from_status)
    returned = campaign_transition(campaign=campaign, to_status=to_status)
    assert returned.status == to_status
    campaign.refresh_from_db()
    assert campaign.status == to_status


@pytest.mark.parametrize(
    ("from_status", "to_status"), [pair for pair in ALL_PAIRS if pair not in ALLOWED]
)
def test_it_refuses_every_other_move_and_changes_nothing(make_campaign, from_status, to_status):
    campaign = make_campaign(status=from_status)
    with pytest.raises(InvalidInputError) as raised:
        campaign_transition(campaign=campaign, to_status=to_status)
    assert raised.value.field == "status"
    assert Campaign.objects.get(pk=campaign.pk).status == from_status


def test_the_refusal_says_where_the_campaign_can_go_instead(make_campaign):
    campaign = make_campaign(status="analysing")
    with pytest.raises(InvalidInputError) as raised:
        campaign_transition(campaign=campaign, to_status="closed")
    assert raised.value.message == (
        "A campaign cannot go from Analysing to Closed; "
        "from Analysing it can go to: Consulting, Reporting."
    )


def test_a_closed_campaign_is_final(make_campaign):
    campaign = make_campaign(status="closed")
    with pytest.raises(InvalidInputError) as raised:
        campaign_transition(campaign=campaign, to_status="reporting")
    assert raised.value.message == "A campaign cannot go from Closed to Reporting; Closed is final."


def test_it_refuses_an_unknown_status(make_campaign):
    campaign = make_campaign(status="draft")
    with pytest.raises(InvalidInputError) as raised:
        campaign_transition(campaign=campaign, to_status="published")
    assert raised.value.message == (
        "Unknown status 'published'; statuses are draft, consulting, analysing, reporting, closed."
    )


def test_it_judges_by_the_stored_status_not_a_stale_copy(make_campaign):
    campaign = make_campaign(status="draft")
    stale = Campaign.objects.get(pk=campaign.pk)
    campaign_transition(campaign=campaign, to_status="consulting")
    with pytest.raises(InvalidInputError):
        campaign_transition(campaign=stale, to_status="consulting")
    assert stale.status == "consulting"


def test_a_published_campaign_is_every_status_but_draft(make_campaign):
    assert not make_campaign(slug="a", status="draft").is_published
    assert all(
        make_campaign(slug=status, status=status).is_published
        for status in CampaignStatus.values
        if status != "draft"
    )
