import datetime

import pytest

from consultations.models import Campaign, CampaignStatus


@pytest.fixture
def make_campaign(db):
    """A campaign as staff would have published it (or left it in draft)."""

    def make(slug: str = "school", *, status: str = CampaignStatus.CONSULTING, **fields):
        fields.setdefault("title_nl", f"Campagne {slug}")
        return Campaign.objects.create(slug=slug, status=status, **fields)

    return make


@pytest.fixture
def published_campaign(make_campaign):
    return make_campaign(
        "op-school",
        title_nl="Jouw stem op school",
        title_fr="Ta voix à l'école",
        title_en="Your voice at school",
        summary_nl="Wat vind jij van je school?",
        summary_fr="Que penses-tu de ton école ?",
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 6, 30),
    )
