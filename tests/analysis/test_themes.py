"""Candidate themes of uncoded open answers: keyword extraction, stored suggestions, and staff
accepting or ignoring them."""

from __future__ import annotations

import pytest

from analysis.coding import (
    answer_coding_save,
    code_create,
    theme_suggestion_accept,
    theme_suggestion_ignore,
)
from analysis.models import Code, ThemeSuggestion
from analysis.tasks import theme_suggestions_refresh_task
from analysis.themes import extract_themes, theme_suggestions_refresh
from config.exceptions import ConflictError, InvalidInputError
from tests.analysis.conftest import submit_open_answer

DUTCH = [
    "De toiletten op school zijn vies en er is geen zeep.",
    "Ik wil meer inspraak in de klas. De toiletten zijn vies!",
    "Pesten op de speelplaats moet stoppen 😢",
    "Er wordt veel gepest op de speelplaats en de leerkrachten zien het niet.",
    "Meer groen op de speelplaats, minder beton.",
    "Vieze toiletten, altijd.",
]
FRENCH = [
    "L'école est trop grande et les toilettes sont sales.",
    "Les toilettes de l\u2019école sont sales",  # a typographic apostrophe
    "Je veux plus de sport à l'école",
    "On n'a pas assez de temps pour manger à la cantine",
    "La cantine est bruyante, vraiment bruyante!",
]
ENGLISH = [
    "The school toilets are dirty",
    "Dirty toilets and no soap",
    "More time to play outside",
    "We need more time to play",
    "Bullying at school must stop",
    "Teachers don't see the bullying",
]


def phrases(themes) -> dict[str, int]:
    return {phrase: count for phrase, count, _score in themes}


class TestExtractThemes:
    def test_dutch_answers_give_the_themes_several_young_people_mention(self):
        found = phrases(extract_themes(DUTCH, language="nl"))
        assert found["toiletten"] == 3
        assert found["speelplaats"] == 3
        assert "inspraak" not in found  # in one answer only
        assert not {"de", "op", "en", "het"} & found.keys()  # stopwords

    def test_french_answers_give_words_without_their_elided_article(self):
        found = phrases(extract_themes(FRENCH, language="fr"))
        assert found["toilettes"] == 2
        assert found["cantine"] == 2
        assert found["école"] == 3
        assert not any("'" in phrase or "\u2019" in phrase for phrase in found)

    def test_english_answers_give_the_themes_with_how_many_answers_hold_them(self):
        found = phrases(extract_themes(ENGLISH, language="en"))
        assert found["toilets"] == 2
        assert found["bullying"] == 2
        assert found["school"] == 2
        assert all(count >= 2 for count in found.values())

    def test_each_theme_is_one_or_two_lower_case_words_best_first_with_a_relevance(self):
        themes = extract_themes([*DUTCH, "Vieze toiletten en vieze toiletten"], language="nl")
        assert themes
        for phrase, count, relevance in themes:
            assert phrase == phrase.lower()
            assert 1 <= len(phrase.split()) <= 2
            assert count >= 2
            assert 0 < relevance <= 1
        relevances = [relevance for _phrase, _count, relevance in themes]
        assert relevances == sorted(relevances, reverse=True)
        assert "vieze toiletten" in phrases(themes)

    def test_min_answers_and_limit_are_kept(self):
        assert all(
            count >= 3
            for count in phrases(extract_themes(DUTCH, language="nl", min_answers=3)).values()
        )
        assert len(extract_themes(DUTCH, language="nl", limit=1)) == 1
        assert "inspraak" in phrases(extract_themes(DUTCH, language="nl", min_answers=1))

    def test_masked_contact_details_numbers_and_emoji_are_no_themes(self):
        texts = [
            "Mail me at [email] or call [phone] 😀",
            "My [email] and [phone] 😀😀",
            "2024 2024 42",
            "2024 42 😀",
        ]
        assert extract_themes(texts, language="en") == []

    @pytest.mark.parametrize("texts", [[], [""], ["   ", "\n"], ["😀", "🎉🎉"], ["..."]])
    def test_nothing_to_read_gives_no_themes(self, texts):
        assert extract_themes(texts, language="nl") == []

    def test_a_very_long_answer_is_read_in_part_and_the_others_still_count(self):
        long = "In de klas is er veel lawaai en ik kan niet goed werken. " * 20_000
        found = phrases(extract_themes([long, "Het lawaai in de klas", "Lawaai!"], language="nl"))
        assert found == {"lawaai": 3, "klas": 2}

    def test_the_same_answers_give_the_same_themes(self):
        assert extract_themes(ENGLISH, language="en") == extract_themes(ENGLISH, language="en")


# --- Stored suggestions -----------------------------------------------------------------------


@pytest.fixture
def dutch_answers(db, survey):
    return [submit_open_answer(survey, text[:60]) for text in DUTCH]


def open_phrases(campaign, language: str = "nl") -> dict[str, int]:
    return dict(
        ThemeSuggestion.objects.filter(
            campaign=campaign, language=language, status="suggested"
        ).values_list("phrase", "answer_count")
    )


@pytest.mark.django_db
class TestRefresh:
    def test_it_suggests_the_themes_of_the_uncoded_answers_per_language(
        self, campaign, survey, dutch_answers
    ):
        for text in FRENCH:
            submit_open_answer(survey, text[:60], language="fr")

        count = theme_suggestions_refresh(campaign=campaign)

        assert open_phrases(campaign)["toiletten"] == 3
        assert open_phrases(campaign, "fr")["cantine"] == 2
        assert count == ThemeSuggestion.objects.filter(status="suggested").count() > 0

    def test_coded_answers_and_withdrawn_responses_are_not_read(
        self, campaign, survey, dutch_answers, analyst
    ):
        for answer in dutch_answers[:2]:
            answer_coding_save(
                answer_id=answer.pk, campaign=campaign, code_ids=[], is_quote=False, user=analyst
            )
        submit_open_answer(survey, "Vieze toiletten", withdraw=True)

        theme_suggestions_refresh(campaign=campaign)

        assert "toiletten" not in open_phrases(campaign)  # one uncoded answer left
        assert open_phrases(campaign)["speelplaats"] == 3

    def test_refreshing_again_updates_counts_and_drops_themes_no_longer_found(
        self, campaign, survey, dutch_answers, analyst
    ):
        theme_suggestions_refresh(campaign=campaign)
        submit_open_answer(survey, "De toiletten stinken")
        for answer in dutch_answers[2:5]:  # the playground answers
            answer_coding_save(
                answer_id=answer.pk, campaign=campaign, code_ids=[], is_quote=False, user=analyst
            )

        theme_suggestions_refresh(campaign=campaign)

        assert open_phrases(campaign)["toiletten"] == 4
        assert "speelplaats" not in open_phrases(campaign)
        assert ThemeSuggestion.objects.filter(phrase="toiletten").count() == 1

    def test_an_ignored_suggestion_is_never_suggested_again(self, campaign, dutch_answers, analyst):
        theme_suggestions_refresh(campaign=campaign)
        toilets = ThemeSuggestion.objects.get(campaign=campaign, phrase="toiletten")
        theme_suggestion_ignore(suggestion=toilets, user=analyst)

        theme_suggestions_refresh(campaign=campaign)

        assert "toiletten" not in open_phrases(campaign)
        toilets.refresh_from_db()
        assert toilets.status == "ignored"
        assert ThemeSuggestion.objects.filter(phrase="toiletten").count() == 1

    def test_an_accepted_suggestion_is_not_suggested_again(self, campaign, dutch_answers, analyst):
        theme_suggestions_refresh(campaign=campaign)
        playground = ThemeSuggestion.objects.get(campaign=campaign, phrase="speelplaats")
        theme_suggestion_accept(suggestion=playground, label=None, user=analyst)

        theme_suggestions_refresh(campaign=campaign)

        assert "speelplaats" not in open_phrases(campaign)
        playground.refresh_from_db()
        assert playground.status == "accepted"

    def test_a_phrase_that_is_already_a_code_is_not_suggested(
        self, campaign, dutch_answers, analyst
    ):
        code_create(campaign=campaign, label="Toiletten", user=analyst)
        theme_suggestions_refresh(campaign=campaign)
        assert "toiletten" not in open_phrases(campaign)

    def test_the_task_refreshes_and_tolerates_a_deleted_campaign(self, campaign, dutch_answers):
        assert theme_suggestions_refresh_task.delay(campaign.pk).get() > 0
        assert "toiletten" in open_phrases(campaign)
        assert theme_suggestions_refresh_task.delay(987654).get() is None


# --- Accepting and ignoring -------------------------------------------------------------------


@pytest.fixture
def suggestion(campaign):
    return ThemeSuggestion.objects.create(
        campaign=campaign, language="nl", phrase="vieze toiletten", answer_count=4, score=0.8
    )


@pytest.mark.django_db
class TestDecide:
    def test_accepting_creates_a_code_from_the_phrase(self, campaign, suggestion, analyst):
        code = theme_suggestion_accept(suggestion=suggestion, label=None, user=analyst)

        assert code.label == "vieze toiletten"
        assert code.campaign == campaign
        assert code.created_by == analyst
        suggestion.refresh_from_db()
        assert (suggestion.status, suggestion.code, suggestion.decided_by) == (
            "accepted",
            code,
            analyst,
        )
        assert suggestion.decided_at is not None

    def test_accepting_with_a_label_uses_it(self, suggestion, analyst):
        code = theme_suggestion_accept(suggestion=suggestion, label="  Toilets ", user=analyst)
        assert code.label == "Toilets"

    def test_accepting_links_to_a_code_with_the_same_label_in_any_case(
        self, campaign, suggestion, analyst
    ):
        existing = code_create(campaign=campaign, label="Vieze Toiletten", user=analyst)
        assert theme_suggestion_accept(suggestion=suggestion, label=None, user=analyst) == existing
        assert Code.objects.count() == 1

    def test_a_label_that_cannot_be_a_code_is_refused_and_nothing_changes(
        self, suggestion, analyst
    ):
        with pytest.raises(InvalidInputError) as caught:
            theme_suggestion_accept(suggestion=suggestion, label="x" * 81, user=analyst)
        assert caught.value.field == "label"
        suggestion.refresh_from_db()
        assert suggestion.status == "suggested"
        assert not Code.objects.exists()

    def test_ignoring_marks_it_ignored(self, suggestion, analyst):
        theme_suggestion_ignore(suggestion=suggestion, user=analyst)
        suggestion.refresh_from_db()
        assert (suggestion.status, suggestion.decided_by) == ("ignored", analyst)

    @pytest.mark.parametrize("first", ["accept", "ignore"])
    def test_a_decided_suggestion_cannot_be_decided_again(self, suggestion, analyst, first):
        stale = ThemeSuggestion.objects.get(pk=suggestion.pk)  # another page had it open
        if first == "accept":
            theme_suggestion_accept(suggestion=suggestion, label=None, user=analyst)
        else:
            theme_suggestion_ignore(suggestion=suggestion, user=analyst)
        with pytest.raises(ConflictError):
            theme_suggestion_accept(suggestion=stale, label="Other", user=analyst)
        with pytest.raises(ConflictError):
            theme_suggestion_ignore(suggestion=stale, user=analyst)
        assert Code.objects.count() == (1 if first == "accept" else 0)
