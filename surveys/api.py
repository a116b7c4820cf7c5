"""HTTP API v1 for young people (DESIGN §6): the survey as they see it, submitting answers, and
the receipt that shows or withdraws them.

These endpoints take no authentication at all: young people are anonymous, and a signed-in
staff member trying a survey must not be linked to the answers either. They accept JSON only,
so a cross-site form cannot post to them.

Rate limits (settings ``DEFAULT_THROTTLE_RATES``): receipt look-ups per client address
(``receipt_lookup``), so that codes cannot be enumerated; submissions per invite link
(``submission_invite``, per address when there is none) and per client token
(``submission_token``), so that a class of 30 behind one school address is never refused.
The address is only part of a counter's key in the cache; it is stored nowhere.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.parsers import JSONParser
from config.throttling import OneRoundTripThrottling, SlidingWindowThrottle
from consultations.models import Campaign
from consultations.selectors import normalise_invite_code
from consultations.translation import localized
from surveys.models import QuestionKind
from surveys.receipts import format_receipt_code
from surveys.selectors import (
    response_get_by_receipt,
    survey_get_public,
    survey_languages,
    survey_list_open,
    survey_view,
)
from surveys.services import response_submit, response_withdraw

# --- Parsing and rate limits ---------------------------------------------------------------------


class JSONObjectParser(JSONParser):
    """JSON whose top level is an object; anything else is a 400 naming ``body``."""

    def parse(self, stream, media_type=None, parser_context=None) -> dict[str, Any]:
        try:
            data = super().parse(stream, media_type, parser_context)
        except ParseError as error:
            raise serializers.ValidationError(
                {"body": [gettext("The body is not valid JSON: %(error)s") % {"error": error}]}
            ) from None
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                {"body": [gettext("The body must be a JSON object: {...}.")]}
            )
        return data


class ReceiptLookupThrottle(SlidingWindowThrottle):
    scope = "receipt_lookup"

    def get_cache_key(self, request: Request, view: APIView) -> str:
        return self.key(self.get_ident(request))


class SubmissionInviteThrottle(SlidingWindowThrottle):
    """Per invite link: a whole class shares one; without an invite, per client address."""

    scope = "submission_invite"

    def get_cache_key(self, request: Request, view: APIView) -> str:
        invite = request.data.get("invite")
        if isinstance(invite, str) and invite.strip():
            return self.key("invite-" + normalise_invite_code(invite)[:32])
        return self.key("address-" + self.get_ident(request))


class SubmissionTokenThrottle(SlidingWindowThrottle):
    """Per client token: one device retrying far more often than a lost connection explains."""

    scope = "submission_token"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        token = request.data.get("client_token")
        if not isinstance(token, str):
            return None
        try:
            # One key per token however it is written (case, dashes, braces, urn:uuid:), and
            # never a client's raw bytes in a cache key.
            token = uuid.UUID(token.strip())
        except ValueError:
            return None  # not a token at all: refused with a 400 by the validation
        return self.key("token-" + token.hex)


# --- Shared output -------------------------------------------------------------------------------


class SurveyErrorOutputSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="One line that a client can show as is.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text='Each offending field with its problems, e.g. {"answers.mood": ["..."]}.',
    )


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=SurveyErrorOutputSerializer, description=description)


def _absolute(request: Request | None, path: str) -> str:
    return request.build_absolute_uri(path) if request else settings.SITE_URL + path


def survey_page_path(slug: str) -> str:
    """The youth page of a survey (frontend): /s/<slug>/."""
    return f"/s/{slug}/"


# --- GET /surveys/{slug}/ ------------------------------------------------------------------------


class SurveyOptionOutputSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="What a submission sends for this option.")
    label = serializers.CharField()
    emoji = serializers.CharField(help_text='May be "".')


class SurveyShowIfOutputSerializer(serializers.Serializer):
    question = serializers.CharField(help_text="Key of an earlier one- or several-choice question.")
    any_of = serializers.ListField(child=serializers.CharField())


# "number" covers integers too (a oneOf of integer and number would reject every integer).
@extend_schema_field({"type": "number", "nullable": True})
class PlainNumberField(serializers.Field):
    """An int or float as is (a Decimal would otherwise become a string)."""

    def to_representation(self, value: int | float) -> int | float:
        return value


class SurveyQuestionOutputSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Stable name of the question; the key in `answers`.")
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    text = serializers.CharField(help_text="Easy-read wording when the age band is easy-read.")
    help = serializers.CharField(help_text='May be "".')
    options = SurveyOptionOutputSerializer(
        many=True,
        help_text="single, multiple, ranking: the options; scale: the points 1..N with a word "
        "and a face; number, text: none.",
    )
    min = PlainNumberField(help_text="number: the lowest answer (null: none); scale: 1.")
    max = PlainNumberField(help_text="number: the highest answer (null: none); scale: N.")
    max_choices = serializers.IntegerField(
        allow_null=True, help_text="multiple: the most options one may choose (null: any)."
    )
    max_length = serializers.IntegerField(
        allow_null=True, help_text="text: the longest answer in characters."
    )
    show_if = SurveyShowIfOutputSerializer(
        allow_null=True,
        help_text="Show only when the earlier question was answered with one of these values.",
    )
    articles = serializers.ListField(
        child=serializers.CharField(), help_text='UNCRC articles, e.g. ["12", "29"].'
    )


class SurveyOutputSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    campaign = serializers.SerializerMethodField(help_text="Slug of the survey's campaign.")
    title = serializers.CharField()
    intro = serializers.CharField()
    language = serializers.CharField(help_text="The language everything is given in.")
    languages = serializers.SerializerMethodField(help_text="Every language one can choose.")
    age = serializers.IntegerField()
    age_band = serializers.CharField(source="age_band_code")
    easy_read = serializers.BooleanField()
    is_open = serializers.BooleanField(help_text="Whether it takes answers now.")
    questions = SurveyQuestionOutputSerializer(
        many=True, help_text="Those asked at this age, in order; apply `show_if` while answering."
    )

    @extend_schema_field(serializers.SlugField())
    def get_campaign(self, view: Any) -> str:
        return self.context["survey"].campaign.slug

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_languages(self, view: Any) -> list[str]:
        return survey_languages(self.context["survey"])


class SurveyQuerySerializer(serializers.Serializer):
    lang = serializers.CharField(required=False, allow_blank=True, max_length=8)
    age = serializers.IntegerField(min_value=0, max_value=150)


class SurveyDetailApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="surveys_retrieve",
        summary="A survey as one young person sees it",
        description="Language applied, easy-read wording for easy-read age bands, only the "
        "questions asked at this age. Closed surveys are given too (`is_open` false); drafts "
        "are not found.",
        parameters=[
            OpenApiParameter(
                "lang",
                str,
                required=False,
                description="One of the campaign's languages. Default: its first.",
            ),
            OpenApiParameter(
                "age", int, required=True, description="The young person's age in years."
            ),
        ],
        responses={
            200: SurveyOutputSerializer,
            400: _error("`age` missing or in no age band, or `lang` not offered."),
            404: _error("No published survey has this slug."),
        },
        tags=["surveys"],
    )
    def get(self, request: Request, slug: str) -> Response:
        survey = survey_get_public(slug=slug)
        query = SurveyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        language = (query.validated_data.get("lang") or "").strip().lower()
        view = survey_view(
            survey=survey,
            language=language or survey_languages(survey)[0],
            age=query.validated_data["age"],
        )
        return Response(SurveyOutputSerializer(view, context={"survey": survey}).data)


# --- POST /surveys/{slug}/responses/ -------------------------------------------------------------


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string"},
            {"type": "number"},
            {"type": "array", "items": {"type": "string"}},
        ],
        "nullable": True,
        "description": "single: an option value; multiple: a list of option values; scale: "
        "1..N; number: a number; text: a string; ranking: option values, most important "
        'first. null, "" or [] skip the question.',
    }
)
class AnswerValueField(serializers.Field):
    """Any JSON value; surveys.services checks it against the question."""

    def to_internal_value(self, data: Any) -> Any:
        return data

    def to_representation(self, value: Any) -> Any:
        return value


class ResponseSubmitInputSerializer(serializers.Serializer):
    client_token = serializers.UUIDField(
        help_text="Made once by the client for this submission; sending it again is harmless."
    )
    language = serializers.CharField(max_length=8, help_text="One of the survey's languages.")
    age = serializers.IntegerField(min_value=0, max_value=150)
    invite = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=32,
        help_text="The invite code the young person came with (from /j/<code>), or null.",
    )
    assent = serializers.BooleanField(help_text="Must be true: they chose to take part.")
    answers = serializers.DictField(
        child=AnswerValueField(allow_null=True),
        help_text="Question key → answer. Skipped questions may be left out.",
    )

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        unknown = [name for name in data if name not in self.fields]
        errors: dict[str, Any] = {}
        value: dict[str, Any] = {}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            errors.update(error.detail)
        for name in unknown:
            errors[str(name)[:64]] = [gettext("Unknown field.")]
        if errors:
            raise serializers.ValidationError(errors)
        return value


class ResponseSubmitOutputSerializer(serializers.Serializer):
    receipt = serializers.CharField(help_text="XXXX-XXXX: shows or withdraws the answers later.")


class ResponseSubmitApi(OneRoundTripThrottling, APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [JSONObjectParser]
    throttle_classes = [SubmissionInviteThrottle, SubmissionTokenThrottle]

    @extend_schema(
        operation_id="surveys_responses_create",
        summary="Submit a young person's answers",
        description="Stores one response and returns its receipt code. Idempotent on "
        "`client_token`: the same token again answers 200 with the same receipt and stores "
        "nothing. E-mail addresses and phone numbers in free text are masked before storage.",
        request=ResponseSubmitInputSerializer,
        responses={
            201: ResponseSubmitOutputSerializer,
            200: OpenApiResponse(
                response=ResponseSubmitOutputSerializer,
                description="Already stored under this `client_token`: the same receipt.",
            ),
            400: _error(
                "Each offending field named: `body`, a top-level field, or `answers.<key>`."
            ),
            404: _error("No published survey has this slug."),
            409: _error("The survey does not take answers now."),
            429: _error("Too many submissions for this invite link or client token."),
        },
        tags=["surveys"],
    )
    def post(self, request: Request, slug: str) -> Response:
        survey = survey_get_public(slug=slug)
        serializer = ResponseSubmitInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = response_submit(
            survey=survey,
            client_token=data["client_token"],
            language=data["language"],
            age=data["age"],
            invite_code=data.get("invite") or None,
            assent=data["assent"],
            answers=data["answers"],
        )
        return Response(
            ResponseSubmitOutputSerializer({"receipt": result.receipt}).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


# --- GET and DELETE /receipts/{code}/ ------------------------------------------------------------

# The child-friendly results shown with a receipt come from the analysis app, which depends on
# surveys; it registers them here (AnalysisConfig.ready) so that surveys never imports it.
ReceiptResults = Callable[[Any, str], dict[str, Any] | None]
_receipt_results: list[ReceiptResults] = []


def register_receipt_results(provider: ReceiptResults) -> None:
    """Fill ``results`` of ``GET /api/v1/receipts/{code}/``.

    ``provider(response, language)`` is given the receipt's response (its survey and campaign
    loaded) and the language of the output, and returns the results as plain JSON data, or
    None while the campaign has not published them. Registering again replaces the provider.
    Call it from the other app's ``AppConfig.ready()``::

        # analysis/apps.py
        def ready(self):
            from analysis.feedback_selectors import youth_results_for_receipt
            from surveys.api import register_receipt_results

            register_receipt_results(youth_results_for_receipt)
    """
    _receipt_results[:] = [provider]


class ReceiptSurveyOutputSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()


class ReceiptCampaignOutputSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    results_expected_on = serializers.DateField(allow_null=True)


@extend_schema_field({"type": "string", "enum": ["received", "withdrawn"]})
class ReceiptStatusField(serializers.CharField):
    """Documented inline: a shared "status" enum component would collide with other apps'."""


class ReceiptOutputSerializer(serializers.Serializer):
    receipt = serializers.CharField(help_text="XXXX-XXXX")
    status = ReceiptStatusField(help_text="received, or withdrawn through this code.")
    language = serializers.CharField(help_text="The language of the titles.")
    submitted_on = serializers.DateField(help_text="Date only (Europe/Brussels).")
    withdrawn_on = serializers.DateField(allow_null=True)
    survey = ReceiptSurveyOutputSerializer()
    campaign = ReceiptCampaignOutputSerializer()
    results_expected_on = serializers.DateField(
        allow_null=True, help_text="When the campaign expects to publish what young people said."
    )
    results = serializers.JSONField(
        allow_null=True,
        help_text="null until the campaign publishes its results; then the child-friendly "
        "results for the young person's age band in `language`: `published_at`, `age_band`, "
        "the texts `told_us`, `we_did`, `next_steps`, `min_cell_size`, and `questions`, each "
        "with `key`, `kind`, `text`, `n` and `options` (`value`, `label`, `emoji`, `count`, "
        "`share` in %, `suppressed`); a suppressed number is null.",
    )


def _receipt_output(response: Any, language: str | None) -> dict[str, Any]:
    survey = response.survey
    campaign: Campaign = survey.campaign
    language = language if language in settings.LANGUAGE_CODES else response.language
    return {
        "receipt": format_receipt_code(response.receipt_code),
        "status": "withdrawn" if response.withdrawn_at else "received",
        "language": language,
        "submitted_on": timezone.localdate(response.submitted_at),
        "withdrawn_on": (
            timezone.localdate(response.withdrawn_at) if response.withdrawn_at else None
        ),
        "survey": {"slug": survey.slug, "title": localized(survey, "title", language)},
        "campaign": {
            "slug": campaign.slug,
            "title": localized(campaign, "title", language),
            "results_expected_on": campaign.results_expected_on,
        },
        "results_expected_on": campaign.results_expected_on,
        "results": _receipt_results[0](response, language) if _receipt_results else None,
    }


_RECEIPT_CODE = OpenApiParameter(
    "code",
    str,
    OpenApiParameter.PATH,
    description='The receipt code; "ABCD-EFGH", "abcdefgh" and "abcd efgh" all work.',
)


class ReceiptApi(APIView):
    """GET and DELETE share the address, so this one class holds both operations."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ReceiptLookupThrottle]

    @extend_schema(
        operation_id="receipts_retrieve",
        summary="What happened with one response",
        parameters=[
            _RECEIPT_CODE,
            OpenApiParameter(
                "lang",
                str,
                enum=settings.LANGUAGE_CODES,
                required=False,
                description="Language of the titles. Default: the one the answers were given in.",
            ),
        ],
        responses={
            200: ReceiptOutputSerializer,
            404: _error("No response has this receipt code."),
            429: _error("Too many look-ups from this address: try again after Retry-After."),
        },
        tags=["receipts"],
    )
    def get(self, request: Request, code: str) -> Response:
        response = response_get_by_receipt(code=code)
        language = (request.query_params.get("lang") or "").strip().lower() or None
        return Response(ReceiptOutputSerializer(_receipt_output(response, language)).data)

    @extend_schema(
        operation_id="receipts_destroy",
        summary="Withdraw one response",
        description="The answers leave every count and result. Withdrawing again is harmless.",
        parameters=[_RECEIPT_CODE],
        responses={
            204: OpenApiResponse(description="Withdrawn."),
            404: _error("No response has this receipt code."),
            429: _error("Too many look-ups from this address: try again after Retry-After."),
        },
        tags=["receipts"],
    )
    def delete(self, request: Request, code: str) -> Response:
        response_withdraw(code=code)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- The "surveys" section of GET /campaigns/{slug}/ ---------------------------------------------


class CampaignSurveyOutputSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    url = serializers.URLField(help_text="This survey in the API.")
    page_url = serializers.URLField(help_text="The page young people answer it on.")


@extend_schema_field(CampaignSurveyOutputSerializer(many=True))
class CampaignOpenSurveysField(serializers.Field):
    """The campaign's surveys open now (registered in SurveysConfig.ready)."""

    def to_representation(self, campaign: Campaign) -> list[dict[str, str]]:
        parent_language = getattr(self.parent, "_language", None)
        language = parent_language(campaign) if parent_language else None
        request = self.context.get("request")
        return [
            {
                "slug": survey.slug,
                "title": localized(survey, "title", language),
                "url": _absolute(
                    request, reverse("surveys:survey-detail", kwargs={"slug": survey.slug})
                ),
                "page_url": _absolute(request, survey_page_path(survey.slug)),
            }
            for survey in survey_list_open(campaign=campaign)
        ]
