"""Staff author surveys in the admin, preview them, and cannot break answered ones."""

from __future__ import annotations

import html
import uuid

import pytest
from django.urls import reverse

from surveys.models import Option, Question, Survey
from surveys.services import response_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(admin_client, settings):
    settings.STAFF_MFA_REQUIRED = False
    admin_client.cookies["django_language"] = "en"
    return admin_client


@pytest.fixture
def answered(survey) -> Survey:
    response_submit(
        survey=survey,
        client_token=uuid.uuid4(),
        language="nl",
        age=10,
        invite_code=None,
        assent=True,
        answers={"sport": "football"},
    )
    return survey


def text(response) -> str:
    return html.unescape(response.content.decode())


def management(prefix: str, total: int, initial: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


# --- The survey page and its preview -------------------------------------------------------------


def test_the_survey_page_lists_its_questions_and_links_the_preview(admin, survey):
    response = admin.get(reverse("admin:surveys_survey_change", args=[survey.pk]))

    assert response.status_code == 200
    page = text(response)
    assert reverse("admin:surveys_survey_preview", args=[survey.pk]) in page
    for key in ("mood", "sport", "priorities"):
        assert f'value="{key}"' in page
    assert "No responses yet" in page
    assert "questions-0-DELETE" in page


def test_the_preview_shows_the_survey_as_a_nine_year_old_sees_it(admin, survey):
    url = reverse("admin:surveys_survey_preview", args=[survey.pk])

    page = text(admin.get(url, {"language": "nl", "age": 9}))

    assert "Hoe gaat het met jou op school?" in page  # easy-read wording
    assert "Heel goed" in page and "😄" in page  # the scale's points
    assert "Football (nl)" in page
    assert "Only shown when sport is answered with football." in page
    assert "Vraag say" not in page  # from age 12


def test_the_preview_at_thirteen_in_english_shows_the_older_questions(admin, survey):
    url = reverse("admin:surveys_survey_preview", args=[survey.pk])

    page = text(admin.get(url, {"language": "en", "age": 13}))

    assert "How do you feel at school?" in page
    assert "Question say" in page


def test_the_preview_offers_the_campaign_languages_and_ages(admin, survey):
    page = text(admin.get(reverse("admin:surveys_survey_preview", args=[survey.pk])))

    assert '<option value="fr">' in page
    assert '<option value="6">' in page and '<option value="17">' in page
    assert '<option value="18">' not in page


def test_the_preview_refuses_an_age_outside_the_bands(admin, survey):
    url = reverse("admin:surveys_survey_preview", args=[survey.pk])

    response = admin.get(url, {"language": "nl", "age": 30})

    assert response.status_code == 200
    assert 'class="errorlist' in text(response)
    assert "Football" not in text(response)


def test_the_preview_is_for_staff_only(client, survey):
    response = client.get(reverse("admin:surveys_survey_preview", args=[survey.pk]))

    assert response.status_code == 302
    assert "Football" not in text(response)


def test_a_survey_opens_only_with_questions_that_have_their_options(admin, make_survey, campaign):
    empty = make_survey(campaign, slug="leeg", status="draft")
    data = {
        "campaign": campaign.pk,
        "slug": "leeg",
        "status": "open",
        "title_nl": "Leeg",
        **management("questions", 0, 0),
    }

    response = admin.post(reverse("admin:surveys_survey_change", args=[empty.pk]), data)

    assert response.status_code == 200
    assert "A survey needs at least one question before it opens." in text(response)
    empty.refresh_from_db()
    assert empty.status == "draft"


# --- Protection once there are responses ---------------------------------------------------------


def test_an_answered_survey_says_why_questions_cannot_be_deleted(admin, answered):
    page = text(admin.get(reverse("admin:surveys_survey_change", args=[answered.pk])))

    assert "This survey already has responses" in page
    assert "questions-0-DELETE" not in page


def test_deleting_a_question_of_an_answered_survey_is_refused_with_a_message(admin, answered):
    question = answered.questions.get(key="story")
    url = reverse("admin:surveys_question_delete", args=[question.pk])

    shown = admin.get(url)
    posted = admin.post(url, {"post": "yes"})

    assert shown.status_code == posted.status_code == 200
    assert "This survey already has responses" in text(shown)
    assert "This survey already has responses" in text(posted)
    assert Question.objects.filter(pk=question.pk).exists()


def test_the_delete_action_on_questions_of_an_answered_survey_is_refused(admin, answered):
    ids = list(answered.questions.values_list("pk", flat=True)[:2])

    response = admin.post(
        reverse("admin:surveys_question_changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )

    assert response.status_code == 200
    assert "This survey already has responses" in text(response)
    assert answered.questions.count() == 8


def question_form(question: Question, options: list[dict], **changes) -> dict:
    data = {
        "key": question.key,
        "order": question.order,
        "kind": question.kind,
        "text_nl": question.text_nl,
        "text_fr": question.text_fr,
        "text_en": question.text_en,
        "max_length": question.max_length,
        **management("options", len(options), sum(1 for o in options if o.get("id"))),
    }
    for index, option in enumerate(options):
        for name, value in option.items():
            data[f"options-{index}-{name}"] = value
        data[f"options-{index}-question"] = question.pk
    data.update(changes)
    return data


def stored_options(question: Question) -> list[dict]:
    return [
        {"id": o.pk, "value": o.value, "label_nl": o.label_nl, "order": o.order}
        for o in question.options.all()
    ]


def test_changing_an_option_value_of_an_answered_survey_shows_why_not(admin, answered):
    question = answered.questions.get(key="sport")
    options = stored_options(question)
    options[1]["value"] = "swim"

    response = admin.post(
        reverse("admin:surveys_question_change", args=[question.pk]),
        question_form(question, options),
    )

    assert response.status_code == 200
    assert "This survey already has responses" in text(response)
    assert question.options.filter(value="swimming").exists()


def test_relabelling_an_option_of_an_answered_survey_is_fine(admin, answered):
    question = answered.questions.get(key="sport")
    options = stored_options(question)
    options[1]["label_nl"] = "Zwemmen"

    response = admin.post(
        reverse("admin:surveys_question_change", args=[question.pk]),
        question_form(question, options),
    )

    assert response.status_code == 302
    assert question.options.get(value="swimming").label_nl == "Zwemmen"


def test_deleting_a_chosen_option_shows_why_not(admin, answered):
    question = answered.questions.get(key="sport")
    options = stored_options(question)
    options[0]["DELETE"] = "on"  # football was chosen

    response = admin.post(
        reverse("admin:surveys_question_change", args=[question.pk]),
        question_form(question, options),
    )

    assert response.status_code == 200
    assert 'class="errorlist nonform"' in text(response)  # the admin names the answers in the way
    assert Option.objects.filter(value="football").exists()


def test_a_choice_question_needs_two_options(admin, survey):
    question = survey.questions.get(key="sport_where")
    options = stored_options(question)
    options[1]["DELETE"] = "on"

    response = admin.post(
        reverse("admin:surveys_question_change", args=[question.pk]),
        question_form(question, options, show_if='{"question": "sport", "any_of": ["football"]}'),
    )

    assert response.status_code == 200
    assert "A question with choices needs at least two options." in text(response)


def test_a_condition_must_refer_to_an_earlier_choice_and_its_options(admin, survey):
    question = survey.questions.get(key="hobbies")
    url = reverse("admin:surveys_question_change", args=[question.pk])
    options = stored_options(question)

    for condition, message in [
        ('{"question": "story", "any_of": ["x"]}', "must refer to an earlier question"),
        ('{"question": "mood", "any_of": ["1"]}', "one-choice or several-choices question"),
        ('{"question": "sport", "any_of": ["golf"]}', "has no option 'golf'"),
        ('{"question": "nope", "any_of": ["x"]}', "which is no question here"),
        ('{"question": "sport"}', "Write the condition as"),
    ]:
        response = admin.post(url, question_form(question, options, show_if=condition))
        assert message in text(response), condition


def test_deleting_a_question_of_a_survey_without_responses_works(admin, survey):
    question = survey.questions.get(key="story")

    response = admin.post(
        reverse("admin:surveys_question_delete", args=[question.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Question.objects.filter(pk=question.pk).exists()
