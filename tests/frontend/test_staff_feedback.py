"""The staff page for feedback to young people: a form per age band with the three texts in
Dutch, French and English and the questions to show, a preview per band and language, and
publishing or unpublishing after a confirmation. Staff only; bad input changes nothing."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client

from accounts.models import User
from analysis.feedback import TEXT_MAX_LENGTH, youth_feedback_publish, youth_feedback_save
from analysis.models import YouthFeedback, YouthFeedbackPublication
from consultations.models import AgeBand
from surveys.models import Question
from tests.frontend.html_checks import parse, text_of
from tests.frontend.test_youth_results import TEXTS, VoiceWorld, bars, make_voice_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.STAFF_MFA_REQUIRED = False


@pytest.fixture
def world() -> VoiceWorld:
    return make_voice_world()


@pytest.fixture
def staff() -> User:
    return User.objects.create_user(
        email="analist@coalitie.example", password="x" * 20, is_staff=True
    )


@pytest.fixture
def staff_client(staff) -> Client:
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(staff)
    return client


def band(world: VoiceWorld, code: str) -> AgeBand:
    return AgeBand.objects.get(campaign=world.campaign, code=code)


def page_url(world: VoiceWorld, rest: str = "") -> str:
    return f"/staff/campaigns/{world.campaign.slug}/feedback/{rest}"


def band_url(world: VoiceWorld, code: str, rest: str = "") -> str:
    return page_url(world, f"bands/{band(world, code).pk}/{rest}")


def form_data(world: VoiceWorld, code: str, questions=(), **texts) -> dict:
    prefix = f"band-{band(world, code).pk}"
    data = {f"{prefix}-{name}": value for name, value in texts.items()}
    data[f"{prefix}-questions"] = [str(question.pk) for question in questions]
    return data


def question(world: VoiceWorld, key: str) -> Question:
    return Question.objects.get(survey__campaign=world.campaign, key=key)


# --- Who may --------------------------------------------------------------------------------------


def every_url(world: VoiceWorld) -> list[str]:
    return [
        page_url(world),
        band_url(world, "6-8", "preview/nl/"),
        page_url(world, "publish/"),
        page_url(world, "unpublish/"),
    ]


def test_signed_out_visitors_are_sent_to_sign_in(world):
    visitor = Client()
    responses = {url: visitor.get(url) for url in every_url(world)}
    responses["save"] = visitor.post(band_url(world, "6-8"), {})
    for url, response in responses.items():
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_signed_in_people_who_are_not_staff_are_refused_and_change_nothing(world):
    expert = Client()
    expert.force_login(User.objects.create_user(email="expert@ugent.example", password="x" * 20))
    for url in every_url(world):
        assert expert.get(url).status_code == 403, url
    assert (
        expert.post(band_url(world, "6-8"), form_data(world, "6-8", told_us_nl="Hack")).status_code
        == 403
    )
    assert expert.post(page_url(world, "publish/")).status_code == 403
    assert not YouthFeedback.objects.exists()
    assert not YouthFeedbackPublication.objects.exists()


# --- The page and saving --------------------------------------------------------------------------


def test_the_page_has_a_form_per_age_band_with_three_texts_in_three_languages(staff_client, world):
    page = staff_client.get(page_url(world))

    assert page.status_code == 200
    html = parse(page.content)
    for code in ["6-8", "9-11", "12-14", "15-17"]:
        pk = band(world, code).pk
        assert html.find("form", action=band_url(world, code), method="post")
        for part in ["told_us", "we_did", "next_steps"]:
            for language in ["nl", "fr", "en"]:
                (textarea,) = html.find("textarea", name=f"band-{pk}-{part}_{language}")
                assert textarea["lang"] == language
                assert html.find("label", for_=textarea["id"])
        for language in ["nl", "fr", "en"]:
            assert html.find("a", href=band_url(world, code, f"preview/{language}/"))
    text = text_of(page.content)
    assert "Not published." in text
    assert "Results are expected on" in text
    assert html.csp_problems == []


def test_the_question_choice_offers_the_closed_questions_asked_of_the_band(staff_client, world):
    html = parse(staff_client.get(page_url(world)).content)

    def offered(code: str) -> set[str]:
        name = f"band-{band(world, code).pk}-questions"
        ids = {box["value"] for box in html.find("input", type="checkbox", name=name)}
        return set(Question.objects.filter(pk__in=ids).values_list("key", flat=True))

    assert offered("6-8") == {"free_time", "which_sport", "feel_safe"}
    assert offered("12-14") == {"free_time", "which_sport", "feel_safe", "social_media"}


def test_saving_a_band_stores_its_texts_and_questions_and_comes_back(staff_client, staff, world):
    data = form_data(
        world,
        "6-8",
        questions=[question(world, "feel_safe")],
        told_us_nl="Jullie zeiden: meer sport.",
        we_did_fr="Nous l'avons écrit.",
    )

    response = staff_client.post(band_url(world, "6-8"), data)

    assert response.status_code == 302
    assert response["Location"] == page_url(world) + f"#band-{band(world, '6-8').pk}"
    feedback = YouthFeedback.objects.get()
    assert feedback.age_band.code == "6-8"
    assert feedback.told_us_nl == "Jullie zeiden: meer sport."
    assert feedback.we_did_fr == "Nous l'avons écrit."
    assert feedback.next_steps_en == ""
    assert feedback.updated_by == staff
    assert list(feedback.questions.values_list("key", flat=True)) == ["feel_safe"]
    page = staff_client.get(page_url(world))
    assert "The summary for ages 6-8 is saved." in text_of(page.content)
    html = parse(page.content)
    pk = band(world, "6-8").pk
    checked = {
        box["value"] for box in html.find("input", name=f"band-{pk}-questions") if "checked" in box
    }
    assert checked == {str(question(world, "feel_safe").pk)}
    assert "Jullie zeiden: meer sport." in page.content.decode()


def test_a_text_too_long_is_refused_beside_its_field_and_nothing_is_saved(staff_client, world):
    data = form_data(world, "9-11", told_us_nl="Kort.", we_did_nl="x" * (TEXT_MAX_LENGTH + 1))

    response = staff_client.post(band_url(world, "9-11"), data)

    assert response.status_code == 400
    assert not YouthFeedback.objects.exists()
    assert f"at most {TEXT_MAX_LENGTH} characters" in text_of(response.content)
    assert "Kort." in response.content.decode()  # what was typed is still there


def test_a_question_not_offered_is_refused(staff_client, world):
    data = form_data(world, "6-8", questions=[question(world, "social_media")], told_us_nl="Hoi")

    response = staff_client.post(band_url(world, "6-8"), data)

    assert response.status_code == 400
    assert not YouthFeedback.objects.exists()


def test_an_unknown_band_or_campaign_is_not_found(staff_client, world):
    assert staff_client.post(page_url(world, "bands/999999/"), {}).status_code == 404
    assert staff_client.get(page_url(world, "bands/999999/preview/nl/")).status_code == 404
    assert staff_client.get(band_url(world, "6-8", "preview/de/")).status_code == 404
    assert staff_client.get("/staff/campaigns/no-such-campaign/feedback/").status_code == 404


# --- Preview --------------------------------------------------------------------------------------


def test_the_preview_shows_the_unpublished_summary_as_young_people_will_see_it(staff_client, world):
    youth_feedback_save(
        campaign=world.campaign,
        age_band=band(world, "6-8"),
        texts=TEXTS,
        question_ids=[question(world, "free_time").pk],
        user=None,
    )

    page = staff_client.get(band_url(world, "6-8", "preview/fr/"))

    assert page.status_code == 200
    assert parse(page.content).html_lang == "fr"
    text = text_of(page.content)
    assert TEXTS["told_us_fr"] in text
    assert "⚽ Faire du sport" in bars(page.content)
    assert not YouthFeedbackPublication.objects.exists()
    # Young people still read "results are expected".
    assert TEXTS["told_us_fr"] not in text_of(Client().get(f"/r/{world.receipt_fr}/").content)


# --- Publishing -----------------------------------------------------------------------------------


def test_publishing_asks_first_then_publishes(staff_client, staff, world):
    staff_client.post(band_url(world, "6-8"), form_data(world, "6-8", told_us_nl="Jullie zeiden"))

    confirm = staff_client.get(page_url(world, "publish/"))

    assert confirm.status_code == 200
    assert "Publish the results to young people?" in text_of(confirm.content)
    assert not YouthFeedbackPublication.objects.exists()
    assert parse(confirm.content).find("form", method="post", class_="button-row")

    done = staff_client.post(page_url(world, "publish/"))

    assert done.status_code == 302
    publication = YouthFeedbackPublication.objects.get()
    assert publication.published_by == staff
    page = staff_client.get(page_url(world))
    assert "The results are published" in text_of(page.content)
    assert parse(page.content).find("a", href=page_url(world, "unpublish/"))
    assert "Jullie zeiden" in text_of(Client().get(f"/r/{world.receipt_nl}/").content)


def test_publishing_without_a_dutch_summary_is_refused_with_a_reason(staff_client, world):
    staff_client.post(band_url(world, "6-8"), form_data(world, "6-8", told_us_fr="Vous avez dit"))

    confirm = staff_client.get(page_url(world, "publish/"))
    assert not parse(confirm.content).find("form", method="post", class_="button-row")
    staff_client.post(page_url(world, "publish/"))

    assert not YouthFeedbackPublication.objects.exists()
    page = staff_client.get(page_url(world))
    assert "the campaign's first language, before publishing" in text_of(page.content)


def test_unpublishing_asks_first_then_hides_the_results_again(staff_client, world):
    youth_feedback_save(
        campaign=world.campaign,
        age_band=band(world, "6-8"),
        texts=TEXTS,
        question_ids=[],
        user=None,
    )
    youth_feedback_publish(campaign=world.campaign, user=None)

    confirm = staff_client.get(page_url(world, "unpublish/"))
    assert "Unpublish the results?" in text_of(confirm.content)
    assert YouthFeedbackPublication.objects.exists()

    staff_client.post(page_url(world, "unpublish/"))

    assert not YouthFeedbackPublication.objects.exists()
    assert TEXTS["told_us_nl"] not in text_of(Client().get(f"/r/{world.receipt_nl}/").content)
    again = staff_client.post(page_url(world, "unpublish/"), follow=True)
    assert "The results were not published." in text_of(again.content)
