"""The staff campaign overview page: four accessible tables, small cells "not shown" with
an explanation, withdrawn responses left out, and staff only."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings as django_settings

from tests.analysis.test_overview import build_scenario
from tests.frontend.html_checks import parse, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def make_user(django_user_model):
    def make(email: str, **fields):
        user = django_user_model.objects.create_user(email=email, password="x" * 20, **fields)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        return user

    return make


@pytest.fixture
def scenario():
    return build_scenario(k=5)


@pytest.fixture
def url(scenario) -> str:
    return f"/staff/campaigns/{scenario.campaign.slug}/overview/"


def test_an_anonymous_visitor_is_sent_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_an_expert_is_refused_and_sees_no_number(client, make_user, url):
    client.force_login(make_user("expert@example.org"))

    response = client.get(url)

    assert response.status_code == 403
    assert "Coalition staff only" in text_of(response.content)
    assert "Chiro Gent" not in text_of(response.content)


def test_staff_see_the_four_breakdowns_with_small_cells_hidden(client, make_user, url):
    client.force_login(make_user("analyst@coalition.example", is_staff=True))

    response = client.get(url)

    assert response.status_code == 200
    text = text_of(response.content)
    assert "18 responses in all surveys of this campaign" in text
    assert "Chiro Gent overview 10" in text
    assert "Scouts Leuven overview not shown" in text
    assert "Without an invite link not shown" in text
    assert "12-14 7" in text
    assert "Dutch 10" in text and "French not shown" in text
    assert "a number below 5 is not shown" in text
    assert "Each reads “not shown”: it may be small or not." in text
    # The withdrawn responses (KSA, aged 6-8) are not counted.
    assert "KSA Brugge overview 0" in text and "6-8 0" in text
    assert "Scouts Leuven overview 3" not in text and "French 3" not in text


def test_every_table_has_a_caption_and_scoped_headers(client, make_user, url):
    client.force_login(make_user("analyst@coalition.example", is_staff=True))

    page = parse(client.get(url).content)

    tables = [attrs for tag, attrs in page.elements if tag == "table"]
    captions = [attrs for tag, attrs in page.elements if tag == "caption"]
    headers = [attrs for tag, attrs in page.elements if tag == "th"]
    assert len(tables) == len(captions) == 4
    assert headers and all(attrs.get("scope") in ("col", "row") for attrs in headers)
    assert "suppression-note" in page.ids
    assert page.csp_problems == []


def test_a_campaign_that_does_not_exist_is_not_found(client, make_user):
    client.force_login(make_user("analyst@coalition.example", is_staff=True))

    assert client.get("/staff/campaigns/nowhere/overview/").status_code == 404


def test_the_survey_list_links_to_the_overview(client, make_user, scenario, url):
    client.force_login(make_user("analyst@coalition.example", is_staff=True))

    assert f'href="{url}"' in client.get("/staff/surveys/").content.decode()
