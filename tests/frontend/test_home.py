import datetime

import pytest

from consultations.models import CampaignStatus
from tests.frontend.html_checks import text_of

pytestmark = pytest.mark.django_db


def test_it_lists_published_campaigns_and_hides_drafts(client, make_campaign):
    make_campaign("open", title_nl="Spelen in de buurt", status=CampaignStatus.CONSULTING)
    make_campaign("done", title_nl="Gezond eten", status=CampaignStatus.CLOSED)
    make_campaign("secret", title_nl="Nog niet klaar", status=CampaignStatus.DRAFT)

    page = text_of(client.get("/").content)

    assert "Spelen in de buurt" in page
    assert "Gezond eten" in page
    assert "Nog niet klaar" not in page


def test_each_campaign_links_to_its_own_page(client, published_campaign):
    response = client.get("/")

    assert b'href="/c/op-school/"' in response.content


def test_it_shows_the_title_summary_and_dates_in_the_visitors_language(client, published_campaign):
    dutch = text_of(client.get("/").content)
    client.cookies["django_language"] = "fr"
    french = text_of(client.get("/").content)

    assert "Jouw stem op school" in dutch
    assert "Wat vind jij van je school?" in dutch
    assert "1 maart 2026" in dutch and "30 juni 2026" in dutch
    assert "Ta voix à l'école" in french
    assert "Que penses-tu de ton école ?" in french
    assert "1 mars 2026" in french and "30 juin 2026" in french


def test_it_falls_back_to_dutch_when_a_title_is_missing_in_the_visitors_language(
    client, make_campaign
):
    make_campaign("alleen-nl", title_nl="Alleen in het Nederlands")

    client.cookies["django_language"] = "fr"
    french = text_of(client.get("/").content)

    assert "Alleen in het Nederlands" in french


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (CampaignStatus.CONSULTING, "Open: have your say"),
        (CampaignStatus.ANALYSING, "Closed: we are reading all the answers"),
        (CampaignStatus.REPORTING, "We are writing down what we learned"),
        (CampaignStatus.CLOSED, "Finished"),
    ],
)
def test_it_says_in_words_where_a_campaign_stands(client, make_campaign, status, words):
    make_campaign("theme", status=status)

    client.cookies["django_language"] = "en"
    page = text_of(client.get("/").content)

    assert words in page


def test_it_shows_only_the_dates_a_campaign_has(client, make_campaign):
    make_campaign("open-end", starts_on=datetime.date(2026, 9, 1))

    client.cookies["django_language"] = "en"
    page = text_of(client.get("/").content)

    assert "From Sept. 1, 2026" in page
    assert "From Sept. 1, 2026 to" not in page


def test_it_says_so_when_there_is_nothing_to_take_part_in(client, make_campaign):
    make_campaign("secret", status=CampaignStatus.DRAFT)

    client.cookies["django_language"] = "en"
    page = text_of(client.get("/").content)

    assert "There is no theme to take part in right now" in page
