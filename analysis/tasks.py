"""Celery tasks of the analysis app: thin, an id in, one service call out (DESIGN §3).

Each runs on the "default" queue, tolerates a row deleted since it was queued, and is
retried when the database is briefly unreachable.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from analysis import services, themes
from consultations.models import Campaign
from surveys.models import Survey

logger = logging.getLogger(__name__)

TRANSIENT_DB_ERRORS = (OperationalError, InterfaceError)


@shared_task(
    bind=True,
    queue="default",
    autoretry_for=TRANSIENT_DB_ERRORS,
    retry_backoff=5,
    retry_backoff_max=5 * 60,
    max_retries=6,
    ignore_result=True,
)
def survey_results_refresh_task(self, survey_id: int) -> bool:
    """Recompute one survey's result snapshot. Queued, debounced, by
    ``services.survey_results_refresh_schedule``; returns whether it computed one."""
    # Changes committed from here on queue a refresh of their own: this one may not see them.
    services.survey_results_refresh_unmark(survey_id=survey_id)
    survey = Survey.objects.select_related("campaign").filter(pk=survey_id).first()
    if survey is None:
        logger.info("Survey %s is gone; no results to refresh.", survey_id)
        return False
    try:
        services.survey_results_refresh(survey=survey)
    except services.RefreshAlreadyRunning:
        # The running refresh may have started before the change that queued this one: come
        # back after it. (Not when tasks run in-process: that would call this again at once,
        # over and over; the next change or the sweeper catches up instead.)
        if not self.request.is_eager:
            services.survey_results_refresh_schedule(survey_id=survey_id)
        return False
    return True


@shared_task(queue="default", autoretry_for=TRANSIENT_DB_ERRORS, max_retries=3, ignore_result=True)
def sweep_stale_snapshots() -> int:
    """Beat, every minute: queue a refresh of every survey whose snapshot is behind its
    responses (a lost message, a worker killed mid-refresh). Returns how many were queued."""
    return services.stale_snapshots_requeue()


@shared_task(queue="default", autoretry_for=TRANSIENT_DB_ERRORS, max_retries=3, ignore_result=True)
def theme_suggestions_refresh_task(campaign_id: int) -> int | None:
    """Look for candidate themes in a campaign's uncoded open answers (analysis.themes).
    Returns how many suggestions are open, or None when the campaign is gone."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        logger.info("Campaign %s is gone; no themes to look for.", campaign_id)
        return None
    return themes.theme_suggestions_refresh(campaign=campaign)


# --- Exports (the "exports" queue: CELERY_TASK_ROUTES sends analysis.tasks.export_* there) --------


@shared_task(
    queue="exports",
    autoretry_for=TRANSIENT_DB_ERRORS,
    retry_backoff=5,
    retry_backoff_max=5 * 60,
    max_retries=6,
    ignore_result=True,
)
def export_render_task(export_id: int) -> str | None:
    """Render one export (analysis.exports.export_run): queued by ``export_request`` once its
    row is committed. Returns the export's status, or None when it is gone."""
    from analysis.exports import export_run

    export = export_run(export_id=export_id)
    return None if export is None else export.status


@shared_task(queue="exports", autoretry_for=TRANSIENT_DB_ERRORS, max_retries=3, ignore_result=True)
def export_cleanup_task() -> int:
    """Beat, every hour: remove export files older than EXPORT_RETENTION_DAYS (the rows stay)
    and fail exports that were lost on the way. Returns how many files were removed."""
    from analysis.exports import export_cleanup

    return export_cleanup()
