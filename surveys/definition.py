"""The survey definition as plain frozen data, cached.

Every page view and every submission needs a survey's questions, options, UNCRC tags and its
campaign's age bands. Loading them costs four queries; the cached copy costs none, which keeps
a submission within its query budget whatever the survey's size.

The cache key holds the survey's and the campaign's ``updated_at``. The survey's moves forward
whenever one of its questions or options changes (surveys.receivers), the campaign's
whenever it is saved (the admin saves it with its age bands), so a changed definition is never
read from the cache; old entries simply expire.

Because the key names the version, each web process also keeps the few definitions it served
last, under the same key, for a few minutes: a burst of a class's submissions then reads the
definition neither from Redis nor from the database. The survey row a request loads anyway
(with its campaign) says which version is current, so a process never serves an old one after
a change; the few minutes bound what a change made past the receivers (a raw SQL update) could
leave behind.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch

from consultations.models import CrcArticle
from surveys.models import Option, Question, Survey

logger = logging.getLogger(__name__)

CACHE_VERSION = 1
CACHE_SECONDS = 60 * 60
# This process's own copies: a handful of surveys are open at a time.
LOCAL_ENTRIES = 32
LOCAL_SECONDS = 5 * 60
_local: dict[str, tuple[float, SurveyDefinition]] = {}


@dataclass(frozen=True)
class OptionDefinition:
    id: int
    value: str
    labels: dict[str, str]
    emoji: str


@dataclass(frozen=True)
class QuestionDefinition:
    id: int
    key: str
    kind: str
    texts: dict[str, str]
    easy_texts: dict[str, str]
    helps: dict[str, str]
    min_value: Decimal | None
    max_value: Decimal | None
    scale_points: int | None
    max_choices: int | None
    max_length: int
    show_if: dict[str, Any] | None
    min_age: int | None
    max_age: int | None
    articles: tuple[str, ...]
    options: tuple[OptionDefinition, ...]

    @cached_property
    def options_by_value(self) -> dict[str, OptionDefinition]:
        return {option.value: option for option in self.options}

    def asks(self, age: int) -> bool:
        """Whether a young person of ``age`` is asked this question at all."""
        return (self.min_age is None or self.min_age <= age) and (
            self.max_age is None or age <= self.max_age
        )


@dataclass(frozen=True)
class AgeBandDefinition:
    id: int
    code: str
    min_age: int
    max_age: int
    easy_read: bool


@dataclass(frozen=True)
class SurveyDefinition:
    survey_id: int
    languages: tuple[str, ...]
    age_bands: tuple[AgeBandDefinition, ...]
    questions: tuple[QuestionDefinition, ...] = field(default=())

    @cached_property
    def questions_by_key(self) -> dict[str, QuestionDefinition]:
        return {question.key: question for question in self.questions}

    def age_band_for(self, age: int) -> AgeBandDefinition | None:
        for band in self.age_bands:
            if band.min_age <= age <= band.max_age:
                return band
        return None


def _per_language(obj: Any, name: str, languages: list[str]) -> dict[str, str]:
    return {code: getattr(obj, f"{name}_{code}", "") for code in languages}


def _build(survey: Survey) -> SurveyDefinition:
    codes = list(settings.LANGUAGE_CODES)
    questions = (
        Question.objects.filter(survey_id=survey.pk)
        .order_by("order", "pk")
        .prefetch_related(
            Prefetch("options", queryset=Option.objects.order_by("order", "pk")),
            Prefetch("articles", queryset=CrcArticle.objects.order_by("number", "part")),
        )
    )
    bands = survey.campaign.age_bands.order_by("min_age")
    return SurveyDefinition(
        survey_id=survey.pk,
        languages=tuple(survey.campaign.languages),
        age_bands=tuple(
            AgeBandDefinition(
                id=band.pk,
                code=band.code,
                min_age=band.min_age,
                max_age=band.max_age,
                easy_read=band.easy_read,
            )
            for band in bands
        ),
        questions=tuple(
            QuestionDefinition(
                id=question.pk,
                key=question.key,
                kind=question.kind,
                texts=_per_language(question, "text", codes),
                easy_texts=_per_language(question, "easy_text", codes),
                helps=_per_language(question, "help", codes),
                min_value=question.min_value,
                max_value=question.max_value,
                scale_points=question.scale_points,
                max_choices=question.max_choices,
                max_length=question.max_length,
                show_if=question.show_if,
                min_age=question.min_age,
                max_age=question.max_age,
                articles=tuple(article.code for article in question.articles.all()),
                options=tuple(
                    OptionDefinition(
                        id=option.pk,
                        value=option.value,
                        labels=_per_language(option, "label", codes),
                        emoji=option.emoji,
                    )
                    for option in question.options.all()
                ),
            )
            for question in questions
        ),
    )


def _cache_key(survey: Survey) -> str:
    return ":".join(
        [
            "surveys",
            "definition",
            str(CACHE_VERSION),
            str(survey.pk),
            survey.updated_at.isoformat(),
            survey.campaign.updated_at.isoformat(),
        ]
    )


def survey_definition(survey: Survey) -> SurveyDefinition:
    """The survey's definition, from the cache when it holds the current version.

    ``survey`` must come with its campaign loaded (survey_get_public does that). A cache that
    is down costs four queries, never a failed request.
    """
    key = _cache_key(survey)
    local = _local.get(key)
    if local is not None and local[0] > time.monotonic():
        return local[1]
    try:
        definition = cache.get(key)
    except Exception:  # the cache is an optimisation: Redis being down must not fail a request
        logger.warning("survey definition cache unavailable", exc_info=True)
        definition = None
    if definition is None:
        definition = _build(survey)
        try:
            cache.set(key, definition, CACHE_SECONDS)
        except Exception:
            logger.warning("survey definition cache unavailable", exc_info=True)
    _remember(key, definition)
    return definition


def _remember(key: str, definition: SurveyDefinition) -> None:
    if len(_local) >= LOCAL_ENTRIES:
        _local.clear()  # rare (many surveys in turn), and cheaper than keeping an order
    _local[key] = (time.monotonic() + LOCAL_SECONDS, definition)


def survey_definition_forget() -> None:
    """Drop this process's copies (tests that start from a cold cache)."""
    _local.clear()
