"""The youth survey without JavaScript: from the group's link to stored answers."""

import datetime
import json

import pytest
from django.utils import timezone

from consultations.services import invite_link_deactivate
from surveys.models import Answer, Response, Survey, SurveyStatus
from tests.frontend.html_checks import parse, text_of
from tests.frontend.youth_survey import SLUG, YouthVisitor, make_youth_survey, ui

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return make_youth_survey()


@pytest.fixture
def visitor():
    return YouthVisitor()


def question_of(position: int, total: int) -> str:
    return ui("nl", "Question %(position)s of %(total)s", position=position, total=total)


def too_many_choices(most: int) -> str:
    return ui(
        "nl",
        "You can choose at most %(max)s answer. Untick one first.",
        "You can choose at most %(max)s answers. Untick some first.",
        n=most,
        max=most,
    )


def checked(page) -> list[str]:
    """The values of the inputs that are ticked on the page."""
    return [
        a["value"] for tag, a in parse(page.content).elements if tag == "input" and "checked" in a
    ]


def stored_answers(response: Response) -> dict:
    """What was stored, per question key, the way the service took it."""
    stored: dict = {}
    for answer in response.answers.select_related("question", "option").order_by("rank", "pk"):
        key, kind = answer.question.key, answer.question.kind
        if kind in ("multiple", "ranking"):
            stored.setdefault(key, []).append(answer.option.value)
        elif answer.option_id:
            stored[key] = answer.option.value
        elif answer.text_value is not None:
            stored[key] = answer.text_value
        else:
            stored[key] = answer.number_value
    return stored


def test_a_ten_year_old_answers_every_kind_of_question_and_gets_a_receipt(demo, visitor):
    visitor.get(f"/j/{demo.invite.code}")
    assert visitor.path == f"/s/{SLUG}/language/"
    visitor.post(language="nl")
    visitor.post(age="10")
    visitor.post(assent="yes")

    visitor.answer(answer="sport")
    assert visitor.question_key() == "which_sport"
    visitor.answer(answer=["football", "dance"])
    visitor.answer(answer="4")
    visitor.answer(answer="9,5")
    visitor.answer(rank_1="playground", rank_2="friends", rank_3="")
    assert visitor.question_key() == "wish"
    visitor.answer(answer="Meer bomen op de speelplaats. Mail me op kim@example.com")
    assert visitor.path == f"/s/{SLUG}/send/"
    page = visitor.post(action="send")

    assert visitor.path == f"/s/{SLUG}/done/"
    response = Response.objects.get()
    assert response.language == "nl"
    assert response.age_band.code == "9-11"
    assert response.invite_link == demo.invite
    assert stored_answers(response) == {
        "free_time": "sport",
        "which_sport": ["football", "dance"],
        "feel_safe": 4,
        "sleep_hours": pytest.approx(9.5),
        "priorities": ["playground", "friends"],
        "wish": response.answers.get(question__key="wish").text_value,
    }
    assert "kim@example.com" not in response.answers.get(question__key="wish").text_value
    receipt = f"{response.receipt_code[:4]}-{response.receipt_code[4:]}"
    text = text_of(page.content)
    assert receipt in text
    assert "102" in text and "1712" in text
    qr = parse(page.content).find("svg", class_="qr-code")
    assert qr and qr[0]["role"] == "img"
    assert f"/r/{receipt}/" in page.content.decode()


def test_the_screens_come_in_order_language_age_assent(demo, visitor):
    visitor.get(f"/s/{SLUG}/")
    language_page = parse(visitor.page.content)
    buttons = language_page.find("button", name="language")
    assert [(b["value"], b["lang"]) for b in buttons] == [("nl", "nl"), ("fr", "fr"), ("en", "en")]
    assert [name for name in ["Nederlands", "Français", "English"] if name in visitor.html] == [
        "Nederlands",
        "Français",
        "English",
    ]

    visitor.post(language="fr")
    assert visitor.path == f"/s/{SLUG}/age/"
    ages = [b["value"] for b in parse(visitor.page.content).find("button", name="age")]
    assert ages == [str(age) for age in range(6, 18)]

    visitor.post(age="15")
    assert visitor.path == f"/s/{SLUG}/assent/"
    assert parse(visitor.page.content).html_lang == "fr"
    assert "Mon école" in text_of(visitor.page.content)
    assert parse(visitor.page.content).find("button", name="assent", value="yes")
    assert parse(visitor.page.content).find("button", name="assent", value="no")


def test_the_flow_speaks_the_language_chosen_for_the_survey(demo, visitor):
    visitor.start(language="fr", age=15)

    page = visitor.page
    assert parse(page.content).html_lang == "fr"
    assert page["Content-Language"] == "fr"
    assert "Que préfères-tu faire pendant ton temps libre" in text_of(page.content)
    assert "Faire du sport" in text_of(page.content)


def test_only_the_campaigns_languages_are_offered_and_a_single_one_is_chosen_for_you(visitor):
    make_youth_survey("alleen-nl", languages=("nl",))

    visitor.get("/s/alleen-nl/")

    assert visitor.path == "/s/alleen-nl/age/"


def test_an_easy_read_band_sees_the_easy_words_and_an_older_one_the_standard_words(demo):
    young, older = YouthVisitor(), YouthVisitor()

    young.start(age=7)
    older.start(age=13)

    assert "Wat doe je graag?" in text_of(young.page.content)
    assert "Wat doe je het liefst in je vrije tijd?" in text_of(older.page.content)
    assert "easy-read" in parse(young.page.content).find("body")[0]["class"]


def test_a_question_only_for_older_children_is_left_out_for_a_younger_one(demo):
    young, older = YouthVisitor(), YouthVisitor()
    young.start(age=10)
    older.start(age=13)

    def keys_seen(visitor):
        keys = []
        while visitor.question_key():
            keys.append(visitor.question_key())
            visitor.answer(action="skip")
        return keys

    assert "social_media" not in keys_seen(young)
    assert "social_media" in keys_seen(older)
    assert young.path == older.path == f"/s/{SLUG}/send/"
    assert young.get(f"/s/{SLUG}/q/social_media/").request["PATH_INFO"] != (
        f"/s/{SLUG}/q/social_media/"
    )


def test_a_follow_up_question_shows_only_after_the_answer_it_depends_on(demo, visitor):
    visitor.start()

    visitor.answer(answer="music")
    assert visitor.question_key() == "feel_safe"
    assert question_of(2, 5) in text_of(visitor.page.content)

    visitor.answer(action="back")
    assert visitor.question_key() == "free_time"
    visitor.answer(answer="sport")
    assert visitor.question_key() == "which_sport"
    assert question_of(2, 6) in text_of(visitor.page.content)


def test_changing_an_earlier_answer_drops_the_follow_up_answer_it_no_longer_asks(demo, visitor):
    visitor.start()
    visitor.answer(answer="sport")
    visitor.answer(answer=["swimming"])
    visitor.answer(action="back")
    visitor.answer(action="back")
    visitor.answer(answer="games")
    visitor.get(f"/s/{SLUG}/send/")

    visitor.post(action="send")

    assert stored_answers(Response.objects.get()) == {"free_time": "games"}


def test_back_keeps_the_answers_and_skip_leaves_a_question_unanswered(demo, visitor):
    visitor.start()
    visitor.answer(answer="reading")
    visitor.answer(answer="2")

    visitor.answer(action="back")
    assert visitor.question_key() == "feel_safe"
    assert checked(visitor.page) == ["2"]
    visitor.answer(action="back")
    assert checked(visitor.page) == ["reading"]
    visitor.answer(action="back")
    assert visitor.path == f"/s/{SLUG}/assent/"

    visitor.post(assent="yes")
    visitor.answer(action="skip")  # free_time
    visitor.answer(action="skip")  # feel_safe
    while visitor.question_key():
        visitor.answer(action="skip")
    answered = ui(
        "nl",
        "You answered %(answered)s of %(total)s question.",
        "You answered %(answered)s of %(total)s questions.",
        n=5,
        answered=0,
        total=5,
    )
    assert answered in text_of(visitor.page.content)
    visitor.post(action="send")

    assert Response.objects.get().answers.count() == 0


def test_every_screen_has_back_skip_and_next_and_an_accessible_progress_bar(demo, visitor):
    visitor.start(age=13)
    seen = 0
    while visitor.question_key():
        page = parse(visitor.page.content)
        actions = {b["value"] for b in page.find("button", name="action")}
        assert actions == {"next", "back", "skip"}
        (progress,) = page.find("progress")
        assert progress["max"] and progress["value"]
        assert page.find("label", for_="progress")
        seen += 1
        assert question_of(seen, 6) in text_of(visitor.page.content)
        visitor.answer(action="skip")
    assert seen == 6


def test_too_many_choices_get_a_friendly_message_on_the_same_screen(demo, visitor):
    visitor.start()
    visitor.answer(answer="sport")

    visitor.answer(answer=["football", "swimming", "dance"])

    assert visitor.question_key() == "which_sport"
    assert too_many_choices(2) in text_of(visitor.page.content)
    assert checked(visitor.page) == ["football", "swimming", "dance"]  # what they chose is kept
    assert visitor.page.status_code == 200
    visitor.answer(answer=["football"])
    assert visitor.question_key() == "feel_safe"
    assert too_many_choices(2) not in text_of(visitor.page.content)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("twintig", "Please type a number, with digits only, for example 12."),
        ("30", "Please choose a number from %(min)s to %(max)s."),
        ("-1", "Please choose a number from %(min)s to %(max)s."),
    ],
)
def test_a_number_that_does_not_fit_gets_a_friendly_message(demo, visitor, typed, message):
    visitor.start()
    visitor.answer(answer="music")
    visitor.answer(answer="3")

    visitor.answer(answer=typed)

    assert visitor.question_key() == "sleep_hours"
    expected = ui("nl", message, min=0, max=16) if "%" in message else ui("nl", message)
    assert expected in text_of(visitor.page.content)
    assert parse(visitor.page.content).find("input", name="answer", value=typed)
    assert parse(visitor.page.content).find("input", name="answer", aria_invalid="true")


def test_a_text_over_the_limit_is_refused_kindly_and_the_text_is_kept(demo, visitor):
    visitor.start()
    for _ in range(4):
        visitor.answer(action="skip")
    assert visitor.question_key() == "wish"

    visitor.answer(answer="x" * 301)

    assert visitor.question_key() == "wish"
    too_long = ui(
        "nl",
        "Your answer is a bit too long: %(count)s characters. You can write up to %(max)s. "
        "Try to make it shorter.",
        count=301,
        max=300,
    )
    assert too_long in text_of(visitor.page.content)
    assert "x" * 301 in visitor.html


def test_a_ranking_that_picks_the_same_answer_twice_is_refused_kindly(demo, visitor):
    visitor.start()
    for _ in range(3):
        visitor.answer(action="skip")
    assert visitor.question_key() == "priorities"

    visitor.answer(rank_1="friends", rank_2="friends")

    assert visitor.question_key() == "priorities"
    twice = ui(
        "nl",
        "You picked “%(answer)s” more than once. Pick each answer only once.",
        answer="Vrienden",
    )
    assert twice in text_of(visitor.page.content)


def test_an_answer_the_service_refuses_is_shown_on_its_own_screen_not_as_an_error_page(
    demo, visitor
):
    visitor.start()
    visitor.answer(answer="reading")
    visitor.get(f"/s/{SLUG}/send/")
    # The survey's wording changed in between: "reading" is no longer an option.
    demo.survey.questions.get(key="free_time").options.filter(value="reading").delete()
    demo.survey.save()

    page = visitor.post(action="send")

    assert page.status_code == 200
    assert visitor.question_key() == "free_time"
    assert ui(
        "nl", "Something is not right with this answer. Change it, or skip this question."
    ) in text_of(page.content)
    assert Response.objects.count() == 0


def test_an_invite_switched_off_during_the_survey_does_not_lose_the_answers(demo, visitor):
    visitor.get(f"/j/{demo.invite.code}")
    visitor.post(language="nl")
    visitor.post(age="10")
    visitor.post(assent="yes")
    visitor.answer(answer="music")
    invite_link_deactivate(invite_link=demo.invite)
    visitor.get(f"/s/{SLUG}/send/")

    visitor.post(action="send")
    assert ui(
        "nl", "The link of your group does not work any more. You can still send your answers."
    ) in text_of(visitor.page.content)
    visitor.post(action="send")

    assert visitor.path == f"/s/{SLUG}/done/"
    response = Response.objects.get()
    assert response.invite_link is None
    assert stored_answers(response) == {"free_time": "music"}


def test_sending_twice_stores_one_response_with_one_receipt(demo, visitor):
    visitor.start()
    visitor.answer(answer="games")
    visitor.get(f"/s/{SLUG}/send/")
    token = visitor.csrf()

    first = visitor.client.post(
        f"/s/{SLUG}/send/", {"csrfmiddlewaretoken": token, "action": "send"}
    )
    second = visitor.client.post(
        f"/s/{SLUG}/send/", {"csrfmiddlewaretoken": token, "action": "send"}
    )

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/s/{SLUG}/done/"
    assert Response.objects.count() == 1
    assert Answer.objects.count() == 1


def test_a_form_sent_again_from_another_tab_stores_nothing_twice(demo, visitor):
    """Two tabs, one session: the second tab still shows the send screen after the first sent."""
    visitor.start()
    visitor.answer(answer="games")
    visitor.get(f"/s/{SLUG}/send/")
    token = visitor.csrf()
    visitor.post(action="send")
    receipt = Response.objects.get().receipt_code

    visitor.client.post(f"/s/{SLUG}/send/", {"csrfmiddlewaretoken": token, "action": "send"})

    assert list(Response.objects.values_list("receipt_code", flat=True)) == [receipt]


def test_a_robot_filling_in_the_hidden_field_is_thanked_but_nothing_is_stored(demo, visitor):
    visitor.start()
    visitor.answer(answer="games")
    visitor.get(f"/s/{SLUG}/send/")
    page = parse(visitor.page.content)
    (trap,) = page.find("input", name="website_url")
    assert trap["tabindex"] == "-1" and trap["autocomplete"] == "off"
    assert page.find("label", for_="website_url")

    done = visitor.post(action="send", website_url="http://spam.example")

    assert visitor.path == f"/s/{SLUG}/done/"
    assert ui("nl", "Thank you!") in text_of(done.content)
    assert Response.objects.count() == 0


def test_no_thanks_on_the_assent_screen_stores_nothing_and_says_goodbye(demo, visitor):
    visitor.get(f"/s/{SLUG}/")
    visitor.post(language="nl")
    visitor.post(age="8")

    page = visitor.post(assent="no")

    assert visitor.path == f"/s/{SLUG}/goodbye/"
    assert "102" in text_of(page.content)
    assert Response.objects.count() == 0
    visitor.get(f"/s/{SLUG}/")
    assert visitor.path == f"/s/{SLUG}/language/"


def test_a_young_person_can_stop_halfway_and_delete_everything(demo, visitor):
    visitor.start()
    visitor.answer(answer="sport")
    visitor.get(f"/s/{SLUG}/send/")
    assert ui("nl", "Do you want to stop?") in text_of(visitor.page.content)

    visitor.post(action="stop")

    assert visitor.path == f"/s/{SLUG}/goodbye/"
    assert Response.objects.count() == 0
    visitor.get(f"/s/{SLUG}/")
    assert visitor.path == f"/s/{SLUG}/language/"


def test_opening_the_link_again_carries_on_at_the_same_question(demo, visitor):
    visitor.start()
    visitor.answer(answer="music")
    assert visitor.question_key() == "feel_safe"

    visitor.get(f"/j/{demo.invite.code}")

    assert visitor.question_key() == "feel_safe"


def test_after_sending_the_link_starts_afresh_for_the_next_young_person(demo, visitor):
    visitor.start()
    visitor.answer(answer="music")
    visitor.get(f"/s/{SLUG}/send/")
    visitor.post(action="send")

    visitor.get(f"/s/{SLUG}/")
    visitor.post(language="nl")
    visitor.post(age="12")
    visitor.post(assent="yes")
    visitor.answer(answer="games")
    visitor.get(f"/s/{SLUG}/send/")
    visitor.post(action="send")

    assert Response.objects.count() == 2
    assert len(set(Response.objects.values_list("client_token", flat=True))) == 2


def test_the_answers_leave_the_session_once_sent(demo, visitor):
    visitor.start()
    while visitor.question_key() != "wish":
        visitor.answer(action="skip")
    visitor.answer(answer="Een geheim")
    visitor.post(action="send")

    session = visitor.client.session
    assert "Een geheim" not in str(dict(session.items()))


def test_choosing_no_age_or_an_age_outside_the_bands_asks_again(demo, visitor):
    visitor.get(f"/s/{SLUG}/")
    visitor.post(language="nl")

    visitor.post(age="30")

    assert visitor.path == f"/s/{SLUG}/age/"
    assert ui("nl", "Tap the button with your age.") in text_of(visitor.page.content)


def test_a_closed_survey_shows_a_friendly_page(demo, visitor):
    visitor.start()
    demo.survey.status = SurveyStatus.CLOSED
    demo.survey.save()

    for url in [f"/s/{SLUG}/", f"/s/{SLUG}/q/free_time/", f"/s/{SLUG}/send/"]:
        page = visitor.get(url)
        assert page.status_code == 200
        assert ui("nl", "This survey is closed") in text_of(page.content)
        expected = ui("nl", "Results are expected on %(date)s.", date="15 maart 2027")
        assert expected in text_of(page.content)


def test_a_survey_closing_just_before_sending_shows_the_closed_page(demo, visitor):
    visitor.start()
    visitor.answer(answer="games")
    visitor.get(f"/s/{SLUG}/send/")
    token = visitor.csrf()
    demo.survey.status = SurveyStatus.CLOSED
    demo.survey.save()

    page = visitor.client.post(f"/s/{SLUG}/send/", {"csrfmiddlewaretoken": token, "action": "send"})

    assert ui("nl", "This survey is closed") in text_of(page.content)
    assert Response.objects.count() == 0


def test_an_unknown_or_switched_off_invite_code_gets_a_friendly_404(demo, visitor):
    assert visitor.get("/j/ZZZZ2222").status_code == 404
    assert ui("nl", "This link does not work") in text_of(visitor.page.content)
    invite_link_deactivate(invite_link=demo.invite)
    assert visitor.get(f"/j/{demo.invite.code}").status_code == 404


def test_an_unknown_or_draft_survey_is_not_found(demo, visitor):
    assert visitor.get("/s/bestaat-niet/").status_code == 404
    demo.survey.status = SurveyStatus.DRAFT
    demo.survey.save()
    assert visitor.get(f"/s/{SLUG}/").status_code == 404


def test_a_question_page_cannot_be_reached_before_the_assent(demo, visitor):
    visitor.get(f"/s/{SLUG}/q/free_time/")

    assert visitor.path == f"/s/{SLUG}/language/"


def test_a_post_without_the_csrf_token_is_refused(demo, visitor):
    visitor.start()

    response = visitor.client.post(f"/s/{SLUG}/q/free_time/", {"answer": "music"})

    assert response.status_code == 403


def test_resuming_with_answers_kept_on_the_phone_after_the_session_was_lost(demo):
    visitor = YouthVisitor()
    visitor.get(f"/s/{SLUG}/")
    kept = {
        "language": "nl",
        "age": 10,
        "assent": True,
        "at": "feel_safe",
        "fields": {
            "free_time": [["answer", "sport"]],
            "which_sport": [["answer", "dance"], ["answer", "nonsense"]],
            "feel_safe": [["answer", "5"]],
        },
    }

    visitor.post({"kept": json.dumps(kept)}, url=f"/s/{SLUG}/resume/")

    assert visitor.question_key() == "feel_safe"
    assert checked(visitor.page) == ["5"]
    visitor.answer(action="back")
    assert checked(visitor.page) == []  # "nonsense" is no option: that answer was dropped
    visitor.answer(action="back")
    assert checked(visitor.page) == ["sport"]


def test_every_youth_page_is_free_of_inline_scripts_and_styles(demo, visitor):
    pages = [visitor.get(f"/s/{SLUG}/")]
    visitor.post(language="nl")
    pages.append(visitor.page)
    visitor.post(age="13")
    pages.append(visitor.page)
    visitor.post(assent="yes")
    while visitor.question_key():
        pages.append(visitor.page)
        visitor.answer(action="skip")
    pages.append(visitor.page)
    pages.append(visitor.post(action="send"))
    pages.append(visitor.get("/j/NOPE2222"))

    for page in pages:
        parsed = parse(page.content)
        assert parsed.csp_problems == [], page.request["PATH_INFO"]
        assert parsed.html_lang == "nl"
    assert len(pages) == 12  # language, age, assent, 6 questions, send, end, bad link


def test_an_invite_to_a_campaign_with_two_open_surveys_lets_the_young_person_choose(demo, visitor):
    other = Survey.objects.create(
        campaign=demo.campaign, slug="tweede", title_nl="Tweede vragenlijst", status="open"
    )

    page = visitor.get(f"/j/{demo.invite.code}")

    assert page.status_code == 200
    links = {a["href"] for a in parse(page.content).find("a", class_="button")}
    assert links == {f"/s/{SLUG}/", f"/s/{other.slug}/"}
    visitor.get(f"/s/{SLUG}/")
    visitor.post(language="nl")
    visitor.post(age="10")
    visitor.post(assent="yes")
    visitor.get(f"/s/{SLUG}/send/")
    visitor.post(action="send")
    assert Response.objects.get().invite_link == demo.invite


def test_an_invite_to_a_campaign_without_an_open_survey_says_so_kindly(demo, visitor):
    demo.survey.status = SurveyStatus.CLOSED
    demo.survey.save()

    page = visitor.get(f"/j/{demo.invite.code}")

    assert page.status_code == 404
    assert ui("nl", "There is no survey to fill in right now") in text_of(page.content)


def test_a_survey_that_has_not_opened_yet_says_when_it_will(demo, visitor):
    demo.survey.opens_at = timezone.now() + datetime.timedelta(days=3)
    demo.survey.save()

    page = visitor.get(f"/s/{SLUG}/")

    assert ui("nl", "This survey has not started yet") in text_of(page.content)
    assert Response.objects.count() == 0
