import datetime

import pytest

from consultations.models import CampaignStatus, CrcArticle
from tests.frontend.html_checks import text_of

pytestmark = pytest.mark.django_db


def test_it_shows_the_campaign_with_its_dates_and_childrens_rights(client, published_campaign):
    published_campaign.results_expected_on = datetime.date(2026, 12, 1)
    published_campaign.save()
    published_campaign.theme_articles.set(CrcArticle.objects.filter(code__in=["12", "28"]))

    client.cookies["django_language"] = "en"
    page = text_of(client.get("/c/op-school/").content)

    assert "Your voice at school" in page
    assert "Open: have your say" in page
    assert "From March 1, 2026 to June 30, 2026" in page
    assert "Results expected on Dec. 1, 2026" in page
    assert "Article 12: Respect for the views of the child" in page
    assert "Article 28" in page


def test_it_shows_the_campaign_in_dutch_by_default(client, published_campaign):
    page = text_of(client.get("/c/op-school/").content)

    assert "Jouw stem op school" in page
    assert "Wat vind jij van je school?" in page


def test_a_draft_campaign_is_not_found(client, make_campaign):
    make_campaign("not-yet", status=CampaignStatus.DRAFT)

    assert client.get("/c/not-yet/").status_code == 404


def test_an_unknown_campaign_is_not_found(client, db):
    assert client.get("/c/does-not-exist/").status_code == 404


def test_it_invites_young_people_into_its_open_surveys(client, published_campaign):
    from surveys.models import Survey, SurveyStatus

    Survey.objects.create(
        campaign=published_campaign,
        slug="hoe-gaat-het",
        title_nl="Hoe gaat het?",
        status=SurveyStatus.OPEN,
    )
    Survey.objects.create(
        campaign=published_campaign, slug="nog-niet", title_nl="Nog niet", status=SurveyStatus.DRAFT
    )

    html = client.get("/c/op-school/").content.decode()

    assert 'href="/s/hoe-gaat-het/"' in html
    assert "/s/nog-niet/" not in html


def test_it_points_experts_to_the_roundtables_and_their_calendar(client, published_campaign):
    from roundtables.models import Roundtable, RoundtableStatus

    html = client.get("/c/op-school/").content.decode()
    assert "/roundtables/?campaign=op-school" not in html

    start = datetime.datetime(2031, 5, 1, 14, 0, tzinfo=datetime.UTC)
    Roundtable.objects.create(
        campaign=published_campaign,
        slug="rt",
        title_nl="Rondetafel",
        capacity=10,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        venue="Huis van het Kind, Gent",
        status=RoundtableStatus.PUBLISHED,
    )
    html = client.get("/c/op-school/").content.decode()

    assert 'href="/roundtables/?campaign=op-school"' in html
    assert 'href="/c/op-school/calendar.ics"' in html
