"""The staff codebook page: the codes with their description and UNCRC articles, how often each
was given by age band (small numbers "not shown"), adding, editing, deleting and merging
codes, and theme suggestions to accept or ignore. Staff only; bad input changes nothing."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings as django_settings

from analysis.coding import answer_coding_save, code_create
from analysis.models import AnswerCoding, Code, ThemeSuggestion, ThemeSuggestionStatus
from surveys.models import Answer
from tests.frontend.html_checks import parse, text_of
from tests.frontend.test_staff_coding import World, build_world, make_user, submit

pytestmark = pytest.mark.django_db


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


def codebook_url(world: World) -> str:
    return f"/staff/campaigns/{world.campaign.slug}/codebook/"


def code_url(world: World, code: Code, action: str = "") -> str:
    return f"{codebook_url(world)}codes/{code.pk}/" + (f"{action}/" if action else "")


def code(world: World, label: str) -> Code:
    return next(code for code in world.codes if code.label == label)


def code_all(world: World, answers: list[Answer], labels: list[str], **kwargs) -> None:
    for answer in answers:
        answer_coding_save(
            answer_id=answer.pk,
            campaign=world.campaign,
            code_ids=[code(world, label).pk for label in labels],
            is_quote=kwargs.get("is_quote", False),
            user=world.staff,
        )


# --- The codebook --------------------------------------------------------------------------------


def test_it_lists_the_codes_with_description_and_articles(staff_client, world):
    code_create(
        campaign=world.campaign,
        label="Inspraak",
        description="Kinderen willen mee beslissen.",
        article_numbers=["12", "6(2)"],
        user=world.staff,
    )

    response = staff_client.get(codebook_url(world))

    assert response.status_code == 200
    text = text_of(response.content)
    for label in ("Eten", "Inspraak", "Speelplaats", "Toiletten"):
        assert label in text
    assert "Kinderen willen mee beslissen." in text
    assert "Art. 12 Respect for the views of the child" in text
    assert "Art. 6(2) Survival and development" in text
    assert parse(response.content).csp_problems == []


def test_it_counts_coded_and_uncoded_answers_and_links_to_the_uncoded_ones(staff_client, world):
    code_all(world, world.answers[:3], ["Speelplaats"])

    response = staff_client.get(codebook_url(world))

    text = text_of(response.content)
    total = len(world.answers)
    assert f"{total} open answers" in text
    assert "3 coded" in text
    assert f"{total - 3} not coded yet" in text
    links = parse(response.content).find("a", class_="button")
    assert any(
        link["href"] == f"/staff/campaigns/{world.campaign.slug}/coding/?status=uncoded"
        for link in links
    )
    assert "Code open answers" in text


def test_the_frequency_table_hides_numbers_below_k_and_says_so(staff_client, world):
    # Six more young people of 12-14 and 15-17 write about the playground; k = 5.
    for index in range(6):
        submit(world.survey, [13, 16][index % 2], "nl", {"story": f"Speelplaats {index}"})
    answers = list(Answer.objects.filter(text_value__startswith="Speelplaats ").order_by("pk"))
    code_all(world, answers[:1], ["Speelplaats"])
    code_all(world, answers[1:], ["Speelplaats", "Eten"])
    code_all(world, [world.answer("De toiletten")], ["Toiletten"])
    code_create(campaign=world.campaign, label="Sport", user=world.staff)

    response = staff_client.get(codebook_url(world))

    table = response.content.decode().split('id="code-frequencies"')[1].split("</table>")[0]
    rows = {text_of(row).split(" ")[0]: text_of(row) for row in table.split("<tr>")[2:]}
    # Overall: 7 young people with a coded answer (exact). Toiletten (1) is hidden, and Eten
    # (5) with it, or Toiletten could be worked out; Speelplaats (6) and Sport (0) are shown.
    assert "All n = 7" in text_of(table)
    assert rows["Speelplaats"].startswith("Speelplaats 6 ")
    assert rows["Toiletten"].startswith("Toiletten not shown ")
    assert rows["Eten"].startswith("Eten not shown ")
    assert rows["Sport"].startswith("Sport 0 ")
    # No age band has 5 young people with a coded answer: each band is hidden whole.
    assert "6-8 n = not shown" in text_of(table) and "12-14 n = not shown" in text_of(table)
    assert rows["Speelplaats"] == "Speelplaats 6 not shown not shown not shown not shown"
    caption = text_of(table.split("<caption")[1].split("</caption>")[0].split(">", 1)[1])
    assert "numbers below 5 hidden" in caption
    assert "a number below 5 is not shown" in text_of(response.content)
    assert "Each reads “not shown”: it may be small or not." in text_of(response.content)


def test_a_band_with_enough_young_people_shows_its_own_numbers(staff_client, world):
    for _index in range(6):
        submit(world.survey, 13, "nl", {"story": "Speelplaats en toiletten"})
    answers = list(Answer.objects.filter(text_value="Speelplaats en toiletten"))
    code_all(world, answers, ["Speelplaats"])
    code_all(world, [world.answer("De toiletten")], ["Speelplaats"])

    response = staff_client.get(codebook_url(world))

    table = response.content.decode().split('id="code-frequencies"')[1].split("</table>")[0]
    assert "12-14 n = 7" in text_of(table)
    assert "Speelplaats 7 not shown not shown 7 not shown" in text_of(table)


# --- Adding, editing, deleting, merging ----------------------------------------------------------


def test_staff_add_a_code_with_articles(staff_client, world):
    response = staff_client.post(
        codebook_url(world),
        {"label": "  Veiligheid ", "description": "Zich veilig voelen.", "articles": ["19", "3"]},
    )

    new = Code.objects.get(campaign=world.campaign, label="Veiligheid")
    assert response.status_code == 302
    assert response["Location"] == f"{codebook_url(world)}#code-{new.pk}"
    assert new.description == "Zich veilig voelen."
    assert sorted(new.articles.values_list("code", flat=True)) == ["19", "3"]
    assert new.created_by == world.staff
    page = staff_client.get(response["Location"])
    assert "The code “Veiligheid” is added." in text_of(page.content)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"label": ""}, "This field is required."),
        ({"label": "   "}, "This field is required."),
        ({"label": "speelplaats"}, "This campaign already has a code 'speelplaats'."),
        ({"label": "x" * 81}, "at most 80 characters"),
        ({"label": "Veiligheid", "articles": ["999"]}, "Select a valid choice."),
    ],
)
def test_bad_input_shows_the_field_error_and_adds_nothing(staff_client, world, data, message):
    before = Code.objects.count()

    response = staff_client.post(codebook_url(world), data)

    assert response.status_code == 400
    assert message in text_of(response.content)
    assert "Please check the fields marked below." in text_of(response.content)
    assert Code.objects.count() == before
    # What was typed stays in the form.
    if data["label"].strip():
        assert f'value="{data["label"]}"' in response.content.decode()


def test_staff_edit_a_code(staff_client, world):
    playground = code(world, "Speelplaats")
    page = staff_client.get(code_url(world, playground))
    assert page.status_code == 200
    assert 'value="Speelplaats"' in page.content.decode()

    response = staff_client.post(
        code_url(world, playground),
        {"label": "Speelplaats en pauze", "description": "Buiten spelen.", "articles": ["31"]},
    )

    assert response.status_code == 302
    playground.refresh_from_db()
    assert playground.label == "Speelplaats en pauze"
    assert playground.description == "Buiten spelen."
    assert list(playground.articles.values_list("code", flat=True)) == ["31"]


def test_editing_to_a_label_in_use_shows_the_error_and_changes_nothing(staff_client, world):
    playground = code(world, "Speelplaats")

    response = staff_client.post(
        code_url(world, playground), {"label": "TOILETTEN", "description": "Anders"}
    )

    assert response.status_code == 400
    assert "This campaign already has a code 'TOILETTEN'." in text_of(response.content)
    assert "Edit the code “Speelplaats”" in text_of(response.content)
    playground.refresh_from_db()
    assert (playground.label, playground.description) == ("Speelplaats", "")


def test_deleting_asks_first_and_says_how_many_answers_carry_the_code(staff_client, world):
    playground = code(world, "Speelplaats")
    code_all(world, world.answers[:2], ["Speelplaats", "Eten"])

    page = staff_client.get(code_url(world, playground, "delete"))

    assert page.status_code == 200
    assert "2 answers carry this code." in text_of(page.content)
    assert Code.objects.filter(pk=playground.pk).exists()

    response = staff_client.post(code_url(world, playground, "delete"))

    assert response.status_code == 302
    assert not Code.objects.filter(pk=playground.pk).exists()
    assert [c.label for c in AnswerCoding.objects.get(answer=world.answers[0]).codes.all()] == [
        "Eten"
    ]
    page = staff_client.get(response["Location"])
    assert "“Speelplaats” is deleted; 2 answers no longer carry it." in text_of(page.content)


def test_merging_moves_the_answers_to_the_other_code(staff_client, world):
    playground, food = code(world, "Speelplaats"), code(world, "Eten")
    code_all(world, world.answers[:2], ["Speelplaats"])
    code_all(world, world.answers[2:3], ["Speelplaats", "Eten"])

    page = staff_client.get(code_url(world, playground, "merge"))
    options = [o["value"] for o in parse(page.content).find("option") if o.get("value")]
    assert options == [str(food.pk), str(code(world, "Toiletten").pk)]

    response = staff_client.post(code_url(world, playground, "merge"), {"target": food.pk})

    assert response.status_code == 302
    assert not Code.objects.filter(pk=playground.pk).exists()
    for answer in world.answers[:3]:
        assert [c.pk for c in AnswerCoding.objects.get(answer=answer).codes.all()] == [food.pk]
    page = staff_client.get(response["Location"])
    assert "“Speelplaats” is merged into “Eten”" in text_of(page.content)


@pytest.mark.parametrize("target", ["", "abc", "self", "other-campaign", "999999"])
def test_merging_into_a_wrong_code_shows_an_error_and_changes_nothing(staff_client, world, target):
    playground = code(world, "Speelplaats")
    code_all(world, world.answers[:1], ["Speelplaats"])
    if target == "self":
        target = str(playground.pk)
    elif target == "other-campaign":
        target = str(build_world("ander-thema").codes[0].pk)

    response = staff_client.post(code_url(world, playground, "merge"), {"target": target})

    assert response.status_code == 400
    assert "form-errors" in response.content.decode()
    assert Code.objects.filter(pk=playground.pk).exists()
    assert [c.pk for c in AnswerCoding.objects.get(answer=world.answers[0]).codes.all()] == [
        playground.pk
    ]


def test_codes_of_another_campaign_or_unknown_ones_are_not_found(staff_client, world):
    other = build_world("ander-thema")

    for url in [
        code_url(world, other.codes[0]),
        code_url(world, other.codes[0], "delete"),
        code_url(world, other.codes[0], "merge"),
        f"{codebook_url(world)}codes/999999/",
        f"{codebook_url(world)}codes/99999999999999999999999/",
    ]:
        assert staff_client.get(url).status_code == 404, url
        assert staff_client.post(url, {"label": "X", "target": world.codes[0].pk}).status_code == (
            404
        ), url
    assert staff_client.get("/staff/campaigns/nowhere/codebook/").status_code == 404
    assert Code.objects.filter(campaign=other.campaign).count() == 3


# --- Theme suggestions ---------------------------------------------------------------------------


@pytest.fixture
def suggestions(world) -> dict[str, ThemeSuggestion]:
    return {
        "speelplaats": ThemeSuggestion.objects.create(
            campaign=world.campaign, language="nl", phrase="speelplaats", answer_count=2
        ),
        "cour": ThemeSuggestion.objects.create(
            campaign=world.campaign, language="fr", phrase="cour", answer_count=1
        ),
        "toilets": ThemeSuggestion.objects.create(
            campaign=world.campaign,
            language="en",
            phrase="toilets",
            answer_count=1,
            status=ThemeSuggestionStatus.IGNORED,
        ),
    }


def test_open_suggestions_are_listed_per_language(staff_client, world, suggestions):
    response = staff_client.get(codebook_url(world))

    themes = text_of(response.content.decode().split('id="themes"')[1])
    assert "Dutch speelplaats in 2 uncoded answers" in themes
    assert "French cour in 1 uncoded answer" in themes
    assert "English No suggestions open in this language." in themes
    assert "toilets" not in themes
    assert "Look for themes" in themes


def test_accepting_a_suggestion_makes_a_code_and_shows_the_answers_with_it(
    staff_client, world, suggestions
):
    suggestion = suggestions["cour"]

    response = staff_client.post(
        f"{codebook_url(world)}themes/{suggestion.pk}/accept/", {"label": "Cour de récré"}
    )

    new = Code.objects.get(campaign=world.campaign, label="Cour de récré")
    suggestion.refresh_from_db()
    assert suggestion.status == ThemeSuggestionStatus.ACCEPTED and suggestion.code == new
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == f"/staff/campaigns/{world.campaign.slug}/coding/"
    assert parse_qs(location.query) == {
        "language": ["fr"],
        "status": ["uncoded"],
        "search": ["cour"],
    }
    page = staff_client.get(response["Location"])
    text = text_of(page.content)
    assert "“Cour de récré” is now a code." in text
    assert "La cour de récréation est trop petite." in text
    assert "Answer 1 of 1" in text
    assert str(new.pk) in [box["value"] for box in parse(page.content).find("input", name="codes")]


def test_accepting_without_a_label_uses_the_phrase(staff_client, world, suggestions):
    staff_client.post(
        f"{codebook_url(world)}themes/{suggestions['speelplaats'].pk}/accept/", {"label": " "}
    )

    # The codebook already had "Speelplaats": the suggestion is linked to it, no second code.
    suggestions["speelplaats"].refresh_from_db()
    assert suggestions["speelplaats"].code == code(world, "Speelplaats")
    assert Code.objects.filter(campaign=world.campaign, label__iexact="speelplaats").count() == 1


def test_ignoring_a_suggestion_takes_it_off_the_list(staff_client, world, suggestions):
    suggestion = suggestions["speelplaats"]

    response = staff_client.post(f"{codebook_url(world)}themes/{suggestion.pk}/ignore/")

    assert response.status_code == 302
    assert response["Location"] == f"{codebook_url(world)}#themes"
    suggestion.refresh_from_db()
    assert suggestion.status == ThemeSuggestionStatus.IGNORED
    page = text_of(staff_client.get(response["Location"]).content)
    assert "“speelplaats” is ignored" in page
    assert "Dutch No suggestions open in this language." in page


def test_deciding_twice_is_a_message_not_an_error(staff_client, world, suggestions):
    ignored = suggestions["toilets"]

    for action in ("accept", "ignore"):
        response = staff_client.post(f"{codebook_url(world)}themes/{ignored.pk}/{action}/")
        assert response.status_code == 302
        assert "already ignored" in text_of(staff_client.get(response["Location"]).content)
    ignored.refresh_from_db()
    assert ignored.status == ThemeSuggestionStatus.IGNORED
    assert not Code.objects.filter(label="toilets").exists()


def test_an_unknown_suggestion_is_not_found(staff_client, world, suggestions):
    other = build_world("ander-thema")
    foreign = ThemeSuggestion.objects.create(campaign=other.campaign, language="nl", phrase="bal")

    for suggestion_id in (foreign.pk, 999999):
        for action in ("accept", "ignore"):
            url = f"{codebook_url(world)}themes/{suggestion_id}/{action}/"
            assert staff_client.post(url).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == ThemeSuggestionStatus.SUGGESTED


def test_looking_for_themes_queues_the_search_and_finds_them(
    staff_client, world, django_capture_on_commit_callbacks
):
    for index in range(4):
        submit(world.survey, 10, "nl", {"story": f"De speelplaats is saai ({index})."})

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = staff_client.post(f"{codebook_url(world)}themes/refresh/")

    assert len(callbacks) == 1
    assert response.status_code == 302
    assert response["Location"] == f"{codebook_url(world)}#themes"
    page = text_of(staff_client.get(response["Location"]).content)
    assert "The search for themes in the uncoded answers is queued" in page
    phrases = set(
        ThemeSuggestion.objects.filter(campaign=world.campaign, language="nl").values_list(
            "phrase", flat=True
        )
    )
    assert phrases
    assert all(f"{phrase} in " in page for phrase in phrases)


# --- Who may ------------------------------------------------------------------------------------


def codebook_gets(world: World) -> list[str]:
    playground = code(world, "Speelplaats")
    return [
        codebook_url(world),
        code_url(world, playground),
        code_url(world, playground, "delete"),
        code_url(world, playground, "merge"),
    ]


def codebook_posts(world: World, suggestion: ThemeSuggestion) -> list[tuple[str, dict]]:
    playground, food = code(world, "Speelplaats"), code(world, "Eten")
    return [
        (codebook_url(world), {"label": "Nieuw"}),
        (code_url(world, playground), {"label": "Anders"}),
        (code_url(world, playground, "merge"), {"target": food.pk}),
        (code_url(world, playground, "delete"), {}),
        (f"{codebook_url(world)}themes/refresh/", {}),
        (f"{codebook_url(world)}themes/{suggestion.pk}/accept/", {"label": "Nieuw thema"}),
        (f"{codebook_url(world)}themes/{suggestion.pk}/ignore/", {}),
    ]


def unchanged(world: World, suggestion: ThemeSuggestion) -> bool:
    suggestion.refresh_from_db()
    return (
        sorted(Code.objects.filter(campaign=world.campaign).values_list("label", flat=True))
        == ["Eten", "Speelplaats", "Toiletten"]
        and suggestion.status == ThemeSuggestionStatus.SUGGESTED
    )


def test_an_anonymous_visitor_is_sent_to_sign_in_for_every_page_and_post(
    client, world, suggestions
):
    for url in codebook_gets(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
    for url, data in codebook_posts(world, suggestions["speelplaats"]):
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
    assert unchanged(world, suggestions["speelplaats"])


def test_someone_who_is_not_staff_is_refused_everything(client, world, suggestions):
    client.force_login(make_user("expert@example.org"))

    for url in codebook_gets(world):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Speelplaats" not in response.content.decode(), url
    for url, data in codebook_posts(world, suggestions["speelplaats"]):
        assert client.post(url, data).status_code == 403, url
    assert unchanged(world, suggestions["speelplaats"])
