"""HTTP API v1 of the analysis app (DESIGN §6): a survey's results, for coalition staff only.

Every number passes through small-cell suppression (analysis.suppression) before it leaves:
a hidden count is ``null`` with ``suppressed: true``, never its value.
"""

from __future__ import annotations

from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsStaffWithMFA
from analysis.selectors import survey_results
from analysis.services import survey_results_refresh_schedule
from config.exceptions import NotFoundError
from surveys.models import Survey


class ResultCountOutputSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField(allow_null=True, help_text="null when suppressed")
    suppressed = serializers.BooleanField()


class ResultRankOutputSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    ranked = serializers.IntegerField(
        allow_null=True, help_text="How many ranked this option; null when suppressed."
    )
    mean_rank = serializers.FloatField(allow_null=True, help_text="1 = most important.")
    suppressed = serializers.BooleanField()


class QuestionStatsOutputSerializer(serializers.Serializer):
    """Which fields are present depends on the question's kind."""

    counts = ResultCountOutputSerializer(
        many=True,
        required=False,
        help_text="single, multiple: per option; scale: per point; number: per value.",
    )
    mean = serializers.FloatField(
        required=False, allow_null=True, help_text="scale, number; null under k answers."
    )
    median = serializers.FloatField(
        required=False, allow_null=True, help_text="scale, number; null under k answers."
    )
    first_choice = ResultCountOutputSerializer(many=True, required=False, help_text="ranking")
    mean_rank = ResultRankOutputSerializer(many=True, required=False, help_text="ranking")


class ResultGroupOutputSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField(allow_blank=True)
    n = serializers.IntegerField(allow_null=True, help_text="null when suppressed")
    suppressed = serializers.BooleanField()


class QuestionGroupOutputSerializer(ResultGroupOutputSerializer):
    results = QuestionStatsOutputSerializer(allow_null=True, help_text="null when suppressed")


class QuestionResultsOutputSerializer(serializers.Serializer):
    key = serializers.SlugField()
    kind = serializers.CharField()
    text = serializers.CharField(allow_blank=True)
    n = serializers.IntegerField(help_text="Young people who answered (exact).")
    results = QuestionStatsOutputSerializer()
    breakdown = QuestionGroupOutputSerializer(
        many=True, required=False, help_text="Only with ?by=: one entry per group."
    )


class SurveyResultsOutputSerializer(serializers.Serializer):
    survey = serializers.SlugField()
    computed_at = serializers.DateTimeField(
        allow_null=True, help_text="null: the first snapshot is being computed."
    )
    min_cell_size = serializers.IntegerField(help_text="k: smaller counts are suppressed.")
    by = serializers.CharField(allow_null=True)
    response_count = serializers.IntegerField(help_text="Counted responses (exact).")
    groups = ResultGroupOutputSerializer(
        many=True, required=False, help_text="Only with ?by=: responses per group."
    )
    questions = QuestionResultsOutputSerializer(many=True)


class SurveyResultsQuerySerializer(serializers.Serializer):
    by = serializers.CharField(required=False, allow_blank=True, max_length=100)


class SurveyResultsApi(APIView):
    """GET /api/v1/surveys/{slug}/results/?by=..."""

    permission_classes = [IsStaffWithMFA]

    @extend_schema(
        operation_id="survey_results",
        summary="A survey's results, small cells suppressed (staff)",
        description=(
            "The latest snapshot: per question n, counts per option value (scale: per point, "
            "plus mean and median), broken down by `by`. A count under the campaign's "
            "min_cell_size is null with suppressed true. While no snapshot exists yet a refresh "
            "is queued and computed_at is null."
        ),
        parameters=[
            OpenApiParameter(
                "by",
                str,
                description="age_band, organisation, language, or a single-choice question key.",
            )
        ],
        responses={
            200: SurveyResultsOutputSerializer,
            400: OpenApiResponse(description="Unknown breakdown (names `by`)."),
            403: OpenApiResponse(description="Not coalition staff with two-step verification."),
            404: OpenApiResponse(description="No survey at this address."),
        },
    )
    def get(self, request: Request, slug: str) -> Response:
        query = SurveyResultsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        by = query.validated_data.get("by") or None
        survey = Survey.objects.select_related("campaign").filter(slug=slug).first()
        if survey is None:
            raise NotFoundError(gettext("There is no survey at this address."))
        results = survey_results(survey=survey, by=by)
        if results["computed_at"] is None:
            # The first look at a survey: queue its first snapshot. (Without a worker, tasks
            # run in-process and it exists right away.)
            survey_results_refresh_schedule(survey_id=survey.pk)
            results = survey_results(survey=survey, by=by)
        return Response(SurveyResultsOutputSerializer(results).data)
