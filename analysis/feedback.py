"""Every write of "what happened with your voice": the child-friendly summary per age band, and
publishing it to the young people who took part (UNCRC art. 12, General Comment 12 §45).

Each service is one transaction and raises config.exceptions errors naming the field.
(Reads: analysis.feedback_selectors.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from analysis.feedback_selectors import (
    CLOSED_KINDS,
    TEXT_PARTS,
    feedback_questions,
    youth_feedback_languages,
)
from analysis.models import YouthFeedback, YouthFeedbackPublication
from config.exceptions import InvalidInputError
from consultations.models import AgeBand, Campaign
from surveys.models import Question, SurveyStatus

if TYPE_CHECKING:
    from accounts.models import User

TEXT_FIELDS = tuple(f"{part}_{code}" for part in TEXT_PARTS for code in settings.LANGUAGE_CODES)
TEXT_MAX_LENGTH = 4000
# A question id beyond any id (a bigint column): refused as unknown rather than overflowing.
MAX_ID = 2**63 - 1


def _clean_texts(texts: Mapping[str, object]) -> dict[str, str]:
    if not isinstance(texts, Mapping):
        raise InvalidInputError(gettext("Give the texts by name."), field="texts")
    cleaned: dict[str, str] = {}
    for name, value in texts.items():
        if name not in TEXT_FIELDS:
            raise InvalidInputError(
                gettext("Unknown text '%(name)s'; the texts are %(names)s.")
                % {"name": str(name)[:40], "names": ", ".join(TEXT_FIELDS)},
                field=str(name)[:40],
            )
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise InvalidInputError(gettext("Write this text in words."), field=name)
        value = value.strip().replace("\r\n", "\n")
        if len(value) > TEXT_MAX_LENGTH:
            raise InvalidInputError(
                gettext("A text has at most %(count)s characters; this one has %(length)s.")
                % {"count": TEXT_MAX_LENGTH, "length": len(value)},
                field=name,
            )
        cleaned[name] = value
    return cleaned


def _clean_question_ids(
    campaign: Campaign, age_band: AgeBand, question_ids: Iterable[int | str] | None
) -> list[int] | None:
    if question_ids is None:
        return None
    if isinstance(question_ids, (str, int)):
        question_ids = [question_ids]
    ids: set[int] = set()
    for value in question_ids:
        text = str(value).strip()
        if isinstance(value, bool) or not text.isdigit() or len(text) > 19 or int(text) > MAX_ID:
            raise _unknown_question(value)
        ids.add(int(text))
    if not ids:
        return []
    allowed = set(
        feedback_questions(campaign=campaign, age_band=age_band)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    for question_id in sorted(ids - allowed):
        question = Question.objects.filter(pk=question_id).select_related("survey").first()
        if question is None or question.survey.campaign_id != campaign.pk:
            raise _unknown_question(question_id)
        if question.kind not in CLOSED_KINDS:
            raise InvalidInputError(
                gettext(
                    "Question '%(key)s' has no chart young people can read: choose questions "
                    "with one choice, several choices or a scale."
                )
                % {"key": question.key},
                field="questions",
            )
        if question.survey.status == SurveyStatus.DRAFT:
            raise InvalidInputError(
                gettext("Question '%(key)s' is in a survey that is still a draft.")
                % {"key": question.key},
                field="questions",
            )
        raise InvalidInputError(
            gettext("Question '%(key)s' is not asked of young people aged %(band)s.")
            % {"key": question.key, "band": age_band.code},
            field="questions",
        )
    return sorted(ids)


def _unknown_question(value: object) -> InvalidInputError:
    return InvalidInputError(
        gettext("Question '%(question)s' is not one of this campaign's surveys.")
        % {"question": str(value)[:20]},
        field="questions",
    )


@transaction.atomic
def youth_feedback_save(
    *,
    campaign: Campaign,
    age_band: AgeBand,
    texts: Mapping[str, object],
    question_ids: Iterable[int | str] | None,
    user: User | None,
) -> YouthFeedback:
    """Write the summary of ``campaign`` for ``age_band``.

    ``texts`` maps field names (``told_us_nl``, ``we_did_fr``, ``next_steps_en``, ...) to text;
    a name left out keeps its stored text, "" or None empties it. ``question_ids``: the closed
    questions whose results are shown (of the campaign's published surveys, asked of this
    band); [] means every closed question asked of the band, None keeps the stored choice.
    A published summary changes at once for the young people reading it.
    """
    if age_band.campaign_id != campaign.pk:
        raise InvalidInputError(
            gettext("Age band %(band)s is not one of this campaign's.") % {"band": age_band.code},
            field="age_band",
        )
    cleaned = _clean_texts(texts)
    chosen = _clean_question_ids(campaign, age_band, question_ids)
    feedback, _created = YouthFeedback.objects.select_for_update().get_or_create(
        campaign=campaign, age_band=age_band
    )
    for name, value in cleaned.items():
        setattr(feedback, name, value)
    feedback.updated_by = user
    feedback.save()
    if chosen is not None:
        feedback.questions.set(chosen)
    return feedback


@transaction.atomic
def youth_feedback_publish(*, campaign: Campaign, user: User | None) -> YouthFeedbackPublication:
    """Show the summaries to young people: on their receipt pages and the campaign's public
    results page. Refused until at least one age band has a summary in the campaign's first
    language. Publishing again changes nothing (the first publication date stays)."""
    # Serialises publish and unpublish of one campaign, so that two clicks make one row.
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    existing = YouthFeedbackPublication.objects.filter(campaign=campaign).first()
    if existing is not None:
        return existing
    first_language = (campaign.languages or [settings.LANGUAGE_CODE])[0]
    written = youth_feedback_languages(campaign=campaign)
    if not any(first_language in languages for languages in written.values()):
        names = dict(settings.LANGUAGES)
        raise InvalidInputError(
            gettext(
                "Write the summary of at least one age band in %(language)s, the campaign's "
                "first language, before publishing."
            )
            % {"language": str(names.get(first_language, first_language))},
            field="texts",
        )
    return YouthFeedbackPublication.objects.create(
        campaign=campaign, published_at=timezone.now(), published_by=user
    )


@transaction.atomic
def youth_feedback_unpublish(*, campaign: Campaign) -> bool:
    """Hide the summaries again (receipt pages say when results are expected). Returns whether
    they were published; unpublishing what is not published is harmless."""
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    deleted, _by_model = YouthFeedbackPublication.objects.filter(campaign=campaign).delete()
    return bool(deleted)
