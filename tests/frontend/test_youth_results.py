"""What happened with your voice: the receipt page says when results are expected, then shows the
summary of the young person's own age band with bar charts (pure HTML and CSS, small numbers
hidden), in their language; the campaign's public results page shows the same per age band."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import formats, translation

from analysis.feedback import youth_feedback_publish, youth_feedback_save
from analysis.services import survey_results_refresh
from consultations.models import AgeBand, Campaign, CampaignStatus
from surveys.models import Question
from surveys.services import response_submit
from tests.frontend.html_checks import parse, text_of
from tests.frontend.test_youth_page_weight import PAGE_BUDGET, page_weight
from tests.frontend.youth_survey import make_youth_survey, ui

pytestmark = pytest.mark.django_db

EXPECTED_ON = datetime.date(2027, 3, 15)  # make_youth_survey's campaign
TEXTS = {
    "told_us_nl": "Jullie vertelden ons dat sporten het leukst is.",
    "we_did_nl": "We schreven het in ons rapport voor de VN.",
    "next_steps_nl": "In juni praten we met de minister.",
    "told_us_fr": "Vous nous avez dit que le sport est ce que vous préférez.",
    "we_did_fr": "Nous l'avons écrit dans notre rapport pour l'ONU.",
    "next_steps_fr": "En juin, nous parlons avec la ministre.",
}


@dataclass
class VoiceWorld:
    campaign: Campaign
    receipt_nl: str  # a 7-year-old who answered in Dutch
    receipt_fr: str  # a 7-year-old who answered in French
    receipt_13: str  # a 13-year-old


def submit(survey, *, age: int, language: str, answers: dict) -> str:
    return response_submit(
        survey=survey,
        client_token=uuid.uuid4(),
        language=language,
        age=age,
        invite_code=None,
        assent=True,
        answers=answers,
    ).receipt


def make_voice_world() -> VoiceWorld:
    """24 young people aged 7 (half in Dutch, half in French) and 12 aged 13; k = 10.

    Aged 7, free time: sport 12, music 8, games 4, reading 0 (music and games hidden); feeling
    safe: 5 faces 14 times, 4 faces 10 times. Aged 13: music 6, games 6 (both hidden), no sport:
    each hidden cell has another hidden beside it in its row, so no number of the table has to
    be hidden to protect the other band's (analysis.suppression.protect_rows)."""
    demo = make_youth_survey()
    survey = demo.survey
    free_time = ["sport"] * 12 + ["music"] * 8 + ["games"] * 4
    safe = [5] * 14 + [4] * 10
    receipts = {}
    for index, (choice, face) in enumerate(zip(free_time, safe, strict=True)):
        language = "nl" if index % 2 else "fr"
        receipts[language] = submit(
            survey,
            age=7,
            language=language,
            answers={"free_time": choice, "feel_safe": face},
        )
    for index in range(12):
        receipts["13"] = submit(
            survey,
            age=13,
            language="nl",
            answers={"free_time": ["music", "games"][index % 2], "feel_safe": 3},
        )
    survey_results_refresh(survey=survey)
    return VoiceWorld(demo.campaign, receipts["nl"], receipts["fr"], receipts["13"])


def publish(world: VoiceWorld) -> None:
    """The staff's summary for ages 6-8, showing free time and feeling safe, published."""
    campaign = world.campaign
    youth_feedback_save(
        campaign=campaign,
        age_band=AgeBand.objects.get(campaign=campaign, code="6-8"),
        texts=TEXTS,
        question_ids=Question.objects.filter(
            survey__campaign=campaign, key__in=["free_time", "feel_safe"]
        ).values_list("pk", flat=True),
        user=None,
    )
    youth_feedback_publish(campaign=campaign, user=None)


def expected_on(language: str, date: datetime.date | None = EXPECTED_ON) -> str:
    if date is None:
        return ui(
            language,
            "The results are not ready yet. Come back later to see what young people said and "
            "what was done with it.",
        )
    with translation.override(language):
        shown = formats.date_format(date, "DATE_FORMAT")
    return ui(
        language,
        "Results are expected on %(date)s. Come back then to see what young people said and "
        "what was done with it.",
        date=shown,
    )


def bars(html: bytes) -> dict[str, str]:
    """{option label: the number written beside its bar} of the page's charts."""
    text = html.decode()
    rows = {}
    for chunk in text.split('<li class="bar')[1:]:
        label = text_of(
            chunk.split('<span class="bar-label">')[1].split('<span class="bar-number">')[0]
        )
        number = text_of(chunk.split('<span class="bar-number">')[1].split("</span>")[0])
        rows[label] = number
    return rows


@pytest.fixture
def world() -> VoiceWorld:
    return make_voice_world()


@pytest.fixture
def youth():
    return Client()


# --- The receipt page -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_before_publication_the_receipt_says_when_results_are_expected(youth, world, language):
    code = world.receipt_nl if language == "nl" else world.receipt_fr

    page = youth.get(f"/r/{code}/")

    assert page.status_code == 200
    assert parse(page.content).html_lang == language
    assert expected_on(language) in text_of(page.content)
    assert not parse(page.content).find("ul", class_="chart")


def test_without_a_date_the_receipt_says_results_come_later(youth, world):
    Campaign.objects.filter(pk=world.campaign.pk).update(results_expected_on=None)

    page = youth.get(f"/r/{world.receipt_nl}/")

    assert expected_on("nl", None) in text_of(page.content)


def test_after_publication_the_receipt_shows_the_dutch_summary_and_charts_of_the_band(youth, world):
    publish(world)

    page = youth.get(f"/r/{world.receipt_nl}/")

    text = text_of(page.content)
    assert expected_on("nl") not in text
    for name in ["told_us_nl", "we_did_nl", "next_steps_nl"]:
        assert TEXTS[name] in text
    assert ui("nl", "What you told us") in text
    assert "Wat doe je graag?" in text  # the easy-read wording 6-8 was asked
    assert "⚽" in text and "🎵" in text
    hidden = ui("nl", "not shown")
    assert bars(page.content) == {
        "⚽ Sporten": ui("nl", "%(count)s of %(total)s", count=12, total=24),
        "🎵 Muziek": hidden,
        "🎮 Gamen": hidden,
        "📚 Lezen": ui("nl", "%(count)s of %(total)s", count=0, total=24),
        "😢 Heel slecht": ui("nl", "%(count)s of %(total)s", count=0, total=24),
        "🙁 Slecht": ui("nl", "%(count)s of %(total)s", count=0, total=24),
        "😐 Gaat wel": ui("nl", "%(count)s of %(total)s", count=0, total=24),
        "🙂 Goed": ui("nl", "%(count)s of %(total)s", count=10, total=24),
        "😄 Heel goed": ui("nl", "%(count)s of %(total)s", count=14, total=24),
    }
    html = parse(page.content)
    assert len(html.find("span", class_="bar-fill w-50")) == 1  # sport: 12 of 24
    assert len(html.find("span", class_="bar-fill w-60")) == 1  # very good: 14 of 24 (58 %)
    assert html.find("span", class_="bar-track", aria_hidden="true")
    assert html.csp_problems == []


def test_after_publication_a_french_speaker_reads_it_in_french(youth, world):
    publish(world)

    page = youth.get(f"/r/{world.receipt_fr}/")

    assert parse(page.content).html_lang == "fr"
    text = text_of(page.content)
    assert TEXTS["told_us_fr"] in text
    assert TEXTS["told_us_nl"] not in text
    assert "Que préfères-tu faire pendant ton temps libre" in text  # no easy French wording
    assert "⚽ Faire du sport" in bars(page.content)
    assert bars(page.content)["😄 Très bien"] == ui(
        "fr", "%(count)s of %(total)s", count=14, total=24
    )


def test_a_language_chosen_on_the_page_wins_over_the_language_of_the_answers(youth, world):
    publish(world)
    youth.cookies["django_language"] = "en"

    page = youth.get(f"/r/{world.receipt_fr}/")

    assert parse(page.content).html_lang == "en"
    text = text_of(page.content)
    assert "What you told us" in text
    assert TEXTS["told_us_nl"] in text  # no English summary: Dutch, the first language
    assert "⚽ Sports" in bars(page.content)


def test_an_older_band_sees_its_own_numbers_hidden_when_small_and_no_summary_yet(youth, world):
    publish(world)
    youth.cookies["django_language"] = "en"

    page = youth.get(f"/r/{world.receipt_13}/")

    text = text_of(page.content)
    assert "We have not written a summary for your age yet." in text
    assert "What young people aged 12 to 14 answered" in text
    assert bars(page.content)["⚽ Sports"] == "0 of 12 (0%)"
    assert bars(page.content)["🎵 Music"] == "not shown"
    assert bars(page.content)["🎮 Gaming"] == "not shown"
    # Not "fewer than 10": one of the two may be hidden only to protect the other.
    why = "We do not show small numbers (under 10), and sometimes one more number"
    assert text.count(why) == 1  # under the one chart with hidden bars
    assert "12 young people your age answered." in text
    # The 24 younger ones are never counted on this page.
    assert not [number for number in bars(page.content).values() if "24" in number]
    # social_media is asked from 12: its chart says too few answered rather than 0 of 12.
    assert "Fewer than 10 young people your age answered this question." in text


def test_the_receipt_page_with_its_results_stays_within_the_youth_page_budget(youth, world):
    publish(world)

    html, css, js = page_weight(youth.get(f"/r/{world.receipt_nl}/"))

    assert html + css + js <= PAGE_BUDGET


# --- The public results page ----------------------------------------------------------------------


def results_url(world: VoiceWorld, band: str | None = None) -> str:
    url = f"/c/{world.campaign.slug}/results/"
    return f"{url}?band={band}" if band else url


def test_the_public_page_says_when_results_are_expected_before_publication(youth, world):
    page = youth.get(results_url(world))

    assert page.status_code == 200
    assert expected_on("nl") in text_of(page.content)
    assert not parse(page.content).find("nav", class_="band-picker")


def test_the_public_page_shows_the_youngest_band_first_and_a_link_per_band(youth, world):
    publish(world)
    youth.cookies["django_language"] = "en"

    page = youth.get(results_url(world))

    html = parse(page.content)
    links = [link["href"] for link in html.find("a") if (link.get("href") or "").startswith("?")]
    assert links == ["?band=6-8", "?band=9-11", "?band=12-14", "?band=15-17"]
    assert html.find("a", href="?band=6-8", aria_current="page")
    assert TEXTS["told_us_nl"] in text_of(page.content)
    assert bars(page.content)["⚽ Sports"] == "12 of 24"
    assert html.csp_problems == []


def test_the_public_page_shows_the_band_chosen(youth, world):
    publish(world)
    youth.cookies["django_language"] = "en"

    page = youth.get(results_url(world, "12-14"))

    assert parse(page.content).find("a", href="?band=12-14", aria_current="page")
    assert bars(page.content)["🎵 Music"] == "not shown"


def test_an_unknown_band_gets_a_friendly_note_and_the_youngest_band(youth, world):
    publish(world)
    youth.cookies["django_language"] = "en"

    page = youth.get(results_url(world, "<script>"))

    assert page.status_code == 200
    assert "We do not know this age group." in text_of(page.content)
    assert parse(page.content).find("a", href="?band=6-8", aria_current="page")
    assert "<script>" not in page.content.decode()


def test_the_public_page_follows_the_visitors_language(youth, world):
    publish(world)
    youth.cookies["django_language"] = "fr"

    page = youth.get(results_url(world))

    assert TEXTS["next_steps_fr"] in text_of(page.content)
    assert "⚽ Faire du sport" in bars(page.content)


def test_a_draft_campaign_has_no_results_page(youth, world):
    Campaign.objects.filter(pk=world.campaign.pk).update(status=CampaignStatus.DRAFT)

    assert youth.get(results_url(world)).status_code == 404
    assert youth.get("/c/no-such-campaign/results/").status_code == 404
