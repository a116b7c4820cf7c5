"""Steps of the youth survey in a real browser, shared by the youth browser tests.

Buttons are found by their form values (language, age, action), not by their words, so the same
steps work in every language.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.helpers import assert_no_serious_axe_violations, save_screenshot

TEXT_ANSWER = "Meer bomen en een grotere speelplaats."


def submit(page: Page, selector: str) -> None:
    """Press a submit button and wait for the next page (with JavaScript it comes via fetch)."""
    with page.expect_navigation():
        page.locator(selector).click()


def current_key(page: Page) -> str | None:
    return page.locator("body").get_attribute("data-key")


def current_kind(page: Page) -> str | None:
    return page.locator("body").get_attribute("data-kind")


def option_values(page: Page, selector: str = "input[name=answer]") -> list[str]:
    return [value for value in page.locator(selector).evaluate_all("els => els.map(e => e.value)")]


def typical_answer(page: Page):
    """What a young person might answer to the question on the screen, whatever the survey."""
    kind = current_kind(page)
    if kind == "single":
        return option_values(page)[1]
    if kind == "scale":
        return "4"
    if kind == "multiple":
        most = page.locator("[data-max-choices]").get_attribute("data-max-choices")
        return option_values(page)[: min(2, int(most or 2))]
    if kind == "number":
        low = page.locator("#answer").get_attribute("min")
        return str(int(float(low or 0)) + 3)
    if kind == "text":
        return TEXT_ANSWER
    if kind == "ranking":
        return [value for value in option_values(page, "#rank-1 option") if value][::-1]
    raise AssertionError(f"unknown kind {kind!r}")  # pragma: no cover


def fill_in(page: Page, value=None) -> object:
    """Answer the question on the screen the way a young person would (tap, type, pick);
    without a value, a typical answer. Returns the answer given."""
    kind = current_kind(page)
    value = typical_answer(page) if value is None else value
    if kind in ("single", "scale"):
        page.locator(f"label:has(input[name=answer][value='{value}'])").click()
    elif kind == "multiple":
        for item in value:
            page.locator(f"label:has(input[name=answer][value='{item}'])").click()
    elif kind in ("number", "text"):
        page.locator("#answer").fill(str(value))
    elif kind == "ranking":
        for place, item in enumerate(value, start=1):
            page.locator(f"#rank-{place}").select_option(item)
    return value


def assert_big_enough(page: Page) -> None:
    """Every button, link and answer card on the screen is at least 44 by 44 px."""
    targets = page.locator(
        "main button:visible, main a:visible, main label.choice, main label.face, main select"
    )
    for index in range(targets.count()):
        box = targets.nth(index).bounding_box()
        name = targets.nth(index).inner_text()[:40]
        assert box["height"] >= 44 and box["width"] >= 44, f"{name!r} is {box}"


def check_screen(page: Page, name: str | None, *, axe: bool = True) -> None:
    """Accessible, big enough, no sideways scrolling; and photographed for a person to look at.
    Without a name the screen is taken as already checked (a test about something else).

    axe-core cannot run where the page's own scripts are off (its promise never settles), so
    the no-JavaScript test leaves it out: its JavaScript twin checks the same screens.
    """
    if name is None:
        return
    if axe:
        assert_no_serious_axe_violations(page)
    assert_big_enough(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"
    save_screenshot(page, name)


def choose_language_age_and_join(
    page: Page, *, language: str, age: int, shots: str | None = None, axe: bool = True
) -> None:
    """From the language screen to the first question; ``shots`` names the screenshots."""

    def name(screen: str) -> str | None:
        return f"{shots}-{screen}" if shots else None

    expect(page.locator("body")).to_have_attribute("data-step", "language")
    check_screen(page, name("language"), axe=axe)
    submit(page, f"button[name=language][value={language}]")

    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("body")).to_have_attribute("data-step", "age")
    check_screen(page, name("age"), axe=axe)
    submit(page, f"button[name=age][value='{age}']")

    expect(page.locator("body")).to_have_attribute("data-step", "assent")
    check_screen(page, name("assent"), axe=axe)
    submit(page, "button[name=assent][value=yes]")


def answer_every_question(
    page: Page, *, shots: str, axe: bool = True, answers: dict | None = None
) -> dict[str, tuple[str, object]]:
    """Answer each question (``answers`` by key, else a typical answer), checking and
    photographing the first screen of each kind; return {key: (kind, answer)}."""
    given: dict[str, tuple[str, object]] = {}
    while current_key(page):
        key, kind = current_key(page), current_kind(page)
        value = fill_in(page, (answers or {}).get(key))
        if kind not in {seen_kind for seen_kind, _value in given.values()}:
            check_screen(page, f"{shots}-question-{kind}", axe=axe)
        given[key] = (kind, value)
        submit(page, "button[name=action][value=next]")
    return given
