"""HTTP API v1: the published campaigns (DESIGN §6), readable by anyone.

Other apps add their part of a campaign to the detail output through
``register_campaign_detail_section`` (surveys: the open surveys; roundtables: the upcoming
roundtables), so that consultations never imports the apps that depend on it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from consultations.models import Campaign, CampaignStatus
from consultations.selectors import campaign_get_published, campaign_list_published
from consultations.translation import localized
from consultations.validators import unknown_language_error

# --- Extension point for the apps built on campaigns --------------------------------------------

_detail_sections: dict[str, Callable[[], serializers.Field]] = {}


def register_campaign_detail_section(
    name: str, make_field: Callable[[], serializers.Field]
) -> None:
    """Add ``name`` to ``GET /api/v1/campaigns/{slug}/`` and to its schema.

    ``make_field`` returns a fresh read-only DRF field or serializer built with ``source="*"``,
    so that it is handed the whole campaign. Call it from the other app's ``AppConfig.ready()``::

        # surveys/apps.py
        def ready(self):
            from consultations.api import register_campaign_detail_section
            from surveys.api import CampaignOpenSurveysField

            register_campaign_detail_section(
                "surveys", lambda: CampaignOpenSurveysField(source="*", read_only=True)
            )

    where ``CampaignOpenSurveysField.to_representation(campaign)`` reads through the surveys
    selectors, and ``@extend_schema_field`` on it gives the section its type in /api/schema/.
    """
    if name in CampaignOutputSerializer._declared_fields:
        raise ValueError(f"'{name}' is already a field of the campaign output.")
    _detail_sections[name] = make_field


# --- Serializers ---------------------------------------------------------------------------------


class LanguageQuerySerializer(serializers.Serializer):
    lang = serializers.CharField(required=False, allow_blank=True)

    def validate_lang(self, value: str) -> str | None:
        code = value.strip().lower()
        if not code:
            return None
        if code not in settings.LANGUAGE_CODES:
            raise serializers.ValidationError(unknown_language_error(value).messages)
        return code


def requested_language(request: Request) -> str | None:
    query = LanguageQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data.get("lang")


class PerLanguageTextSerializer(serializers.Serializer):
    """One text in every platform language; "" where it is not translated."""

    def __init__(self, *, prefix: str, **kwargs) -> None:
        self.prefix = prefix
        super().__init__(source="*", **kwargs)

    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            code: serializers.CharField(source=f"{self.prefix}_{code}")
            for code in settings.LANGUAGE_CODES
        }


class CampaignAgeBandOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    min_age = serializers.IntegerField()
    max_age = serializers.IntegerField()
    easy_read = serializers.BooleanField()


class CampaignThemeArticleOutputSerializer(serializers.Serializer):
    code = serializers.CharField(help_text='Article code: "12", "6(2)", "27(1-3)", "46-54".')
    title = serializers.CharField(source="title_en")
    cluster = serializers.CharField(
        source="primary_cluster_id", help_text="The UN Committee's reporting cluster."
    )


class CampaignOutputSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    language = serializers.SerializerMethodField(
        help_text="The language `title` and `summary` are given in."
    )
    title = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    titles = PerLanguageTextSerializer(prefix="title")
    summaries = PerLanguageTextSerializer(prefix="summary")
    status = serializers.ChoiceField(choices=CampaignStatus.choices)
    starts_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    results_expected_on = serializers.DateField(allow_null=True)
    languages = serializers.ListField(child=serializers.CharField())
    age_bands = CampaignAgeBandOutputSerializer(many=True, source="age_bands.all")
    min_cell_size = serializers.IntegerField(
        help_text="Groups with fewer responses than this are suppressed in every result."
    )
    theme_articles = CampaignThemeArticleOutputSerializer(many=True, source="theme_articles.all")
    url = serializers.SerializerMethodField()

    def _language(self, campaign: Campaign) -> str:
        active = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
        for code in (self.context.get("language"), active):
            if code in campaign.languages:
                return code
        return campaign.languages[0] if campaign.languages else settings.LANGUAGE_CODE

    @extend_schema_field(serializers.CharField())
    def get_language(self, campaign: Campaign) -> str:
        return self._language(campaign)

    @extend_schema_field(serializers.CharField())
    def get_title(self, campaign: Campaign) -> str:
        return localized(campaign, "title", self._language(campaign))

    @extend_schema_field(serializers.CharField())
    def get_summary(self, campaign: Campaign) -> str:
        return localized(campaign, "summary", self._language(campaign))

    @extend_schema_field(serializers.URLField())
    def get_url(self, campaign: Campaign) -> str:
        path = reverse("consultations:campaign-detail", kwargs={"slug": campaign.slug})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else settings.SITE_URL + path


class CampaignDetailOutputSerializer(CampaignOutputSerializer):
    """The list's fields, and the sections other apps registered."""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for name, make_field in _detail_sections.items():
            fields[name] = make_field()
        return fields


LANGUAGE_PARAMETER = OpenApiParameter(
    "lang",
    str,
    enum=settings.LANGUAGE_CODES,
    required=False,
    description="Language of `title` and `summary`. Default: the request's language. A campaign "
    "not offered in that language is given in its first language.",
)
LANGUAGE_ERROR = OpenApiResponse(
    description="`lang` is not one of the platform's languages; the body names the field."
)


# --- Views ---------------------------------------------------------------------------------------


class CampaignListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="campaigns_list",
        summary="Published campaigns",
        description="Every campaign past its draft, the most recent start first. Not paginated.",
        parameters=[LANGUAGE_PARAMETER],
        responses={200: CampaignOutputSerializer(many=True), 400: LANGUAGE_ERROR},
        tags=["campaigns"],
    )
    def get(self, request: Request) -> Response:
        language = requested_language(request)
        serializer = CampaignOutputSerializer(
            campaign_list_published(),
            many=True,
            context={"request": request, "language": language},
        )
        return Response(serializer.data)


class CampaignDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="campaigns_retrieve",
        summary="One published campaign",
        parameters=[LANGUAGE_PARAMETER],
        responses={
            200: CampaignDetailOutputSerializer,
            400: LANGUAGE_ERROR,
            404: OpenApiResponse(description="No published campaign has this slug."),
        },
        tags=["campaigns"],
    )
    def get(self, request: Request, slug: str) -> Response:
        language = requested_language(request)
        campaign = campaign_get_published(slug=slug)
        serializer = CampaignDetailOutputSerializer(
            campaign, context={"request": request, "language": language}
        )
        return Response(serializer.data)
