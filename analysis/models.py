"""Result snapshots: one per survey, the raw aggregates of its answers.

A snapshot holds exact counts. Small-cell suppression (analysis.suppression) is applied when a
snapshot is read for output, with the campaign's current ``min_cell_size``, so that raising k
protects every page and endpoint at once, without a recomputation.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from surveys.models import Survey


class ResultSnapshot(models.Model):
    survey = models.OneToOneField(
        Survey,
        on_delete=models.CASCADE,
        related_name="result_snapshot",
        verbose_name=_("survey"),
    )
    # Layout: analysis.services (SNAPSHOT_FORMAT); read through analysis.selectors only.
    data = models.JSONField(_("aggregates"), default=dict)
    # What the snapshot was computed from: the sweeper compares these with the responses now.
    response_count = models.PositiveIntegerField(_("responses"), default=0)
    max_response_id = models.BigIntegerField(_("highest response id"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"))
    duration = models.DurationField(_("time taken"))

    class Meta:
        verbose_name = _("result snapshot")
        verbose_name_plural = _("result snapshots")
        constraints = [
            models.CheckConstraint(
                condition=Q(response_count=0, max_response_id__isnull=True)
                | Q(response_count__gt=0, max_response_id__isnull=False),
                name="analysis_resultsnapshot_max_id_with_responses",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} @ {self.computed_at:%Y-%m-%d %H:%M:%S}"
