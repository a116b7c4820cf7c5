"""GET /api/v1/receipts/{code}/ with the results: null until the campaign publishes them, then
the summary and the numbers of the young person's own age band, suppressed (DESIGN §6)."""

from __future__ import annotations

import pytest

from analysis.feedback import youth_feedback_unpublish
from tests.frontend.test_youth_results import TEXTS, VoiceWorld, make_voice_world, publish

pytestmark = pytest.mark.django_db


def url(code: str) -> str:
    return f"/api/v1/receipts/{code}/"


@pytest.fixture
def world() -> VoiceWorld:
    return make_voice_world()


def options(question: dict) -> dict[str, tuple[int | None, bool]]:
    return {
        option["value"]: (option["count"], option["suppressed"]) for option in question["options"]
    }


def test_results_are_null_until_the_campaign_publishes_them(client, world):
    body = client.get(url(world.receipt_fr)).json()

    assert body["results"] is None
    assert body["results_expected_on"] == "2027-03-15"


def test_once_published_the_receipt_has_its_age_bands_summary_in_its_language(client, world):
    publish(world)

    body = client.get(url(world.receipt_fr)).json()

    results = body["results"]
    assert body["language"] == "fr"
    assert results["language"] == "fr"
    assert results["age_band"] == "6-8"
    assert results["min_cell_size"] == 10
    assert results["published_at"]
    assert results["told_us"] == TEXTS["told_us_fr"]
    assert results["we_did"] == TEXTS["we_did_fr"]
    assert results["next_steps"] == TEXTS["next_steps_fr"]
    free_time, feel_safe = results["questions"]
    assert free_time["key"] == "free_time"
    assert free_time["n"] == 24
    assert options(free_time) == {
        "sport": (12, False),
        "music": (None, True),
        "games": (None, True),
        "reading": (0, False),
    }
    sport = free_time["options"][0]
    assert (sport["label"], sport["emoji"], sport["share"]) == ("Faire du sport", "⚽", 50)
    assert feel_safe["kind"] == "scale"
    assert options(feel_safe)["5"] == (14, False)


def test_lang_chooses_the_language_of_the_results_too(client, world):
    publish(world)

    results = client.get(url(world.receipt_fr), {"lang": "nl"}).json()["results"]

    assert results["language"] == "nl"
    assert results["told_us"] == TEXTS["told_us_nl"]
    assert results["questions"][0]["text"] == "Wat doe je graag?"  # easy-read for 6-8
    assert results["questions"][0]["options"][0]["label"] == "Sporten"


def test_an_older_young_person_gets_the_numbers_of_their_own_band_only(client, world):
    publish(world)

    results = client.get(url(world.receipt_13)).json()["results"]

    assert results["age_band"] == "12-14"
    assert results["told_us"] == ""  # staff wrote no summary for 12-14
    free_time = next(q for q in results["questions"] if q["key"] == "free_time")
    assert free_time["n"] == 12
    assert options(free_time)["sport"] == (0, False)
    assert options(free_time)["music"] == (None, True)
    assert options(free_time)["games"] == (None, True)


def test_unpublishing_makes_the_results_null_again(client, world):
    publish(world)
    youth_feedback_unpublish(campaign=world.campaign)

    assert client.get(url(world.receipt_nl)).json()["results"] is None
