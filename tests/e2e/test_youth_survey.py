"""The youth survey in Chromium with JavaScript: from the group's link to the receipt, in Dutch
and in French, and what JavaScript adds: answers kept on the phone through a reload, a lost
connection or a lost session, and reading the question aloud."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from surveys.models import Response
from surveys.selectors import survey_view
from tests.e2e.helpers import assert_no_serious_axe_violations
from tests.e2e.youth_steps import (
    answer_every_question,
    check_screen,
    choose_language_age_and_join,
    current_key,
    fill_in,
    submit,
)
from tests.frontend.youth_survey import SLUG, make_demo_survey, make_youth_survey

pytestmark = pytest.mark.e2e

STORAGE_KEY = f"inspraak:survey:{SLUG}"
EVERY_KIND = ["multiple", "number", "ranking", "scale", "single", "text"]


@pytest.fixture
def demo(live_url):
    return make_youth_survey()


def question_url(key: str) -> re.Pattern:
    return re.compile(rf"/s/{SLUG}/q/{key}/$")


def stored_keys(response: Response) -> set[str]:
    return set(response.answers.values_list("question__key", flat=True))


@pytest.mark.parametrize(("language", "age"), [("nl", 10), ("fr", 15)], ids=["nl-10", "fr-15"])
def test_a_young_person_completes_the_demo_survey_with_javascript(page, live_url, language, age):
    demo = make_demo_survey()
    first_question = survey_view(survey=demo.survey, language=language, age=age).questions[0]
    page.goto(f"/j/{demo.invite.code}")
    shots = f"youth-{language}-js"

    choose_language_age_and_join(page, language=language, age=age, shots=shots)
    expect(page.get_by_role("heading", level=1)).to_have_text(first_question.text)
    expect(page.locator("progress")).to_have_attribute("value", "1")
    given = answer_every_question(page, shots=shots, answers={"worries": ["tests", "bullying"]})

    assert sorted({kind for kind, _answer in given.values()}) == EVERY_KIND
    assert "bullying_help" in given  # asked because of the answer before it
    assert ("say_in_school" in given) == (age >= 12)  # asked from 12 only
    expect(page.locator("body")).to_have_attribute("data-step", "send")
    check_screen(page, f"{shots}-send")
    submit(page, "button[name=action][value=send]")

    expect(page.locator("body")).to_have_attribute("data-step", "done")
    response = Response.objects.get()
    receipt = f"{response.receipt_code[:4]}-{response.receipt_code[4:]}"
    expect(page.locator(".receipt-code")).to_have_text(receipt)
    expect(page.locator("svg.qr-code")).to_be_visible()
    expect(page.locator("a[href='tel:102']")).to_be_visible()
    expect(page.locator("a[href='tel:1712']")).to_be_visible()
    check_screen(page, f"{shots}-end")
    assert response.language == language
    assert response.invite_link == demo.invite
    assert stored_keys(response) == set(given)
    assert response.answers.filter(question__key="improve_first").count() == 5
    assert page.evaluate(f"localStorage.getItem('inspraak:survey:{demo.survey.slug}')") is None


def test_a_reload_halfway_resumes_at_the_same_question_with_earlier_answers_kept(page, demo):
    page.goto(f"/s/{SLUG}/")
    choose_language_age_and_join(page, language="nl", age=10)
    fill_in(page, "sport")
    submit(page, "button[name=action][value=next]")
    fill_in(page, ["swimming"])
    submit(page, "button[name=action][value=next]")
    fill_in(page, "2")  # chosen, not sent yet

    page.reload()

    expect(page).to_have_url(question_url("feel_safe"))
    expect(page.locator("input[name=answer][value='2']")).to_be_checked()
    submit(page, "button[name=action][value=back]")
    expect(page).to_have_url(question_url("which_sport"))
    expect(page.locator("input[value=swimming]")).to_be_checked()
    expect(page.locator("input[value=football]")).not_to_be_checked()
    submit(page, "button[name=action][value=back]")
    expect(page.locator("input[value=sport]")).to_be_checked()


def test_a_lost_session_offers_to_carry_on_with_the_answers_kept_on_the_phone(page, demo):
    page.goto(f"/s/{SLUG}/")
    choose_language_age_and_join(page, language="nl", age=10)
    fill_in(page, "music")
    submit(page, "button[name=action][value=next]")
    fill_in(page, "5")
    submit(page, "button[name=action][value=next]")
    expect(page).to_have_url(question_url("sleep_hours"))

    page.context.clear_cookies()  # the session is gone; the phone still has the answers
    page.goto(f"/s/{SLUG}/")

    resume = page.locator("[data-resume]")
    expect(resume).to_be_visible()
    assert_no_serious_axe_violations(page)
    submit(page, "[data-resume] button[type=submit]")
    expect(page).to_have_url(question_url("sleep_hours"))
    submit(page, "button[name=action][value=back]")
    expect(page.locator("input[name=answer][value='5']")).to_be_checked()


def test_a_lost_connection_keeps_the_answer_and_goes_on_when_back_online(page, demo):
    page.goto(f"/s/{SLUG}/")
    choose_language_age_and_join(page, language="nl", age=10)
    fill_in(page, "games")
    page.context.set_offline(True)

    page.locator("button[name=action][value=next]").click()

    note = page.locator("[data-offline-note]")
    expect(note).to_be_visible()
    expect(page).to_have_url(question_url("free_time"))
    with page.expect_navigation(timeout=15_000):
        page.context.set_offline(False)
    expect(page).to_have_url(question_url("feel_safe"))
    submit(page, "button[name=action][value=back]")
    expect(page.locator("input[value=games]")).to_be_checked()


def test_the_survey_works_by_keyboard(page, demo):
    page.goto(f"/s/{SLUG}/")
    page.locator("button[name=language][value=nl]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.locator("button[name=age][value='9']").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.locator("button[name=assent][value=yes]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    page.locator("input[name=answer]").first.focus()
    page.keyboard.press("ArrowDown")  # moves to and picks the second answer
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the form's first button: Next

    expect(page).to_have_url(question_url("feel_safe"))
    submit(page, "button[name=action][value=back]")
    expect(page.locator("input[value=music]")).to_be_checked()


def test_the_text_answer_counts_characters_and_several_choices_keep_to_the_most(page, demo):
    page.goto(f"/s/{SLUG}/")
    choose_language_age_and_join(page, language="nl", age=10)
    fill_in(page, "sport")
    submit(page, "button[name=action][value=next]")

    for value in ("football", "swimming", "dance"):
        page.locator(f"label:has(input[value={value}])").click()
    expect(page.locator("input[name=answer]:checked")).to_have_count(2)
    expect(page.locator("[data-max-message]")).to_be_visible()
    expect(page.locator("input[value=dance]")).not_to_be_checked()

    while current_key(page) != "wish":
        submit(page, "button[name=action][value=skip]")
    expect(page.locator("[data-counter]")).to_have_text(re.compile(r"^\s*0\s*/\s*300"))
    page.locator("#answer").fill("Hallo")
    expect(page.locator("[data-counter]")).to_have_text(re.compile(r"^\s*5\s*/\s*300"))


FAKE_SPEECH = """
window.__spoken = [];
const voices = [{ lang: "nl-BE", name: "Test Nederlands", default: true }];
Object.defineProperty(window, "speechSynthesis", {
  configurable: true,
  value: {
    speaking: false,
    getVoices: () => voices,
    addEventListener: () => {},
    cancel: () => {},
    speak: (utterance) => window.__spoken.push({ text: utterance.text, lang: utterance.lang }),
  },
});
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
"""


def test_read_aloud_speaks_the_question_in_the_chosen_language_where_a_voice_exists(page, demo):
    page.goto(f"/s/{SLUG}/")
    choose_language_age_and_join(page, language="nl", age=10)
    read_aloud = page.locator("[data-read-aloud]")
    has_voice = page.evaluate(
        "!!window.speechSynthesis && speechSynthesis.getVoices()"
        ".some(v => v.lang.toLowerCase().startsWith('nl'))"
    )
    if has_voice:
        expect(read_aloud).to_be_visible()
    else:
        expect(read_aloud).to_be_hidden()

    page.add_init_script(FAKE_SPEECH)
    page.reload()
    expect(read_aloud).to_be_visible()
    read_aloud.click()

    spoken = page.evaluate("window.__spoken")
    assert spoken[0]["lang"] == "nl-BE"
    assert spoken[0]["text"].startswith("Wat doe je graag?")
    assert "Sporten" in spoken[0]["text"]
