"""GET /api/v1/campaigns/{slug}/codebook/ and /quotes/: staff only, small counts hidden."""

from __future__ import annotations

import pytest

from analysis.coding import answer_coding_save, code_create
from tests.analysis.conftest import submit_open_answer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_two_step_verification(settings):
    settings.STAFF_MFA_REQUIRED = False


@pytest.fixture
def coded(campaign, survey, analyst):
    """k = 5. Of 12-14, seven young people said something about play, five of them about food
    and one of them something rare; six of 15-17 about play; two of 9-11 about food; one of
    6-8 was read and coded with nothing."""
    play = code_create(
        campaign=campaign, label="Play", description="Free time", article_numbers=[31], user=analyst
    )
    food = code_create(campaign=campaign, label="Food", user=analyst)
    rare = code_create(campaign=campaign, label="Rare", user=analyst)
    plan = (
        [(13, [play, food])] * 5
        + [(13, [play, rare]), (13, [play])]
        + [(16, [play])] * 6
        + [(10, [food])] * 2
        + [(7, [])]
    )
    for position, (age, codes) in enumerate(plan):
        answer = submit_open_answer(survey, f"Answer {position}", age=age)
        answer_coding_save(
            answer_id=answer.pk,
            campaign=campaign,
            code_ids=[code.pk for code in codes],
            is_quote=position == 0,
            user=analyst,
        )
    submit_open_answer(survey, "Not yet read", age=16, language="fr")
    return {"play": play, "food": food, "rare": rare}


def test_staff_get_the_codebook_with_frequencies_and_small_counts_hidden(
    client, campaign, coded, analyst
):
    client.force_login(analyst)
    response = client.get(f"/api/v1/campaigns/{campaign.slug}/codebook/")

    assert response.status_code == 200
    body = response.json()
    assert body["campaign"] == campaign.slug
    assert body["min_cell_size"] == 5
    assert body["coded_responses"] == 16
    assert body["open_answers"] == {"total": 17, "coded": 16, "uncoded": 1, "quotes": 1}
    # 6-8 (1) and 9-11 (2) are small; together under k, so the next-smallest band (15-17: 6)
    # is hidden as well, or 16 - 7 - 6 would tell how many the two small bands hold.
    assert body["age_bands"] == [
        {"age_band": "6-8", "n": None, "suppressed": True},
        {"age_band": "9-11", "n": None, "suppressed": True},
        {"age_band": "12-14", "n": 7, "suppressed": False},
        {"age_band": "15-17", "n": None, "suppressed": True},
    ]
    food, play, rare = body["codes"]  # by label
    assert play["id"] == coded["play"].pk
    assert play["label"] == "Play"
    assert play["description"] == "Free time"
    assert play["articles"] == [{"code": "31", "number": 31, "title": play["articles"][0]["title"]}]
    assert play["articles"][0]["title"]
    assert play["frequency"]["count"] == 13
    assert play["frequency"]["suppressed"] is False
    # 12-14's 7 is hidden too: its band also hides a small count of another code, which must
    # not be the overall count minus the other bands' (analysis.suppression.protect_rows).
    assert [(cell["age_band"], cell["count"]) for cell in play["frequency"]["by_age_band"]] == [
        ("6-8", None),
        ("9-11", None),
        ("12-14", None),
        ("15-17", None),
    ]
    # Rare (1) is under k; alone it could be worked out, so food (the next-smallest) goes too.
    assert rare["frequency"] == {
        "count": None,
        "suppressed": True,
        "by_age_band": [
            {"age_band": band, "count": None, "suppressed": True}
            for band in ("6-8", "9-11", "12-14", "15-17")
        ],
    }
    assert food["frequency"]["count"] is None
    assert [cell["count"] for cell in food["frequency"]["by_age_band"]] == [None] * 4


def test_every_published_count_is_zero_or_at_least_k(client, campaign, coded, analyst):
    client.force_login(analyst)
    body = client.get(f"/api/v1/campaigns/{campaign.slug}/codebook/").json()
    k = body["min_cell_size"]
    cells = [*body["age_bands"]]
    for code in body["codes"]:
        cells += [code["frequency"], *code["frequency"]["by_age_band"]]
    for cell in cells:
        count = cell.get("count", cell.get("n"))
        assert cell["suppressed"] == (count is None)
        assert count is None or count == 0 or count >= k


def test_staff_get_the_quotes(client, campaign, survey, coded, analyst):
    client.force_login(analyst)
    response = client.get(f"/api/v1/campaigns/{campaign.slug}/quotes/")

    assert response.status_code == 200
    [quote] = response.json()
    assert quote == {
        "id": quote["id"],
        "text": "Answer 0",
        "question": "story",
        "survey": survey.slug,
        "age_band": "12-14",
        "language": "nl",
        "codes": ["Food", "Play"],
    }
    assert client.get(f"/api/v1/campaigns/{campaign.slug}/quotes/?language=fr").json() == []


def test_an_unknown_language_for_quotes_is_a_400_naming_it(client, campaign, analyst):
    client.force_login(analyst)
    response = client.get(f"/api/v1/campaigns/{campaign.slug}/quotes/?language=klingon")
    assert response.status_code == 400
    assert "language" in response.json()["errors"]


@pytest.mark.parametrize("path", ["codebook", "quotes"])
def test_an_unknown_campaign_is_a_404(client, analyst, path):
    client.force_login(analyst)
    response = client.get(f"/api/v1/campaigns/no-such-campaign/{path}/")
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["codebook", "quotes"])
def test_anyone_but_staff_is_refused(client, campaign, coded, django_user_model, path):
    url = f"/api/v1/campaigns/{campaign.slug}/{path}/"
    assert client.get(url).status_code in (401, 403)
    expert = django_user_model.objects.create_user(email="expert@example.org", password="x" * 20)
    client.force_login(expert)
    response = client.get(url)
    assert response.status_code == 403
    assert "codes" not in response.content.decode()


@pytest.mark.parametrize("path", ["codebook", "quotes"])
def test_staff_without_two_step_verification_are_refused_when_it_is_required(
    client, campaign, analyst, settings, path
):
    settings.STAFF_MFA_REQUIRED = True
    client.force_login(analyst)
    assert client.get(f"/api/v1/campaigns/{campaign.slug}/{path}/").status_code == 403
