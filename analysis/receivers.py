"""Signal receivers, connected in AnalysisConfig.ready()."""

from __future__ import annotations

from django.dispatch import receiver

from analysis.services import survey_results_refresh_schedule
from surveys.signals import response_changed


@receiver(response_changed, dispatch_uid="analysis_refresh_on_response_changed")
def refresh_results(sender, survey_id: int, **kwargs) -> None:
    # Sent after the submission or withdrawal committed: the task will see it.
    survey_results_refresh_schedule(survey_id=survey_id)
