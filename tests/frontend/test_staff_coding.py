"""The staff coding page: one open answer at a time, codes as checkboxes, save and go on to the
next answer of the filters (which travel in the query string), previous and next, quotes, and
the quotes page. Staff only; unknown filters are a message, unknown answers a 404."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from analysis.coding import answer_coding_save, code_create
from analysis.models import AnswerCoding, Code
from consultations.models import Campaign
from surveys.models import Answer, Question, QuestionKind, Survey, SurveyStatus
from surveys.services import response_submit, response_withdraw
from tests.analysis.conftest import add_question, make_campaign
from tests.frontend.html_checks import parse, text_of

pytestmark = pytest.mark.django_db

STORIES = [
    # (age, language, story, wish)
    (7, "nl", "De speelplaats is te klein.", "Meer ballen"),
    (10, "nl", "Ik wil een grotere speelplaats.\nEn een moestuin.", "Een moestuin"),
    (13, "fr", "La cour de récréation est trop petite.", ""),
    (16, "en", "The toilets are dirty.", "Clean toilets"),
    (13, "nl", "De toiletten zijn vies.", ""),
    (10, "fr", "J'aime la cantine.", "Plus de sport"),
]


@dataclass
class World:
    campaign: Campaign
    survey: Survey
    story: Question
    wish: Question
    staff: User
    codes: list[Code]
    answers: list[Answer]  # the open answers, by id

    @property
    def url(self) -> str:
        return f"/staff/campaigns/{self.campaign.slug}/coding/"

    def answer(self, starts_with: str) -> Answer:
        return next(a for a in self.answers if a.text_value.startswith(starts_with))

    def answer_url(self, answer: Answer, query: str = "") -> str:
        return f"{self.url}{answer.pk}/" + (f"?{query}" if query else "")


def make_user(email: str, **fields) -> User:
    user = User.objects.create_user(email=email, password="x" * 20, **fields)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


def submit(survey: Survey, age: int, language: str, answers: dict) -> str:
    return response_submit(
        survey=survey,
        client_token=uuid.uuid4(),
        language=language,
        age=age,
        invite_code=None,
        assent=True,
        answers=answers,
    ).receipt


def build_world(slug: str = "welzijn-op-school", *, k: int = 5) -> World:
    """A campaign with a survey of two free-text questions and a scale, six young people who
    wrote something (in nl, fr and en, in three age bands), one more who withdrew, and a
    codebook of three codes."""
    campaign = make_campaign(slug, min_cell_size=k)
    survey = Survey.objects.create(
        campaign=campaign, slug=f"{slug}-survey", title_nl="Op school", status=SurveyStatus.OPEN
    )
    add_question(survey, "mood", QuestionKind.SCALE)
    story = add_question(survey, "story", QuestionKind.TEXT, text_en="What is your story?")
    wish = add_question(survey, "wish", QuestionKind.TEXT, text_en="What do you wish for?")
    for age, language, story_text, wish_text in STORIES:
        submit(survey, age, language, {"mood": 3, "story": story_text, "wish": wish_text})
    withdrawn = submit(survey, 12, "nl", {"story": "Ingetrokken verhaal"})
    response_withdraw(code=withdrawn)
    staff = make_user(f"analyst@{slug}.example", is_staff=True)
    codes = [
        code_create(campaign=campaign, label=label, user=staff)
        for label in ("Speelplaats", "Toiletten", "Eten")
    ]
    answers = list(
        Answer.objects.filter(
            question__survey=survey,
            text_value__isnull=False,
            response__withdrawn_at__isnull=True,
        ).order_by("pk")
    )
    return World(campaign, survey, story, wish, staff, codes, answers)


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.STAFF_MFA_REQUIRED = False


@pytest.fixture
def client(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.staff)
    return client


def code_boxes(html: bytes) -> list[dict]:
    return parse(html).find("input", type="checkbox", name="codes")


def checked_codes(html: bytes) -> set[str]:
    return {box["value"] for box in code_boxes(html) if "checked" in box}


def query_of(location: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(location).query)


# --- One answer ----------------------------------------------------------------------------------


def test_it_shows_the_first_uncoded_answer_with_its_question_age_band_and_language(
    staff_client, world
):
    response = staff_client.get(world.url)

    assert response.status_code == 200
    text = text_of(response.content)
    first = world.answers[0]
    assert first.text_value in text
    assert "What is your story?" in text
    assert "Age band 6-8" in text
    assert "Language Dutch" in text
    assert f"Answer 1 of {len(world.answers)}" in text
    assert [box["value"] for box in code_boxes(response.content)] == [
        str(code.pk) for code in sorted(world.codes, key=lambda c: c.label.lower())
    ]
    assert "Save and next" in text


def test_it_escapes_the_answer_and_keeps_its_line_breaks(staff_client, world):
    submit(world.survey, 9, "nl", {"story": "<script>alert(1)</script>\nTweede regel"})
    answer = Answer.objects.filter(question=world.story).latest("pk")

    response = staff_client.get(world.answer_url(answer))

    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>Tweede regel" in html


def test_every_code_has_a_visible_label_and_the_first_nine_a_number_key(staff_client, world):
    for number in range(8):
        code_create(campaign=world.campaign, label=f"Thema {number:02d}", user=world.staff)

    response = staff_client.get(world.url)

    boxes = code_boxes(response.content)
    assert len(boxes) == 11
    assert [box.get("data-key") for box in boxes] == [*map(str, range(1, 10)), None, None]
    labels = re.findall(
        r'<input type="checkbox" name="codes".*?<span>(.*?)</span>', response.content.decode()
    )
    assert len(labels) == 11 and all(label.strip() for label in labels)


def test_the_page_loads_the_shortcuts_script_and_breaks_no_content_security_rule(
    staff_client, world
):
    response = staff_client.get(world.url)

    page = parse(response.content)
    assert page.csp_problems == []
    assert any(src.endswith("inspraak/coding.js") for src in page.scripts)
    assert any(href.endswith("inspraak/coding.css") for href in page.stylesheets)
    assert "Keyboard shortcuts" in text_of(response.content)


# --- Saving --------------------------------------------------------------------------------------


def test_saving_applies_the_codes_and_moves_to_the_next_uncoded_answer(staff_client, world):
    first, second = world.answers[0], world.answers[1]
    playground, toilets = world.codes[0], world.codes[1]

    response = staff_client.post(
        world.answer_url(first, "status=uncoded"),
        {"codes": [playground.pk, toilets.pk], "action": "save"},
    )

    assert response.status_code == 302
    assert response["Location"] == world.answer_url(second, "status=uncoded")
    coding = AnswerCoding.objects.get(answer=first)
    assert {code.pk for code in coding.codes.all()} == {playground.pk, toilets.pk}
    assert coding.is_quote is False
    assert coding.coded_by == world.staff
    page = staff_client.get(response["Location"])
    assert "Saved. Here is the next answer." in text_of(page.content)
    assert second.text_value.split("\n")[0] in text_of(page.content)


def test_saving_again_replaces_the_codes(staff_client, world):
    first = world.answers[0]
    answer_coding_save(
        answer_id=first.pk,
        campaign=world.campaign,
        code_ids=[world.codes[0].pk, world.codes[1].pk],
        is_quote=True,
        user=world.staff,
    )

    page = staff_client.get(world.answer_url(first, "status=all"))
    assert checked_codes(page.content) == {str(world.codes[0].pk), str(world.codes[1].pk)}
    staff_client.post(world.answer_url(first, "status=all"), {"codes": [world.codes[2].pk]})

    coding = AnswerCoding.objects.get(answer=first)
    assert [code.pk for code in coding.codes.all()] == [world.codes[2].pk]
    assert coding.is_quote is False


def test_saving_without_codes_marks_the_answer_as_read(staff_client, world):
    staff_client.post(world.answer_url(world.answers[0], "status=uncoded"), {"action": "save"})

    coding = AnswerCoding.objects.get(answer=world.answers[0])
    assert list(coding.codes.all()) == []
    response = staff_client.get(world.url)
    assert f"Answer 1 of {len(world.answers) - 1}" in text_of(response.content)


def test_saving_keeps_every_filter_in_the_redirect(staff_client, world):
    dutch_stories = [
        answer
        for answer in world.answers
        if answer.question_id == world.story.pk and answer.response.language == "nl"
    ]
    query = f"question={world.story.pk}&language=nl&status=uncoded&search=e"

    response = staff_client.post(
        world.answer_url(dutch_stories[0], query), {"codes": [world.codes[0].pk]}
    )

    assert response["Location"].startswith(world.answer_url(dutch_stories[1]))
    assert query_of(response["Location"]) == {
        "question": [str(world.story.pk)],
        "language": ["nl"],
        "status": ["uncoded"],
        "search": ["e"],
    }


def test_the_last_answer_leads_to_the_first_one_left_and_then_to_the_end(staff_client, world):
    *earlier, last = world.answers
    staff_client.post(world.answer_url(last, "status=uncoded"), {"codes": [world.codes[0].pk]})
    response = staff_client.get(world.url + "?status=uncoded")
    assert earlier[0].text_value.split("\n")[0] in text_of(response.content)

    for answer in earlier:
        response = staff_client.post(world.answer_url(answer, "status=uncoded"), {})
    assert response["Location"] == world.url + "?status=uncoded"

    done = staff_client.get(response["Location"])
    assert done.status_code == 200
    assert "Every open answer has been coded" in text_of(done.content)
    assert code_boxes(done.content) == []


def test_marking_a_quote_puts_the_answer_on_the_quotes_page(staff_client, world):
    answer = world.answer("Ik wil een grotere speelplaats.")

    staff_client.post(
        world.answer_url(answer, "status=all"), {"codes": [world.codes[0].pk], "is_quote": "on"}
    )

    assert AnswerCoding.objects.get(answer=answer).is_quote is True
    quotes = staff_client.get(f"/staff/campaigns/{world.campaign.slug}/quotes/")
    text = text_of(quotes.content)
    assert "Ik wil een grotere speelplaats." in text and "En een moestuin." in text
    assert "Speelplaats" in text and "9-11" in text
    assert world.answer_url(answer, "status=quotes") in quotes.content.decode()
    only_quotes = staff_client.get(world.url + "?status=quotes")
    assert "Answer 1 of 1" in text_of(only_quotes.content)


def test_clearing_makes_the_answer_uncoded_again(staff_client, world):
    answer = world.answers[0]
    answer_coding_save(
        answer_id=answer.pk,
        campaign=world.campaign,
        code_ids=[world.codes[0].pk],
        is_quote=True,
        user=world.staff,
    )
    page = staff_client.get(world.answer_url(answer, "status=coded"))
    assert "Clear coding" in text_of(page.content)

    response = staff_client.post(world.answer_url(answer, "status=coded"), {"action": "clear"})

    assert response.status_code == 302
    assert response["Location"] == world.answer_url(answer, "status=coded")
    assert not AnswerCoding.objects.filter(answer=answer).exists()
    page = staff_client.get(response["Location"])
    assert "The coding of this answer is cleared." in text_of(page.content)
    assert "does not match the filters" in text_of(page.content)


def test_a_code_of_another_campaign_is_refused_and_changes_nothing(staff_client, world):
    other = build_world("ander-thema")
    answer = world.answers[0]

    response = staff_client.post(
        world.answer_url(answer), {"codes": [world.codes[0].pk, other.codes[0].pk]}
    )

    assert response.status_code == 400
    assert "Choose codes of this campaign's codebook." in text_of(response.content)
    assert not AnswerCoding.objects.filter(answer=answer).exists()
    assert checked_codes(response.content) == {str(world.codes[0].pk)}


def test_a_code_that_is_not_a_number_is_refused_and_changes_nothing(staff_client, world):
    response = staff_client.post(world.answer_url(world.answers[0]), {"codes": ["abc"]})

    assert response.status_code == 400
    assert not AnswerCoding.objects.exists()


# --- Filters, previous and next ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=all", lambda w: w.answers),
        ("status=all&language=fr", lambda w: [a for a in w.answers if a.response.language == "fr"]),
        (
            "status=all&question={wish}",
            lambda w: [a for a in w.answers if a.question_id == w.wish.pk],
        ),
        (
            "status=all&age_band={band_12_14}",
            lambda w: [a for a in w.answers if a.response.age_band.code == "12-14"],
        ),
        (
            "status=all&search=SPEELPLAATS",
            lambda w: [a for a in w.answers if "speelplaats" in a.text_value.lower()],
        ),
    ],
)
def test_the_filters_narrow_the_answers(staff_client, world, query, expected):
    band = world.campaign.age_bands.get(code="12-14")
    query = query.format(wish=world.wish.pk, band_12_14=band.pk)

    response = staff_client.get(f"{world.url}?{query}")

    wanted = expected(world)
    assert wanted
    text = text_of(response.content)
    assert f"Answer 1 of {len(wanted)}" in text
    assert wanted[0].text_value.split("\n")[0] in text


def test_the_status_and_code_filters_follow_the_coding(staff_client, world):
    coded, quoted = world.answers[2], world.answers[4]
    answer_coding_save(
        answer_id=coded.pk,
        campaign=world.campaign,
        code_ids=[world.codes[1].pk],
        is_quote=False,
        user=world.staff,
    )
    answer_coding_save(
        answer_id=quoted.pk,
        campaign=world.campaign,
        code_ids=[world.codes[1].pk, world.codes[2].pk],
        is_quote=True,
        user=world.staff,
    )

    def shown(query: str) -> str:
        return text_of(staff_client.get(f"{world.url}?{query}").content)

    assert f"Answer 1 of {len(world.answers) - 2}" in shown("status=uncoded")
    assert "Answer 1 of 2" in shown("status=coded")
    assert "Answer 1 of 1" in shown("status=quotes")
    assert "Answer 1 of 2" in shown(f"status=all&code={world.codes[1].pk}")
    assert "Answer 1 of 1" in shown(f"status=all&code={world.codes[2].pk}")
    assert "No open answer matches these filters." in shown(f"status=all&code={world.codes[0].pk}")


def test_with_no_status_the_page_starts_with_the_uncoded_answers(staff_client, world):
    answer_coding_save(
        answer_id=world.answers[0].pk,
        campaign=world.campaign,
        code_ids=[],
        is_quote=False,
        user=world.staff,
    )

    response = staff_client.get(world.url)

    assert f"Answer 1 of {len(world.answers) - 1}" in text_of(response.content)
    status = parse(response.content).find("option", value="uncoded")
    assert len(status) == 1 and "selected" in status[0]


def test_previous_and_next_keep_the_filters(staff_client, world):
    dutch = [a for a in world.answers if a.response.language == "nl"]
    query = "language=nl&status=all"

    response = staff_client.get(world.answer_url(dutch[1], query))

    page = parse(response.content)
    previous = page.find("a", rel="prev")[0]["href"]
    following = page.find("a", rel="next")[0]["href"]
    assert previous == world.answer_url(dutch[0], query)
    assert following == world.answer_url(dutch[2], query)
    assert f"Answer 2 of {len(dutch)}" in text_of(response.content)
    first = parse(staff_client.get(world.answer_url(dutch[0], query)).content)
    assert first.find("a", rel="prev") == []


@pytest.mark.parametrize(
    "query",
    [
        "question=999999",
        "question=abc",
        "age_band=-1",
        "language=xx",
        "status=sometimes",
        "code=123456789",
        "search=" + "a" * 500,
        "question=99999999999999999999999999",
    ],
)
def test_an_unknown_filter_value_is_left_out_with_a_message(staff_client, world, query):
    response = staff_client.get(f"{world.url}?{query}")

    assert response.status_code == 200
    assert "A filter was left out" in text_of(response.content)
    assert world.answers[0].text_value in text_of(response.content)


def test_a_filter_on_a_code_of_another_campaign_is_left_out(staff_client, world):
    other = build_world("ander-thema")

    response = staff_client.get(f"{world.url}?status=all&code={other.codes[0].pk}")

    assert response.status_code == 200
    assert "Choose one of this campaign's codes." in text_of(response.content)
    assert f"Answer 1 of {len(world.answers)}" in text_of(response.content)


def test_an_answer_that_is_not_an_open_answer_of_the_campaign_is_not_found(staff_client, world):
    other = build_world("ander-thema")
    withdrawn = Answer.objects.get(text_value="Ingetrokken verhaal", question=world.story)
    scale = Answer.objects.filter(question__survey=world.survey, question__key="mood").first()

    for answer_id in [other.answers[0].pk, withdrawn.pk, scale.pk, 987654321]:
        assert staff_client.get(f"{world.url}{answer_id}/").status_code == 404
        assert staff_client.post(f"{world.url}{answer_id}/", {"codes": []}).status_code == 404
    assert staff_client.get(f"{world.url}99999999999999999999999/").status_code == 404
    assert staff_client.get("/staff/campaigns/nowhere/coding/").status_code == 404
    assert not AnswerCoding.objects.exists()


def test_the_number_of_queries_does_not_grow_with_the_number_of_codes(staff_client, world):
    answer = world.answers[0]
    answer_coding_save(
        answer_id=answer.pk,
        campaign=world.campaign,
        code_ids=[code.pk for code in world.codes],
        is_quote=False,
        user=world.staff,
    )
    url = world.answer_url(answer, "status=all")
    staff_client.get(url)  # warm caches (session, content types)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(url).status_code == 200
        return len(captured)

    with_three = queries()
    extra = [
        code_create(campaign=world.campaign, label=f"Extra {number}", user=world.staff)
        for number in range(27)
    ]
    answer_coding_save(
        answer_id=answer.pk,
        campaign=world.campaign,
        code_ids=[code.pk for code in [*world.codes, *extra]],
        is_quote=False,
        user=world.staff,
    )

    assert len(code_boxes(staff_client.get(url).content)) == 30
    assert queries() == with_three


# --- Quotes --------------------------------------------------------------------------------------


def test_the_quotes_page_filters_by_language(staff_client, world):
    dutch, french = world.answer("De speelplaats"), world.answer("La cour")
    for answer in (dutch, french):
        answer_coding_save(
            answer_id=answer.pk,
            campaign=world.campaign,
            code_ids=[world.codes[0].pk],
            is_quote=True,
            user=world.staff,
        )
    url = f"/staff/campaigns/{world.campaign.slug}/quotes/"

    everything = text_of(staff_client.get(url).content)
    in_french = text_of(staff_client.get(url + "?language=fr").content)
    unknown = staff_client.get(url + "?language=xx")

    assert dutch.text_value in everything and french.text_value in everything
    assert french.text_value in in_french and dutch.text_value not in in_french
    assert unknown.status_code == 200
    assert "not one of the campaign's" in text_of(unknown.content)
    assert dutch.text_value in text_of(unknown.content)


def test_the_quotes_page_says_when_there_are_none(staff_client, world):
    response = staff_client.get(f"/staff/campaigns/{world.campaign.slug}/quotes/")

    assert response.status_code == 200
    assert "No quotes yet." in text_of(response.content)


# --- Who may ------------------------------------------------------------------------------------


def coding_pages(world: World) -> list[str]:
    return [
        world.url,
        world.url + "?status=all&language=nl",
        world.answer_url(world.answers[0]),
        f"/staff/campaigns/{world.campaign.slug}/quotes/",
    ]


def test_an_anonymous_visitor_is_sent_to_sign_in_for_every_page_and_post(client, world):
    for url in coding_pages(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
    response = client.post(world.answer_url(world.answers[0]), {"codes": [world.codes[0].pk]})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not AnswerCoding.objects.exists()


@pytest.mark.parametrize("persona", ["expert", "coordinator"])
def test_experts_and_coordinators_are_refused_and_see_no_answer(client, world, persona):
    user = make_user(f"{persona}@example.org")
    if persona == "coordinator":
        from consultations.services import member_organisation_create

        organisation = member_organisation_create(name="Chiro Gent")
        world.campaign.organisations.add(organisation)
        organisation.coordinators.add(user)
    client.force_login(user)

    for url in coding_pages(world):
        response = client.get(url)
        assert response.status_code == 403, url
        assert world.answers[0].text_value not in response.content.decode(), url
    for action in ("save", "clear"):
        response = client.post(
            world.answer_url(world.answers[0]), {"codes": [world.codes[0].pk], "action": action}
        )
        assert response.status_code == 403
    assert not AnswerCoding.objects.exists()


def test_staff_without_two_step_verification_are_sent_to_set_it_up(client, world, settings):
    settings.STAFF_MFA_REQUIRED = True
    client.force_login(make_user("new-analyst@coalition.example", is_staff=True))

    for url in coding_pages(world):
        assert client.get(url)["Location"] == reverse("mfa_activate_totp"), url
    response = client.post(world.answer_url(world.answers[0]), {"codes": [world.codes[0].pk]})
    assert response["Location"] == reverse("mfa_activate_totp")
    assert not AnswerCoding.objects.exists()
