"""Exports of a campaign's end-report input: requested by staff, rendered by a task on the
"exports" queue, downloaded, and removed after EXPORT_RETENTION_DAYS (the rows stay as the log).

- ``export_request`` checks what is asked and who asks, stores an ``Export`` (queued) and
  queues ``analysis.tasks.export_render_task`` once the row is committed.
- ``export_run`` renders it: running → progress (written at most every 2 % or every second) →
  the file saved through the default storage → done. Any error makes it failed with a message
  staff understand, and leaves no file behind. A done or failed export is never rendered
  again, and two deliveries of the same task never render it at once (a lock).
- ``export_cleanup`` removes old files, and fails exports that were lost on the way.

Raw responses are for users with the permission "analysis.export_raw_responses" only (a CSV is
always raw responses); every raw-data export is logged on the "inspraak.audit" logger, when it
is requested, rendered, downloaded or written by the command.

``write_docx``, ``write_xlsx`` and ``write_raw_responses_csv`` render straight to a stream,
without an Export row: the task, the ``export`` command and the benchmarks use them. They read
the database in chunks where it matters (the raw responses), so memory stays flat.
"""

from __future__ import annotations

import datetime
import logging
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.db import DatabaseError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.permissions import can_open_staff_area
from analysis.models import Export, ExportFormat, ExportStatus, ResultSnapshot
from analysis.renderers.csv import render_csv
from analysis.renderers.docx import render_docx
from analysis.renderers.xlsx import SUMMARY_SHARE, render_xlsx
from analysis.report import RawResponses, report_data, report_surveys
from analysis.selectors import survey_ids_with_stale_snapshot
from analysis.services import RefreshAlreadyRunning, survey_results_refresh
from config.exceptions import (
    ApplicationError,
    ConflictError,
    InvalidInputError,
    NotAllowedError,
    NotFoundError,
)
from consultations.models import Campaign

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    AnyUser = User | AnonymousUser

logger = logging.getLogger(__name__)
audit = logging.getLogger("inspraak.audit")

RAW_PERMISSION = "analysis.export_raw_responses"
EXTENSIONS = {ExportFormat.DOCX: "docx", ExportFormat.XLSX: "xlsx", ExportFormat.CSV: "csv"}
CONTENT_TYPES = {
    ExportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.CSV: "text/csv; charset=utf-8",
}
# Progress is written to the row when it moved this much, or this long after the last write.
PROGRESS_STEP = 0.02
PROGRESS_SECONDS = 1.0
# Longer than any export may run (the task's hard time limit): a lock left by a killed worker
# frees itself before the broker hands the message to another one.
LOCK_SECONDS = getattr(settings, "CELERY_TASK_TIME_LIMIT", 20 * 60)
# An export still queued or running after this long was lost (a broker that lost the message,
# a worker killed past its time limit): the cleanup says so instead of leaving it spinning.
LOST_AFTER = datetime.timedelta(seconds=2 * LOCK_SECONDS + 10 * 60)
DEFAULT_RETENTION_DAYS = 7

Progress = Callable[[float], None]


class ExportFileRemoved(ApplicationError):
    """The export's file was removed after the retention period: 410 Gone."""

    status_code = 410


# --- Who may do what -----------------------------------------------------------------------------


def can_export_raw_responses(user: AnyUser | None) -> bool:
    """Staff with the permission "analysis.export_raw_responses" (superusers have every one)."""
    return bool(can_open_staff_area(user) and user.has_perm(RAW_PERMISSION))


def can_download_export(user: AnyUser | None, export: Export) -> bool:
    if not can_open_staff_area(user):
        return False
    return not export.includes_raw_responses or can_export_raw_responses(user)


# --- Reads ---------------------------------------------------------------------------------------


def export_get(*, export_id: int | str) -> Export:
    """One export with its campaign and requester, or NotFoundError."""
    try:
        pk = int(export_id)
    except (TypeError, ValueError):
        pk = 0
    export = (
        Export.objects.select_related("campaign", "requested_by").filter(pk=pk).first()
        if 0 < pk < 2**63
        else None
    )
    if export is None:
        raise NotFoundError(gettext("There is no export at this address."))
    return export


def export_list(*, campaign: Campaign) -> QuerySet[Export]:
    """The campaign's exports, the newest first, with who requested them."""
    return (
        Export.objects.filter(campaign=campaign)
        .select_related("requested_by", "campaign")
        .order_by("-created_at", "-pk")
    )


# --- Requesting ----------------------------------------------------------------------------------


def export_request(
    *, campaign: Campaign, format: str, language: str, include_raw: bool, user: User
) -> Export:
    """Store an export of ``campaign`` and queue its rendering once it is committed.

    ``format``: docx, xlsx or csv (a CSV holds the raw responses, so it always includes them);
    ``language``: of the headings (nl, fr, en). Raises InvalidInputError naming ``format`` or
    ``language``, and NotAllowedError (naming ``include_raw``) when raw responses are asked for
    by someone without the permission "analysis.export_raw_responses" — then nothing is stored.
    """
    from analysis.tasks import export_render_task

    if format not in ExportFormat.values:
        raise InvalidInputError(
            gettext("Choose a format: %(formats)s.") % {"formats": ", ".join(ExportFormat.values)},
            field="format",
        )
    if language not in settings.LANGUAGE_CODES:
        raise InvalidInputError(
            gettext("Choose a language for the headings: %(languages)s.")
            % {"languages": ", ".join(settings.LANGUAGE_CODES)},
            field="language",
        )
    if not can_open_staff_area(user):
        raise NotAllowedError(gettext("Only coalition staff can export."))
    include_raw = bool(include_raw) or format == ExportFormat.CSV
    if include_raw and not can_export_raw_responses(user):
        raise NotAllowedError(
            gettext(
                "Exporting the raw responses needs the permission to export anonymised raw "
                "responses; ask an administrator. A CSV export always holds raw responses."
            ),
            field="include_raw",
        )
    with transaction.atomic():
        export = Export.objects.create(
            campaign=campaign,
            format=format,
            language=language,
            includes_raw_responses=include_raw,
            requested_by=user,
        )
        # robust: a broker that is down must not undo the request; the cleanup fails an
        # export that never started, and says why.
        transaction.on_commit(lambda: export_render_task.delay(export.pk), robust=True)
    if include_raw:
        audit.info(
            "raw responses export requested: export=%s campaign=%s format=%s user=%s <%s>",
            export.pk,
            campaign.slug,
            format,
            user.pk,
            user.email,
        )
    return export


# --- Rendering -----------------------------------------------------------------------------------


def snapshots_refresh_for_export(*, campaign: Campaign, progress: Progress | None = None) -> None:
    """Bring the result snapshots of the campaign's surveys up to date, so that an export shows
    the responses as they are now. A survey being refreshed by another process right now is
    left to it."""
    surveys = report_surveys(campaign=campaign)
    with_snapshot = set(
        ResultSnapshot.objects.filter(survey__in=surveys).values_list("survey_id", flat=True)
    )
    stale = set(survey_ids_with_stale_snapshot())
    due = [s for s in surveys if s.pk in stale or s.pk not in with_snapshot]
    for position, survey in enumerate(due, start=1):
        try:
            survey_results_refresh(survey=survey)
        except RefreshAlreadyRunning:
            logger.info("export: survey %s is being refreshed elsewhere", survey.slug)
        if progress:
            progress(position / len(due))


def write_docx(
    *, campaign: Campaign, out: BinaryIO, language: str, progress: Progress | None = None
) -> None:
    """The end-report input of ``campaign`` as a .docx, headings in ``language``."""
    with translation.override(language):
        report = report_data(campaign=campaign, language=language)
        if progress:
            progress(0.1)
        render_docx(report=report, out=out, progress=_scaled(progress, 0.1, 1.0))


def write_xlsx(
    *,
    campaign: Campaign,
    out: BinaryIO,
    language: str,
    include_raw: bool,
    progress: Progress | None = None,
) -> None:
    """The workbook of ``campaign`` (headings in ``language``), with the anonymised raw
    responses when ``include_raw``. The caller checks who may have the raw responses."""
    with translation.override(language):
        report = report_data(campaign=campaign, language=language)
        raw_header = raw_rows = None
        if include_raw:
            raw = RawResponses(campaign=campaign)
            raw_header = raw.header
            raw_rows = raw.rows(progress=_scaled(progress, SUMMARY_SHARE, 1.0))
        render_xlsx(
            report=report,
            out=out,
            raw_header=raw_header,
            raw_rows=raw_rows,
            progress=progress,
        )


def write_raw_responses_csv(
    *, campaign: Campaign, out: BinaryIO, progress: Progress | None = None
) -> int:
    """The anonymised raw responses of ``campaign`` as CSV; returns how many rows. The caller
    checks who may have them."""
    raw = RawResponses(campaign=campaign)
    return render_csv(header=raw.header, rows=raw.rows(progress=progress), out=out)


def _scaled(progress: Progress | None, start: float, end: float) -> Progress | None:
    """``progress`` for a part of the work that covers ``start``..``end`` of the whole."""
    if progress is None:
        return None
    return lambda share: progress(start + (end - start) * min(max(share, 0.0), 1.0))


class _ProgressWriter:
    """Writes an export's progress to its row, throttled: a bar moves smoothly enough at every
    2 % or every second, and a large export does not turn into thousands of writes."""

    def __init__(self, export_id: int):
        self.export_id = export_id
        self.written = 0.0
        self.at = time.monotonic()

    def __call__(self, share: float) -> None:
        share = min(max(share, 0.0), 1.0)
        now = time.monotonic()
        if share <= self.written:
            return
        if share - self.written < PROGRESS_STEP and now - self.at < PROGRESS_SECONDS:
            return
        try:
            Export.objects.filter(pk=self.export_id, status=ExportStatus.RUNNING).update(
                progress=share
            )
        except DatabaseError:
            # Progress is for the eye: a write that fails must not fail the export.
            logger.warning("Export %s: progress not written", self.export_id, exc_info=True)
            return
        self.written, self.at = share, now


def export_filename(
    *, campaign: Campaign, format: str, include_raw: bool, today: datetime.date | None = None
) -> str:
    """What an export's file is called: <campaign>-<what>-<date>.<extension>."""
    what = {
        ExportFormat.DOCX: "end-report-input",
        ExportFormat.XLSX: "results-raw-responses" if include_raw else "results",
        ExportFormat.CSV: "raw-responses",
    }[format]
    day = (today or timezone.localdate()).isoformat()
    return f"{campaign.slug}-{what}-{day}.{EXTENSIONS[format]}"


def _render(export: Export, out: BinaryIO, progress: Progress) -> int | None:
    """Render ``export`` into ``out``; the number of raw rows when it has them."""
    campaign = export.campaign
    if export.format == ExportFormat.CSV:
        return write_raw_responses_csv(
            campaign=campaign, out=out, progress=_scaled(progress, 0.0, 1.0)
        )
    snapshots_refresh_for_export(campaign=campaign, progress=_scaled(progress, 0.0, 0.1))
    if export.format == ExportFormat.DOCX:
        write_docx(
            campaign=campaign,
            out=out,
            language=export.language,
            progress=_scaled(progress, 0.1, 1.0),
        )
        return None
    write_xlsx(
        campaign=campaign,
        out=out,
        language=export.language,
        include_raw=export.includes_raw_responses,
        progress=_scaled(progress, 0.1, 1.0),
    )
    return None


def _lock_key(export_id: int) -> str:
    return f"analysis:export-lock:{export_id}"


def export_run(*, export_id: int) -> Export | None:
    """Render a queued export and store its file; returns the export (None when it is gone).

    Idempotent: a done or failed export is returned as it is, and a second delivery of the task
    while the first still renders leaves it to the first. Errors of the database while the
    export is being claimed propagate (the task retries); any error after that makes the export
    failed with a message that says why, and leaves no file.
    """
    export = Export.objects.select_related("campaign", "requested_by").filter(pk=export_id).first()
    if export is None:
        logger.info("Export %s is gone; nothing to render.", export_id)
        return None
    if export.status in (ExportStatus.DONE, ExportStatus.FAILED):
        return export
    key, token = _lock_key(export.pk), uuid.uuid4().hex
    if not cache.add(key, token, timeout=LOCK_SECONDS):
        logger.info("Export %s is being rendered elsewhere.", export.pk)
        return export
    try:
        claimed = Export.objects.filter(
            pk=export.pk, status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]
        ).update(status=ExportStatus.RUNNING, started_at=timezone.now(), progress=0.0)
        export.refresh_from_db()
        if not claimed:
            return export
        return _run(export)
    finally:
        if cache.get(key) == token:
            cache.delete(key)


def _run(export: Export) -> Export:
    stored_name = ""
    try:
        progress = _ProgressWriter(export.pk)
        with tempfile.TemporaryFile(prefix="inspraak-export-") as rendered:
            rows = _render(export, rendered, _scaled(progress, 0.0, 0.97))
            size = rendered.tell()
            rendered.seek(0)
            filename = export_filename(
                campaign=export.campaign,
                format=export.format,
                include_raw=export.includes_raw_responses,
            )
            # A random part: the stored name cannot be guessed, whatever serves the storage.
            export.file.save(f"{uuid.uuid4().hex[:12]}-{filename}", File(rendered), save=False)
            stored_name = export.file.name
        finished = Export.objects.filter(pk=export.pk, status=ExportStatus.RUNNING).update(
            status=ExportStatus.DONE,
            progress=1.0,
            file=stored_name,
            filename=filename,
            size=size,
            finished_at=timezone.now(),
        )
        if not finished:
            raise ConflictError(gettext("The export was stopped while it was being written."))
    except Exception as error:
        _remove_file(stored_name)
        return _fail(export, error)
    export.refresh_from_db()
    if export.includes_raw_responses:
        audit.info(
            "raw responses export rendered: export=%s campaign=%s format=%s rows=%s "
            "requested_by=%s <%s>",
            export.pk,
            export.campaign.slug,
            export.format,
            rows if rows is not None else "-",
            export.requested_by_id,
            export.requested_by.email,
        )
    return export


def _failure_message(export: Export, error: BaseException) -> str:
    from celery.exceptions import SoftTimeLimitExceeded

    with translation.override(export.language):
        if isinstance(error, ApplicationError):
            return error.message
        if isinstance(error, SoftTimeLimitExceeded):
            return gettext(
                "The export took longer than the %(minutes)s minutes allowed and was stopped. "
                "Request it again when fewer exports are running, or ask the technical team to "
                "allow more time."
            ) % {"minutes": max(1, getattr(settings, "CELERY_TASK_SOFT_TIME_LIMIT", 900) // 60)}
        if isinstance(error, MemoryError):
            return gettext("The export needed more memory than the server has. Tell the team.")
        if isinstance(error, OSError):
            return gettext(
                "The file could not be written (%(reason)s). Check that there is storage space "
                "left, and request the export again."
            ) % {"reason": error.strerror or error.__class__.__name__}
        return gettext(
            "Something unexpected stopped the export (%(error)s). Request it again; if it fails "
            "again, tell the technical team the number of this export: %(id)s."
        ) % {"error": error.__class__.__name__, "id": export.pk}


def _fail(export: Export, error: BaseException) -> Export:
    logger.exception("Export %s failed", export.pk, exc_info=error)
    message = _failure_message(export, error)
    try:
        Export.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED,
            error_message=message,
            file="",
            finished_at=timezone.now(),
        )
    except Exception:
        # The database itself is failing: let the task's retry try again later.
        raise error from None
    export.refresh_from_db()
    return export


def _remove_file(name: str) -> None:
    if not name:
        return
    try:
        Export.file.field.storage.delete(name)
    except Exception:
        logger.warning("Could not remove the export file %s", name, exc_info=True)


# --- Downloading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportDownload:
    file: File
    filename: str
    content_type: str


def export_download(*, export: Export, user: User) -> ExportDownload:
    """The export's file, opened for reading, for ``user``.

    Raises NotAllowedError when raw responses are in it and the user lacks the permission,
    ConflictError while it is not done (or failed), ExportFileRemoved once its file was
    removed. A download of raw responses is logged on "inspraak.audit"."""
    if not can_download_export(user, export):
        raise NotAllowedError(
            gettext(
                "This export holds raw responses: downloading it needs the permission to export "
                "anonymised raw responses."
            )
        )
    if export.file_removed_at is not None:
        raise ExportFileRemoved(
            gettext("The file of this export was removed after %(days)s days; request a new one.")
            % {"days": retention_days()}
        )
    if export.status != ExportStatus.DONE or not export.file:
        if export.status == ExportStatus.FAILED:
            raise ConflictError(
                gettext("This export failed: %(why)s") % {"why": export.error_message}
            )
        raise ConflictError(gettext("This export is not ready yet."))
    opened = export.file.open("rb")
    if export.includes_raw_responses:
        audit.info(
            "raw responses export downloaded: export=%s campaign=%s user=%s <%s>",
            export.pk,
            export.campaign.slug,
            user.pk,
            user.email,
        )
    return ExportDownload(
        file=opened,
        filename=export.filename
        or export_filename(
            campaign=export.campaign,
            format=export.format,
            include_raw=export.includes_raw_responses,
        ),
        content_type=CONTENT_TYPES[export.format],
    )


def log_raw_export_by_command(*, campaign: Campaign, format: str, output: str, rows: Any) -> None:
    """The ``export`` command wrote raw responses (it has no user: whoever runs it holds the
    server)."""
    audit.info(
        "raw responses exported by command: campaign=%s format=%s output=%s rows=%s",
        campaign.slug,
        format,
        output,
        rows,
    )


# --- Cleaning up ---------------------------------------------------------------------------------


def retention_days() -> int:
    return int(getattr(settings, "EXPORT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def export_cleanup(*, older_than: datetime.timedelta | None = None) -> int:
    """Remove the files of exports that finished more than ``older_than`` ago (default:
    EXPORT_RETENTION_DAYS days) and set their ``file_removed_at``; the rows stay as the log of
    who exported what. Exports still queued or running long after any export could have
    finished are failed, saying so. Returns how many files were removed."""
    now = timezone.now()
    cutoff = now - (
        older_than if older_than is not None else datetime.timedelta(days=retention_days())
    )
    removed = 0
    expired = (
        Export.objects.filter(
            status=ExportStatus.DONE, finished_at__lt=cutoff, file_removed_at__isnull=True
        )
        .exclude(file="")
        .order_by("pk")
    )
    for pk, name in expired.values_list("pk", "file").iterator():
        try:
            Export.file.field.storage.delete(name)
        except Exception:
            logger.warning("Could not remove the export file %s; next time", name, exc_info=True)
            continue
        removed += Export.objects.filter(pk=pk, file_removed_at__isnull=True).update(
            file="", file_removed_at=now
        )

    lost = Export.objects.filter(
        Q(status=ExportStatus.QUEUED, created_at__lt=now - LOST_AFTER)
        | Q(status=ExportStatus.RUNNING, started_at__lt=now - LOST_AFTER)
    )
    for export in lost.only("pk", "language"):
        with translation.override(export.language):
            message = gettext(
                "The export did not finish: the task was lost on the way (a worker stopped or "
                "the queue was restarted). Request it again."
            )
        Export.objects.filter(
            pk=export.pk, status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]
        ).update(status=ExportStatus.FAILED, error_message=message, finished_at=now)
    return removed
