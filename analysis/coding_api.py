"""HTTP API v1 of open-answer coding, for coalition staff only: a campaign's codebook with code
frequencies, and the quotes marked for the report.

Code frequencies are published numbers: each passes through small-cell suppression
(``analysis.coding_selectors.codebook``) before it leaves; a hidden count is ``null`` with
``suppressed: true``.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsStaffWithMFA
from analysis.coding_selectors import codebook, quotes
from consultations.selectors import campaign_get

NOT_STAFF = OpenApiResponse(description="Not coalition staff with two-step verification.")
NO_CAMPAIGN = OpenApiResponse(description="No campaign at this address.")


class CodeArticleOutputSerializer(serializers.Serializer):
    code = serializers.CharField(help_text='The article or its part, e.g. "12" or "6(2)".')
    number = serializers.IntegerField()
    title = serializers.CharField()


class CodeCountOutputSerializer(serializers.Serializer):
    count = serializers.IntegerField(
        allow_null=True,
        help_text="Responses with an answer carrying the code; null when suppressed.",
    )
    suppressed = serializers.BooleanField()


class CodeAgeBandCountOutputSerializer(CodeCountOutputSerializer):
    age_band = serializers.CharField()


class CodeFrequencyOutputSerializer(serializers.Serializer):
    count = serializers.IntegerField(
        allow_null=True,
        help_text="Responses with an answer carrying the code, overall; null when suppressed.",
    )
    suppressed = serializers.BooleanField()
    by_age_band = CodeAgeBandCountOutputSerializer(many=True)


class CodeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    articles = CodeArticleOutputSerializer(many=True)
    frequency = CodeFrequencyOutputSerializer()


class CodedAgeBandOutputSerializer(serializers.Serializer):
    age_band = serializers.CharField()
    n = serializers.IntegerField(
        allow_null=True,
        help_text="Responses in the band with a coded open answer; null when suppressed.",
    )
    suppressed = serializers.BooleanField()


class OpenAnswerCountsOutputSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Open answers (exact).")
    coded = serializers.IntegerField()
    uncoded = serializers.IntegerField()
    quotes = serializers.IntegerField()


class CodebookOutputSerializer(serializers.Serializer):
    campaign = serializers.SlugField()
    min_cell_size = serializers.IntegerField(help_text="k: smaller counts are suppressed.")
    coded_responses = serializers.IntegerField(
        help_text="Responses with at least one coded open answer (exact)."
    )
    open_answers = OpenAnswerCountsOutputSerializer()
    age_bands = CodedAgeBandOutputSerializer(many=True)
    codes = CodeOutputSerializer(many=True)


class CodebookApi(APIView):
    """GET /api/v1/campaigns/{slug}/codebook/"""

    permission_classes = [IsStaffWithMFA]

    @extend_schema(
        operation_id="campaign_codebook",
        summary="A campaign's codebook with code frequencies, small cells suppressed (staff)",
        description=(
            "The codes staff attach to open answers, with their description and UNCRC articles, "
            "and how many responses carry each code: overall and per age band. A count under "
            "the campaign's min_cell_size is null with suppressed true; an age band with too "
            "few coded responses is hidden whole. Coded and uncoded open answers are exact."
        ),
        responses={200: CodebookOutputSerializer, 403: NOT_STAFF, 404: NO_CAMPAIGN},
    )
    def get(self, request: Request, slug: str) -> Response:
        campaign = campaign_get(slug=slug)
        book = codebook(campaign=campaign)
        data = {
            "campaign": campaign.slug,
            "min_cell_size": book["k"],
            "coded_responses": book["coded_responses"],
            "open_answers": book["answers"],
            "age_bands": [
                {"age_band": band["code"], "n": band["n"], "suppressed": band["suppressed"]}
                for band in book["age_bands"]
            ],
            "codes": [
                {
                    **code,
                    "frequency": {
                        **code["frequency"]["overall"],
                        "by_age_band": code["frequency"]["by_age_band"],
                    },
                }
                for code in book["codes"]
            ],
        }
        return Response(CodebookOutputSerializer(data).data)


class QuoteOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="answer_id")
    text = serializers.CharField()
    question = serializers.SlugField(source="question_key")
    survey = serializers.SlugField(source="survey_slug")
    age_band = serializers.CharField()
    language = serializers.CharField()
    codes = serializers.ListField(child=serializers.CharField(), help_text="Code labels.")


class QuotesQuerySerializer(serializers.Serializer):
    language = serializers.CharField(required=False, allow_blank=True, max_length=8)


class QuotesApi(APIView):
    """GET /api/v1/campaigns/{slug}/quotes/?language=..."""

    permission_classes = [IsStaffWithMFA]

    @extend_schema(
        operation_id="campaign_quotes",
        summary="Open answers marked as quotes for the report (staff)",
        parameters=[OpenApiParameter("language", str, description="nl, fr or en: only these.")],
        responses={
            200: QuoteOutputSerializer(many=True),
            400: OpenApiResponse(description="Unknown language (names `language`)."),
            403: NOT_STAFF,
            404: NO_CAMPAIGN,
        },
    )
    def get(self, request: Request, slug: str) -> Response:
        query = QuotesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        campaign = campaign_get(slug=slug)
        found = quotes(campaign=campaign, language=query.validated_data.get("language") or None)
        return Response(QuoteOutputSerializer(found, many=True).data)
