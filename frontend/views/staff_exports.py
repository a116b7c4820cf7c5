"""Staff pages for exports of a campaign's end-report input: a form to request one (format,
language of the headings, raw responses for those allowed) with the list of the campaign's
exports, and one export's page with its progress bar and download link.

Every write is one call of ``analysis.exports.export_request``; who may have raw responses is
decided there. The pages work without JavaScript (a "Refresh" link while an export runs); with
it, ``inspraak/exports.js`` follows GET /api/v1/exports/{id}/ to move the progress bars and
show the download link as soon as the file is ready. No ``<meta http-equiv="refresh">``: a page
that reloads itself moves a screen reader's user back to the top, again and again.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from analysis.exports import (
    can_download_export,
    can_export_raw_responses,
    export_get,
    export_list,
    export_request,
    retention_days,
)
from analysis.models import Export, ExportFormat, ExportStatus
from config.exceptions import ApplicationError, NotFoundError
from frontend.views.staff_helpers import campaign_or_404
from frontend.views.staff_roundtables import staff_only

LIST_LENGTH = 50
LANGUAGE_NAMES = dict(settings.LANGUAGES)


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("What to export"), widget=forms.RadioSelect, choices=())
    language = forms.ChoiceField(
        label=_("Language of the headings"),
        choices=settings.LANGUAGES,
        help_text=_("Questions and answers appear in this language where they were translated."),
    )
    include_raw = forms.BooleanField(
        label=_("Add the anonymised raw responses (one row per young person) to the workbook"),
        required=False,
    )

    def __init__(self, *args: Any, can_raw: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        formats = [
            (ExportFormat.DOCX.value, gettext("Word document: the end-report input")),
            (
                ExportFormat.XLSX.value,
                gettext("Excel workbook: results, codebook and roundtable outcomes"),
            ),
        ]
        if can_raw:
            formats.append((ExportFormat.CSV.value, gettext("CSV: the anonymised raw responses")))
        else:
            # Not offered, so not accepted either: the service would refuse it anyway.
            del self.fields["include_raw"]
        self.fields["format"].choices = formats


def _export_or_404(export_id: int) -> Export:
    try:
        return export_get(export_id=export_id)
    except NotFoundError as error:
        raise Http404(error.message) from None


def export_view(export: Export, user: Any) -> dict[str, Any]:
    """What the pages show of an export."""
    running = export.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
    allowed = can_download_export(user, export)
    downloadable = (
        export.status == ExportStatus.DONE
        and bool(export.file)
        and export.file_removed_at is None
        and allowed
    )
    return {
        "export": export,
        "format_label": ExportFormat(export.format).label,
        "language_name": LANGUAGE_NAMES.get(export.language, export.language),
        "status_label": ExportStatus(export.status).label,
        "percent": round(100 * export.progress),
        "running": running,
        "allowed": allowed,
        "downloadable": downloadable,
        "removed": export.file_removed_at is not None,
        "url": reverse("frontend:staff_export", args=[export.pk]),
        "api_url": reverse("analysis:export-detail", args=[export.pk]),
        "download_url": reverse("analysis:export-download", args=[export.pk]),
    }


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def exports_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The campaign's exports; POST requests a new one."""
    campaign = campaign_or_404(slug)
    can_raw = can_export_raw_responses(request.user)
    status = 200
    if request.method == "POST":
        form = ExportForm(request.POST, can_raw=can_raw)
        status = 400
        if form.is_valid():
            try:
                export = export_request(
                    campaign=campaign,
                    format=form.cleaned_data["format"],
                    language=form.cleaned_data["language"],
                    include_raw=form.cleaned_data.get("include_raw", False),
                    user=request.user,
                )
            except ApplicationError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(
                    request,
                    gettext("Your export is on its way; this page shows how far it is."),
                )
                return HttpResponseRedirect(reverse("frontend:staff_export", args=[export.pk]))
    else:
        language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        form = ExportForm(
            initial={"format": ExportFormat.DOCX.value, "language": language}, can_raw=can_raw
        )
    recent = list(export_list(campaign=campaign)[: LIST_LENGTH + 1])
    exports = [export_view(export, request.user) for export in recent[:LIST_LENGTH]]
    context = {
        "campaign": campaign,
        "form": form,
        "can_raw": can_raw,
        "exports": exports,
        "more": len(recent) > LIST_LENGTH,
        "retention_days": retention_days(),
        "any_running": any(item["running"] for item in exports),
    }
    return render(request, "frontend/staff/exports/list.html", context, status=status)


@require_safe
@staff_only
def export_page(request: HttpRequest, export_id: int) -> HttpResponse:
    """One export: its progress, then its download link or why it failed."""
    export = _export_or_404(export_id)
    context = {
        "campaign": export.campaign,
        "item": export_view(export, request.user),
        "retention_days": retention_days(),
    }
    return render(request, "frontend/staff/exports/detail.html", context)
