"""surveys.definition: the cached definition is never stale and costs no query when warm."""

from __future__ import annotations

import pytest

from consultations.models import CrcArticle
from surveys.definition import survey_definition
from surveys.models import Option
from surveys.selectors import survey_get_public, survey_view

pytestmark = pytest.mark.django_db


def fresh(survey):
    """The survey as a request would load it."""
    return survey_get_public(slug=survey.slug)


def sport(survey):
    view = survey_view(survey=fresh(survey), language="nl", age=10)
    return next(question for question in view.questions if question.key == "sport")


def test_a_warm_definition_costs_no_query(survey, django_assert_num_queries):
    loaded = fresh(survey)
    survey_definition(loaded)

    with django_assert_num_queries(0):
        definition = survey_definition(loaded)

    assert [q.key for q in definition.questions][:2] == ["mood", "sport"]


def test_a_changed_question_is_read_fresh(survey):
    sport(survey)  # cached
    question = survey.questions.get(key="sport")
    question.text_nl = "Welke sport doe je het liefst?"
    question.save()

    assert sport(survey).text == "Welke sport doe je het liefst?"


def test_an_added_changed_or_deleted_option_is_read_fresh(survey):
    assert len(sport(survey).options) == 3
    question = survey.questions.get(key="sport")

    Option.objects.create(question=question, value="judo", label_nl="Judo", order=9)
    assert [o.value for o in sport(survey).options][-1] == "judo"

    option = question.options.get(value="judo")
    option.label_nl = "Judo of karate"
    option.save()
    assert sport(survey).options[-1].label == "Judo of karate"

    option.delete()
    assert [o.value for o in sport(survey).options] == ["football", "swimming", "dance"]


def test_changed_articles_are_read_fresh(survey):
    assert sport(survey).articles == []
    question = survey.questions.get(key="sport")

    question.articles.add(CrcArticle.objects.get(code="31"))
    assert sport(survey).articles == ["31"]

    CrcArticle.objects.get(code="31").questions.remove(question)
    assert sport(survey).articles == []


def test_changed_age_bands_are_read_fresh(survey, campaign):
    survey_view(survey=fresh(survey), language="nl", age=10)
    band = campaign.age_bands.get(code="9-11")
    band.easy_read = False
    band.save()
    campaign.save()  # the admin saves the campaign with its bands

    assert not survey_view(survey=fresh(survey), language="nl", age=10).easy_read


def test_a_cache_that_is_down_costs_queries_not_the_request(survey, monkeypatch):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("redis is restarting")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)

    assert sport(survey).key == "sport"


def test_a_process_serves_its_own_copy_without_the_shared_cache(survey):
    from django.core.cache import cache

    loaded = fresh(survey)
    first = survey_definition(loaded)
    cache.clear()

    assert survey_definition(fresh(survey)) is first


def test_a_process_copy_is_never_served_for_a_changed_survey(survey):
    from django.core.cache import cache

    assert sport(survey).text
    cache.clear()  # only this process's copy is left
    question = survey.questions.get(key="sport")
    question.text_nl = "Welke sport kies je?"
    question.save()

    assert sport(survey).text == "Welke sport kies je?"


def test_a_process_copy_expires(survey):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    import surveys.definition as definitions

    loaded = fresh(survey)
    survey_definition(loaded)
    cache.clear()
    for key, (_until, definition) in list(definitions._local.items()):
        definitions._local[key] = (0.0, definition)  # its time is up

    with CaptureQueriesContext(connection) as queries:
        survey_definition(loaded)

    assert len(queries) > 0  # built again from the database
