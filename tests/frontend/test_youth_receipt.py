"""The receipt pages: a young person looks up their code and can take their answers back."""

import uuid

import pytest
from django.test import Client

from surveys.models import Response
from surveys.services import response_submit
from tests.frontend.html_checks import parse, text_of
from tests.frontend.youth_survey import make_youth_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def receipt():
    demo = make_youth_survey()
    result = response_submit(
        survey=demo.survey,
        client_token=uuid.uuid4(),
        language="fr",
        age=10,
        invite_code=None,
        assent=True,
        answers={"free_time": "music"},
    )
    return result.receipt


@pytest.fixture
def youth():
    return Client(enforce_csrf_checks=True)


def test_the_receipt_page_says_the_answers_were_received_and_when_results_come(youth, receipt):
    youth.cookies["django_language"] = "en"

    page = youth.get(f"/r/{receipt}/")

    assert page.status_code == 200
    text = text_of(page.content)
    assert receipt in text
    assert "We received your answers on" in text
    assert "Results are expected on" in text
    assert parse(page.content).find("a", href=f"/r/{receipt}/withdraw/")


def test_the_receipt_page_speaks_the_language_of_the_answers_unless_one_was_chosen(youth, receipt):
    assert parse(youth.get(f"/r/{receipt}/").content).html_lang == "fr"

    youth.cookies["django_language"] = "en"
    assert parse(youth.get(f"/r/{receipt}/").content).html_lang == "en"


@pytest.mark.parametrize("typed", ["lower", "no dash", "spaces"])
def test_a_code_typed_in_lower_case_or_without_dash_finds_the_receipt(youth, receipt, typed):
    written = {
        "lower": receipt.lower(),
        "no dash": receipt.replace("-", ""),
        "spaces": f" {receipt[:4]} {receipt[5:]} ",
    }[typed]

    page = youth.get("/r/", {"code": written}, follow=True)

    assert page.request["PATH_INFO"] == f"/r/{receipt}/"
    assert page.status_code == 200


def test_a_code_in_the_address_is_tidied_up(youth, receipt):
    response = youth.get(f"/r/{receipt.replace('-', '').lower()}/")

    assert response.status_code == 302
    assert response["Location"] == f"/r/{receipt}/"


def test_the_form_to_type_a_code_works_without_javascript(youth, db):
    page = parse(youth.get("/r/").content)

    (form,) = page.find("form", action="/r/")
    assert form["method"] == "get"
    assert page.find("input", name="code")
    assert page.find("label", for_="code")


def test_an_unknown_code_gets_a_friendly_404_with_the_form_again(youth, receipt):
    youth.cookies["django_language"] = "en"
    page = youth.get("/r/ZZZZ-ZZZZ/")

    assert page.status_code == 404
    assert "We do not know this code" in text_of(page.content)
    assert parse(page.content).find("input", name="code", value="ZZZZ-ZZZZ", aria_invalid="true")


def test_taking_the_answers_back_asks_first_then_withdraws(youth, receipt):
    youth.cookies["django_language"] = "en"
    confirm = youth.get(f"/r/{receipt}/withdraw/")
    assert confirm.status_code == 200
    assert "Take your answers back?" in text_of(confirm.content)
    assert Response.objects.get().withdrawn_at is None
    token, *_others = parse(confirm.content).find("input", name="csrfmiddlewaretoken")

    done = youth.post(
        f"/r/{receipt}/withdraw/", {"csrfmiddlewaretoken": token["value"]}, follow=True
    )

    assert done.request["PATH_INFO"] == f"/r/{receipt}/"
    assert Response.objects.get().withdrawn_at is not None
    assert "You took your answers back" in text_of(done.content)
    assert not parse(done.content).find("a", href=f"/r/{receipt}/withdraw/")


def test_withdrawing_twice_is_harmless(youth, receipt):
    confirm = youth.get(f"/r/{receipt}/withdraw/")
    token, *_others = parse(confirm.content).find("input", name="csrfmiddlewaretoken")
    youth.post(f"/r/{receipt}/withdraw/", {"csrfmiddlewaretoken": token["value"]})
    first = Response.objects.get().withdrawn_at

    again = youth.post(f"/r/{receipt}/withdraw/", {"csrfmiddlewaretoken": token["value"]})

    assert again.status_code == 302
    assert Response.objects.get().withdrawn_at == first
    assert youth.get(f"/r/{receipt}/withdraw/").status_code == 302


def test_withdrawing_needs_the_csrf_token(youth, receipt):
    assert youth.post(f"/r/{receipt}/withdraw/").status_code == 403
    assert Response.objects.get().withdrawn_at is None


def test_guessing_codes_is_slowed_down(youth, receipt, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "receipt_lookup": "3/min",
        },
    }
    for guess in ["AAAA-AAAA", "BBBB-BBBB", "CCCC-CCCC"]:
        assert youth.get(f"/r/{guess}/").status_code == 404

    refused = youth.get(f"/r/{receipt}/")

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0


def test_the_receipt_pages_are_free_of_inline_scripts_and_styles(youth, receipt):
    for url in ["/r/", f"/r/{receipt}/", f"/r/{receipt}/withdraw/", "/r/ZZZZ-ZZZZ/"]:
        assert parse(youth.get(url).content).csp_problems == [], url
