"""The results page: per question the published numbers, small cells "not shown", a
breakdown chosen without JavaScript, a chart image, and only the snapshot read."""

from __future__ import annotations

import uuid

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analysis.models import ResultSnapshot
from analysis.services import survey_results_refresh
from surveys.services import response_submit
from tests.analysis.conftest import (  # noqa: F401  (fixtures)
    _english_messages,
    add_question,
    campaign,
    invites,
    seed_responses,
    survey,
)
from tests.frontend.html_checks import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user(
        email="analyst@coalition.example", password="x" * 20, is_staff=True
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    client.force_login(user)
    return client


def submit(survey, answers, *, age=10, language="nl"):  # noqa: F811
    response_submit(
        survey=survey,
        client_token=uuid.uuid4(),
        language=language,
        age=age,
        invite_code=None,
        assent=True,
        answers=answers,
    )


@pytest.fixture
def small_survey(survey):  # noqa: F811
    """k = 5: sport is football 6, swimming 6, dance 2 among 14 young people (all aged 10)."""
    for sport in ["football"] * 6 + ["swimming"] * 6 + ["dance"] * 2:
        submit(survey, {"sport": sport, "mood": 4})
    survey_results_refresh(survey=survey)
    return survey


def results_url(survey, by=None):  # noqa: F811
    return f"/staff/surveys/{survey.slug}/results/" + (f"?by={by}" if by else "")


def test_a_small_count_is_shown_as_below_k_with_an_explanation(staff_client, small_survey):
    text = text_of(staff_client.get(results_url(small_survey)).content)

    assert "swimming (en) 6 (43%)" in text
    assert "dance (en) not shown" in text
    # One hidden cell could be worked out from n = 14: football is hidden as well.
    assert "football (en) not shown" in text
    assert "2 (14%)" not in text
    assert "a number below 5 is never shown" in text


def test_a_group_under_k_is_hidden_whole_in_a_breakdown(staff_client, small_survey):
    submit(small_survey, {"sport": "football"}, age=16)
    survey_results_refresh(survey=small_survey)

    text = text_of(staff_client.get(results_url(small_survey, "age_band")).content)

    assert "Question sport, by Age band" in text
    assert "9-11" in text
    assert "15-17" in text
    assert "n = not shown" in text  # the single 15-17 year old is not published


def test_the_breakdown_selector_lists_every_dimension_and_keeps_the_choice(
    staff_client, small_survey
):
    page = staff_client.get(results_url(small_survey, "language")).content.decode()

    assert '<select name="by" id="id_by">' in page
    for key in ("age_band", "organisation", "language", "sport", "say"):
        assert f'<option value="{key}"' in page
    assert '<option value="language" selected>' in page
    assert "Responses by Language" in text_of(page.encode())


def test_an_unknown_breakdown_shows_all_answers_with_a_message(staff_client, small_survey):
    response = staff_client.get(results_url(small_survey, "shoe_size"))

    assert response.status_code == 200
    assert "This breakdown does not exist" in text_of(response.content)


def test_the_page_shows_when_the_results_were_computed_and_links_each_chart(
    staff_client, small_survey
):
    page = staff_client.get(results_url(small_survey, "age_band")).content.decode()

    assert "Computed at" in page and "from 14 responses" in page
    assert f'src="/staff/surveys/{small_survey.slug}/results/sport.svg?by=age_band"' in page
    assert "story.svg" not in page  # open answers have no chart, only an answered count


def test_a_chart_is_an_svg_image_with_small_counts_hidden(staff_client, small_survey):
    response = staff_client.get(f"/staff/surveys/{small_survey.slug}/results/sport.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<?xml")
    assert b"not shown" in response.content


def test_an_open_question_has_no_chart(staff_client, small_survey):
    url = f"/staff/surveys/{small_survey.slug}/results/story.svg"
    assert staff_client.get(url).status_code == 404


def test_refresh_now_recomputes_and_says_so(staff_client, small_survey):
    submit(small_survey, {"sport": "dance"})
    before = ResultSnapshot.objects.get(survey=small_survey).computed_at

    response = staff_client.post(
        f"/staff/surveys/{small_survey.slug}/results/refresh/", {"by": "age_band"}, follow=True
    )

    assert response.redirect_chain[-1][0] == results_url(small_survey, "age_band")
    assert "computed again" in text_of(response.content)
    snapshot = ResultSnapshot.objects.get(survey=small_survey)
    assert snapshot.response_count == 15 and snapshot.computed_at > before


def test_a_survey_without_results_yet_says_so(staff_client, survey):  # noqa: F811
    text = text_of(staff_client.get(results_url(survey)).content)
    assert "These results have not been computed yet." in text


def test_the_survey_list_shows_responses_and_when_they_were_computed(staff_client, small_survey):
    text = text_of(staff_client.get("/staff/surveys/").content)
    assert "Op school" in text and "14" in text


def page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"].lower() for query in queries.captured_queries]


def test_the_page_reads_the_snapshot_never_the_answers_in_a_fixed_number_of_queries(
    staff_client,
    seed_responses,  # noqa: F811
):
    seeded = seed_responses(count=40, seed=5)
    survey_results_refresh(survey=seeded.survey)
    url = results_url(seeded.survey, "sport")
    few = page_queries(staff_client, url)

    for index in range(20):
        add_question(seeded.survey, f"extra_{index}", "single", options=["a", "b"])
    survey_results_refresh(survey=seeded.survey)
    many = page_queries(staff_client, url)

    assert len(many) == len(few) <= 15
    assert not [sql for sql in few + many if "surveys_answer" in sql or "surveys_response" in sql]
