"""HTTP API v1 of findings, for coalition staff only: a campaign's findings with their evidence,
as the end report shows them (``analysis.findings_selectors.findings_for_report``).

The numbers of question evidence are the suppressed snapshot's: a hidden count is ``null``
with ``suppressed: true``, never its value.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsStaffWithMFA
from analysis.api import QuestionGroupOutputSerializer, QuestionResultsOutputSerializer
from analysis.coding_api import NO_CAMPAIGN, NOT_STAFF
from analysis.findings_selectors import findings_for_report
from analysis.models import EvidenceKind, FindingPriority
from consultations.selectors import campaign_get


class FindingArticleOutputSerializer(serializers.Serializer):
    code = serializers.CharField(help_text='The article or its part, e.g. "12" or "6(2)".')
    number = serializers.IntegerField()
    title = serializers.CharField()
    cluster_id = serializers.CharField(help_text="The UN Committee's reporting cluster.")
    secondary_cluster_ids = serializers.ListField(
        child=serializers.CharField(), help_text="Other clusters the article is also under."
    )


class QuestionEvidenceOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.SlugField()
    kind = serializers.CharField()
    text = serializers.CharField(allow_blank=True)
    survey_slug = serializers.SlugField()
    survey_title = serializers.CharField(allow_blank=True)
    n = serializers.IntegerField(
        allow_null=True,
        help_text="Young people who answered (exact); null while not computed yet.",
    )
    results = QuestionResultsOutputSerializer(
        allow_null=True,
        help_text="The question's entry of the survey's results; null while not computed yet.",
    )
    breakdown = serializers.CharField(
        allow_null=True, help_text="age_band, organisation, language, a question key, or null."
    )
    breakdown_label = serializers.CharField(allow_blank=True)
    groups = QuestionGroupOutputSerializer(
        many=True, help_text="The results per group of the breakdown; empty without one."
    )
    min_cell_size = serializers.IntegerField(help_text="k: smaller counts are suppressed.")
    computed_at = serializers.DateTimeField(allow_null=True)


class QuoteEvidenceOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The coded answer.")
    answer_id = serializers.IntegerField()
    text = serializers.CharField()
    age_band = serializers.CharField()
    language = serializers.CharField()
    codes = serializers.ListField(child=serializers.CharField(), help_text="Code labels.")
    question_text = serializers.CharField(allow_blank=True)
    survey_slug = serializers.SlugField()


class OutcomePointEvidenceOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    roundtable = serializers.CharField(help_text="The roundtable's title.")
    roundtable_slug = serializers.SlugField()
    date = serializers.DateField(help_text="The day the roundtable was held.")
    articles = serializers.ListField(child=serializers.CharField(), help_text="UNCRC articles.")


class EvidenceOutputSerializer(serializers.Serializer):
    """Which of question, quote and outcome_point is present depends on ``kind``."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    note = serializers.CharField(allow_blank=True)
    question = QuestionEvidenceOutputSerializer(required=False)
    quote = QuoteEvidenceOutputSerializer(required=False)
    outcome_point = OutcomePointEvidenceOutputSerializer(required=False)


class FindingOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    statement = serializers.CharField()
    priority = serializers.ChoiceField(
        choices=FindingPriority.choices, help_text="1 high, 2 medium, 3 low."
    )
    priority_label = serializers.CharField()
    order = serializers.IntegerField()
    articles = FindingArticleOutputSerializer(many=True)
    evidence = EvidenceOutputSerializer(many=True)


class FindingsApi(APIView):
    """GET /api/v1/campaigns/{slug}/findings/"""

    permission_classes = [IsStaffWithMFA]

    @extend_schema(
        operation_id="campaign_findings",
        summary="A campaign's findings with their evidence, small cells suppressed (staff)",
        description=(
            "The findings staff drew for the end report, by priority then in their order, each "
            "with its UNCRC articles and its evidence in order: question results (from the "
            "latest snapshot, optionally broken down), quotes, and roundtable outcome points. "
            "A count under the campaign's min_cell_size is null with suppressed true. Quotes "
            "that were withdrawn or are no longer marked as quote are left out."
        ),
        responses={200: FindingOutputSerializer(many=True), 403: NOT_STAFF, 404: NO_CAMPAIGN},
    )
    def get(self, request: Request, slug: str) -> Response:
        campaign = campaign_get(slug=slug)
        findings = findings_for_report(campaign=campaign)
        return Response(FindingOutputSerializer(findings, many=True).data)
