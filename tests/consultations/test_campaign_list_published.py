import datetime

import pytest

from config.exceptions import NotFoundError
from consultations.selectors import (
    campaign_get,
    campaign_get_published,
    campaign_list_published,
)

pytestmark = pytest.mark.django_db


def test_drafts_are_not_published(make_campaign):
    make_campaign(slug="draft", status="draft")
    published = [make_campaign(slug=s, status=s) for s in ("consulting", "reporting", "closed")]
    assert set(campaign_list_published()) == set(published)


def test_the_most_recent_start_comes_first_and_undated_ones_last(make_campaign):
    make_campaign(slug="old", starts_on=datetime.date(2024, 1, 1))
    make_campaign(slug="undated")
    make_campaign(slug="new", starts_on=datetime.date(2026, 1, 1))
    assert [c.slug for c in campaign_list_published()] == ["new", "old", "undated"]


def test_a_draft_cannot_be_fetched_as_published(draft_campaign):
    with pytest.raises(NotFoundError):
        campaign_get_published(slug=draft_campaign.slug)
    assert campaign_get(slug=draft_campaign.slug) == draft_campaign


def test_an_unknown_slug_is_not_found(db):
    with pytest.raises(NotFoundError):
        campaign_get_published(slug="nope")
    with pytest.raises(NotFoundError):
        campaign_get(slug="nope")
