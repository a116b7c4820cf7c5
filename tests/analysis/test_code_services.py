"""The codebook's services: create, update, delete and merge codes."""

from __future__ import annotations

import pytest

from analysis.coding import (
    answer_coding_save,
    code_create,
    code_delete,
    code_merge,
    code_update,
)
from analysis.models import AnswerCode, AnswerCoding, Code, ThemeSuggestion
from config.exceptions import InvalidInputError
from tests.analysis.conftest import make_campaign, submit_open_answer

pytestmark = pytest.mark.django_db


def article_codes(code: Code) -> list[str]:
    return sorted(article.code for article in code.articles.all())


def codes_of(answer) -> list[str]:
    coding = AnswerCoding.objects.filter(answer=answer).first()
    return sorted(code.label for code in coding.codes.all()) if coding else []


class TestCreate:
    def test_it_creates_a_code_with_a_trimmed_label_its_description_and_articles(
        self, campaign, analyst
    ):
        code = code_create(
            campaign=campaign,
            label="  Safe   toilets ",
            description=" Clean, with a lock. ",
            article_numbers=[24, "12"],
            user=analyst,
        )
        code.refresh_from_db()
        assert code.label == "Safe toilets"
        assert code.description == "Clean, with a lock."
        assert code.created_by == analyst
        assert article_codes(code) == ["12", "24"]

    def test_a_number_stands_for_the_whole_article_and_a_code_for_one_part(self, campaign, analyst):
        health = code_create(campaign=campaign, label="Health", article_numbers=[24], user=analyst)
        life = code_create(campaign=campaign, label="Life", article_numbers=[6], user=analyst)
        growing = code_create(
            campaign=campaign, label="Growing up", article_numbers=["6(2)"], user=analyst
        )
        assert article_codes(health) == ["24"]
        assert article_codes(life) == ["6(1)", "6(2)"]
        assert article_codes(growing) == ["6(2)"]

    @pytest.mark.parametrize("label", ["", "   ", None])
    def test_it_refuses_a_code_without_a_label(self, campaign, analyst, label):
        with pytest.raises(InvalidInputError) as caught:
            code_create(campaign=campaign, label=label, user=analyst)
        assert caught.value.field == "label"
        assert not Code.objects.exists()

    def test_it_refuses_a_label_longer_than_80_characters(self, campaign, analyst):
        with pytest.raises(InvalidInputError) as caught:
            code_create(campaign=campaign, label="x" * 81, user=analyst)
        assert caught.value.field == "label"

    def test_it_refuses_a_label_the_campaign_has_in_any_case(self, campaign, analyst):
        code_create(campaign=campaign, label="Bullying", user=analyst)
        with pytest.raises(InvalidInputError) as caught:
            code_create(campaign=campaign, label=" bULLYING", user=analyst)
        assert caught.value.field == "label"
        assert Code.objects.count() == 1

    def test_another_campaign_may_use_the_same_label(self, campaign, analyst):
        other = make_campaign("other-theme")
        code_create(campaign=campaign, label="Bullying", user=analyst)
        code_create(campaign=other, label="Bullying", user=analyst)
        assert Code.objects.filter(label="Bullying").count() == 2

    @pytest.mark.parametrize("articles", [[99], ["6(9)"], ["twelve"], [True], [100000]])
    def test_it_refuses_an_unknown_article_and_stores_nothing(self, campaign, analyst, articles):
        with pytest.raises(InvalidInputError) as caught:
            code_create(campaign=campaign, label="Play", article_numbers=articles, user=analyst)
        assert caught.value.field == "articles"
        assert not Code.objects.exists()


class TestUpdate:
    def test_it_changes_label_description_and_articles(self, campaign, analyst):
        code = code_create(campaign=campaign, label="Play", article_numbers=[31], user=analyst)
        code_update(
            code=code,
            label="Play and rest",
            description="Free time",
            article_numbers=[31, 15],
            user=analyst,
        )
        code.refresh_from_db()
        assert (code.label, code.description) == ("Play and rest", "Free time")
        assert article_codes(code) == ["15", "31"]

    def test_no_articles_given_leaves_them_and_an_empty_list_removes_them(self, campaign, analyst):
        code = code_create(campaign=campaign, label="Play", article_numbers=[31], user=analyst)
        code_update(code=code, label="Play", description="", article_numbers=None, user=analyst)
        assert article_codes(code) == ["31"]
        code_update(code=code, label="Play", description="", article_numbers=[], user=analyst)
        assert article_codes(code) == []

    def test_a_code_may_change_the_case_of_its_own_label(self, campaign, analyst):
        code = code_create(campaign=campaign, label="play", user=analyst)
        code_update(code=code, label="Play", description="", article_numbers=None, user=analyst)
        code.refresh_from_db()
        assert code.label == "Play"

    def test_it_refuses_the_label_of_another_code_and_changes_nothing(self, campaign, analyst):
        code_create(campaign=campaign, label="Play", user=analyst)
        code = code_create(campaign=campaign, label="School", description="Old", user=analyst)
        with pytest.raises(InvalidInputError) as caught:
            code_update(
                code=code, label="PLAY", description="New", article_numbers=[], user=analyst
            )
        assert caught.value.field == "label"
        code.refresh_from_db()
        assert (code.label, code.description) == ("School", "Old")


def test_deleting_a_code_says_how_many_answers_carried_it_and_they_lose_it(
    campaign, survey, analyst
):
    play = code_create(campaign=campaign, label="Play", user=analyst)
    school = code_create(campaign=campaign, label="School", user=analyst)
    first = submit_open_answer(survey, "More time to play")
    second = submit_open_answer(survey, "Play at school")
    for answer, codes in ((first, [play.pk]), (second, [play.pk, school.pk])):
        answer_coding_save(
            answer_id=answer.pk, campaign=campaign, code_ids=codes, is_quote=False, user=analyst
        )

    assert code_delete(code=play) == 2

    assert not Code.objects.filter(pk=play.pk).exists()
    assert codes_of(first) == []
    assert codes_of(second) == ["School"]
    # Read and coded before: the answers stay coded.
    assert AnswerCoding.objects.count() == 2


class TestMerge:
    def test_answers_carrying_the_source_carry_the_target_once_and_the_source_is_gone(
        self, campaign, survey, analyst
    ):
        bullying = code_create(
            campaign=campaign, label="Bullying", article_numbers=[19], user=analyst
        )
        safety = code_create(campaign=campaign, label="Safety", article_numbers=[3], user=analyst)
        play = code_create(campaign=campaign, label="Play", user=analyst)
        only_source = submit_open_answer(survey, "They bully me")
        both = submit_open_answer(survey, "Not safe, bullies")
        other = submit_open_answer(survey, "I want to play")
        for answer, codes in (
            (only_source, [bullying.pk, play.pk]),
            (both, [bullying.pk, safety.pk]),
            (other, [play.pk]),
        ):
            answer_coding_save(
                answer_id=answer.pk,
                campaign=campaign,
                code_ids=codes,
                is_quote=False,
                user=analyst,
            )
        suggestion = ThemeSuggestion.objects.create(
            campaign=campaign, language="en", phrase="bully", status="accepted", code=bullying
        )

        assert code_merge(source=bullying, target=safety, user=analyst) == safety

        assert not Code.objects.filter(pk=bullying.pk).exists()
        assert codes_of(only_source) == ["Play", "Safety"]
        assert codes_of(both) == ["Safety"]
        assert codes_of(other) == ["Play"]
        assert AnswerCode.objects.filter(code=safety).count() == 2
        assert article_codes(safety) == ["19", "3"]
        suggestion.refresh_from_db()
        assert suggestion.code == safety

    def test_it_refuses_a_code_of_another_campaign_and_changes_nothing(self, campaign, analyst):
        other = make_campaign("other-theme")
        source = code_create(campaign=campaign, label="Play", user=analyst)
        target = code_create(campaign=other, label="Play", user=analyst)
        with pytest.raises(InvalidInputError) as caught:
            code_merge(source=source, target=target, user=analyst)
        assert caught.value.field == "target"
        assert Code.objects.count() == 2

    def test_it_refuses_to_merge_a_code_into_itself(self, campaign, analyst):
        code = code_create(campaign=campaign, label="Play", user=analyst)
        with pytest.raises(InvalidInputError) as caught:
            code_merge(source=code, target=code, user=analyst)
        assert caught.value.field == "target"
        assert Code.objects.filter(pk=code.pk).exists()
