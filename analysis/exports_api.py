"""HTTP API v1 of exports (DESIGN §6), for coalition staff only: request an export of a campaign,
follow its progress, download its file.

The rules (who may have raw responses, what a CSV holds, what may be downloaded) are in
``analysis.exports``; these views check the shape of the input and answer.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsStaffWithMFA
from analysis.exports import (
    can_download_export,
    export_download,
    export_get,
    export_request,
)
from analysis.models import Export, ExportFormat, ExportStatus
from consultations.selectors import campaign_get

NOT_STAFF = OpenApiResponse(description="Not coalition staff with two-step verification.")


def export_data(export: Export, *, request: Request | Any, user: Any) -> dict[str, Any]:
    """An export as the API (and the staff page's script) shows it."""
    downloadable = (
        export.status == ExportStatus.DONE
        and bool(export.file)
        and export.file_removed_at is None
        and can_download_export(user, export)
    )
    download = None
    if downloadable:
        download = request.build_absolute_uri(reverse("analysis:export-download", args=[export.pk]))
    return {
        "id": export.pk,
        "campaign": export.campaign.slug,
        "format": export.format,
        "language": export.language,
        "includes_raw_responses": export.includes_raw_responses,
        "status": export.status,
        "status_label": str(ExportStatus(export.status).label),
        "progress": round(export.progress, 4),
        "created_at": export.created_at,
        "started_at": export.started_at,
        "finished_at": export.finished_at,
        "filename": export.filename,
        "size": export.size,
        "file_removed_at": export.file_removed_at,
        "download": download,
        "error": export.error_message or None,
    }


class ExportRequestInputSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=ExportFormat.choices)
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text="Language of the headings; default: the request's language.",
    )
    include_raw = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "Add the anonymised raw responses (needs the permission "
            '"analysis.export_raw_responses"; a CSV always holds them).'
        ),
    )


class ExportOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    campaign = serializers.SlugField()
    format = serializers.ChoiceField(choices=ExportFormat.choices)
    language = serializers.CharField()
    includes_raw_responses = serializers.BooleanField()
    status = serializers.ChoiceField(choices=ExportStatus.choices)
    status_label = serializers.CharField()
    progress = serializers.FloatField(help_text="0..1")
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    filename = serializers.CharField(allow_blank=True)
    size = serializers.IntegerField(allow_null=True, help_text="Bytes, once done.")
    file_removed_at = serializers.DateTimeField(
        allow_null=True, help_text="Set when the file was removed after the retention period."
    )
    download = serializers.URLField(
        allow_null=True, help_text="Where to download the file, once done (and allowed)."
    )
    error = serializers.CharField(allow_null=True, help_text="Why it failed, when it failed.")


class CampaignExportsApi(APIView):
    """POST /api/v1/campaigns/{slug}/exports/"""

    permission_classes = [IsStaffWithMFA]

    @extend_schema(
        operation_id="campaign_export_request",
        summary="Request an export of a campaign (staff)",
        description=(
            "docx: the end-report input; xlsx: results, codebook and roundtable outcomes "
            "(with include_raw, also the anonymised raw responses); csv: the anonymised raw "
            "responses. Rendered by a task; follow it at GET /api/v1/exports/{id}/."
        ),
        request=ExportRequestInputSerializer,
        responses={
            202: ExportOutputSerializer,
            400: OpenApiResponse(description="Bad format or language (names the field)."),
            403: OpenApiResponse(
                description="Not staff, or raw responses without the permission to export them."
            ),
            404: OpenApiResponse(description="No campaign at this address."),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        campaign = campaign_get(slug=slug)
        data = ExportRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        language = data.validated_data.get("language") or (get_language() or "").split("-")[0]
        if language not in settings.LANGUAGE_CODES:
            language = settings.LANGUAGE_CODE
        export = export_request(
            campaign=campaign,
            format=data.validated_data["format"],
            language=language,
            include_raw=data.validated_data["include_raw"],
            user=request.user,
        )
        export.refresh_from_db()  # without a worker the task already ran, in-process
        body = ExportOutputSerializer(export_data(export, request=request, user=request.user))
        location = reverse("analysis:export-detail", args=[export.pk])
        return Response(body.data, status=status.HTTP_202_ACCEPTED, headers={"Location": location})


class ExportDetailApi(APIView):
    """GET /api/v1/exports/{id}/"""

    permission_classes = [IsStaffWithMFA]

    @extend_schema(
        operation_id="export_detail",
        summary="An export's status and progress (staff)",
        responses={200: ExportOutputSerializer, 403: NOT_STAFF, 404: OpenApiResponse()},
    )
    def get(self, request: Request, pk: int) -> Response:
        export = export_get(export_id=pk)
        return Response(
            ExportOutputSerializer(export_data(export, request=request, user=request.user)).data
        )


class ExportDownloadApi(APIView):
    """GET /api/v1/exports/{id}/download/"""

    permission_classes = [IsStaffWithMFA]

    @extend_schema(
        operation_id="export_download",
        summary="Download an export's file (staff)",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(description="The file."),
            403: OpenApiResponse(
                description="Not staff, or raw responses without the permission to export them."
            ),
            404: OpenApiResponse(description="No export at this address."),
            409: OpenApiResponse(description="Not done (yet), or failed."),
            410: OpenApiResponse(description="The file was removed after the retention period."),
        },
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        export = export_get(export_id=pk)
        download = export_download(export=export, user=request.user)
        response = FileResponse(
            download.file,
            as_attachment=True,
            filename=download.filename,
            content_type=download.content_type,
        )
        response["Cache-Control"] = "private, no-store"
        return response
