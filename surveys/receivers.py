"""Model signal receivers, connected in SurveysConfig.ready().

They keep the cached survey definition fresh (surveys.definition keys it on the survey's
``updated_at``, moved forward here whenever a question, option or UNCRC tag changes) and refuse,
as a last line of defence, deleting a question of a survey that has responses.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from surveys.models import Option, Question, Survey, refuse_if_answered


def _touch_surveys(survey_ids: QuerySet | list[int]) -> None:
    Survey.objects.filter(pk__in=survey_ids).update(updated_at=timezone.now())


@receiver(post_save, sender=Question, dispatch_uid="surveys_question_saved")
@receiver(post_delete, sender=Question, dispatch_uid="surveys_question_deleted")
def question_changed(sender, instance: Question, **kwargs) -> None:
    _touch_surveys([instance.survey_id])


@receiver(post_save, sender=Option, dispatch_uid="surveys_option_saved")
@receiver(post_delete, sender=Option, dispatch_uid="surveys_option_deleted")
def option_changed(sender, instance: Option, **kwargs) -> None:
    _touch_surveys(Question.objects.filter(pk=instance.question_id).values("survey_id"))


@receiver(m2m_changed, sender=Question.articles.through, dispatch_uid="surveys_articles_changed")
def question_articles_changed(sender, instance, action: str, reverse: bool, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if not reverse:
        _touch_surveys([instance.survey_id])
        return
    # An article's questions changed (article.questions.add/remove/clear).
    pk_set = kwargs.get("pk_set")
    questions = Question.objects.all() if pk_set is None else Question.objects.filter(pk__in=pk_set)
    _touch_surveys(questions.values("survey_id"))


@receiver(pre_delete, sender=Question, dispatch_uid="surveys_question_delete_refused")
def refuse_deleting_answered_question(sender, instance: Question, **kwargs) -> None:
    # Question.delete() and its queryset check first; this catches any other way in.
    refuse_if_answered([instance.survey_id])
