"""HTTP API v1 of the roundtables (DESIGN §6): list, detail, register, cancel mine, calendars.

Anyone reads published roundtables and their calendar files; a signed-in user with a verified
e-mail address registers; only the registrant sees or cancels their registration here. Staff
work (registration lists, check-in, outcomes) happens on the staff pages.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.models import Sector
from accounts.permissions import IsVerifiedUser
from config.exceptions import InvalidInputError, NotFoundError
from consultations.api import LANGUAGE_ERROR, LANGUAGE_PARAMETER, requested_language
from consultations.models import Campaign
from consultations.selectors import campaign_get_published
from consultations.translation import localized
from roundtables.calendar import campaign_ics, roundtable_ics
from roundtables.models import Registration, RegistrationStatus, Roundtable, RoundtableStatus
from roundtables.selectors import (
    registration_get_active,
    registration_open,
    roundtable_get_public,
    roundtable_list_public,
    waitlist_position,
)
from roundtables.services import (
    EXPERTISE_MAX_LENGTH,
    NEEDS_MAX_LENGTH,
    ORGANISATION_MAX_LENGTH,
    registration_cancel,
    registration_create,
)

# Token first, so that a request without credentials is answered 401 with WWW-Authenticate;
# a browser's session works as before (with its CSRF check).
REGISTRANT_AUTHENTICATION = [TokenAuthentication, SessionAuthentication]


# --- Output --------------------------------------------------------------------------------------


def _language(serializer: serializers.Field) -> str:
    requested = serializer.context.get("language")
    if requested:
        return requested
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


class RoundtableQuestionOptionOutputSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class RoundtableQuestionOutputSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.ChoiceField(choices=["text", "single"])
    label = serializers.CharField()
    required = serializers.BooleanField()
    options = RoundtableQuestionOptionOutputSerializer(many=True)


class RoundtableOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    campaign = serializers.SlugField(source="campaign.slug")
    language = serializers.SerializerMethodField(
        help_text="The language `title`, `description` and question labels are given in."
    )
    title = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=RoundtableStatus.choices)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    venue = serializers.CharField(help_text="Address and room; empty for an online meeting.")
    online_url = serializers.CharField(help_text="Video call link; may be empty.")
    capacity = serializers.IntegerField()
    seats_left = serializers.IntegerField()
    waitlist_length = serializers.IntegerField(help_text="People waiting for a seat.")
    registration_open = serializers.SerializerMethodField(
        help_text="Registering is possible now (when no seat is left, on the waitlist)."
    )
    registration_opens_at = serializers.DateTimeField(allow_null=True)
    registration_closes_at = serializers.DateTimeField(allow_null=True)
    target_sectors = serializers.ListField(child=serializers.ChoiceField(choices=Sector.choices))
    questions = serializers.SerializerMethodField(
        help_text="Extra questions of the registration form; answers go in `answers`."
    )
    url = serializers.SerializerMethodField(help_text="The roundtable's page.")
    calendar_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField())
    def get_language(self, roundtable: Roundtable) -> str:
        return _language(self)

    @extend_schema_field(serializers.CharField())
    def get_title(self, roundtable: Roundtable) -> str:
        return localized(roundtable, "title", _language(self))

    @extend_schema_field(serializers.CharField())
    def get_description(self, roundtable: Roundtable) -> str:
        return localized(roundtable, "description", _language(self))

    @extend_schema_field(serializers.BooleanField())
    def get_registration_open(self, roundtable: Roundtable) -> bool:
        return registration_open(roundtable)

    @extend_schema_field(RoundtableQuestionOutputSerializer(many=True))
    def get_questions(self, roundtable: Roundtable) -> list[dict]:
        language = _language(self)
        return [
            {
                "key": question["key"],
                "kind": question["kind"],
                "label": localized(_Labels(question), "label", language),
                "required": bool(question.get("required", False)),
                "options": [
                    {
                        "value": option["value"],
                        "label": localized(_Labels(option), "label", language),
                    }
                    for option in question.get("options", [])
                ],
            }
            for question in roundtable.questions
        ]

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else settings.SITE_URL + path

    @extend_schema_field(serializers.URLField())
    def get_url(self, roundtable: Roundtable) -> str:
        return self._absolute(roundtable.page_path)

    @extend_schema_field(serializers.URLField())
    def get_calendar_url(self, roundtable: Roundtable) -> str:
        return self._absolute(reverse("roundtables:roundtable-calendar", args=[roundtable.pk]))


class _Labels:
    """A question or option dict seen as an object with ``label_<language>`` attributes."""

    def __init__(self, item: dict) -> None:
        self._item = item

    def __getattr__(self, name: str) -> str:
        return self._item.get(name, "")


@extend_schema_field(RoundtableOutputSerializer(many=True))
class CampaignUpcomingRoundtablesField(serializers.Field):
    """The ``roundtables`` section of ``GET /api/v1/campaigns/{slug}/``: upcoming ones."""

    def to_representation(self, campaign: Campaign) -> list:
        roundtables = roundtable_list_public(campaign=campaign, upcoming=True)
        return RoundtableOutputSerializer(roundtables, many=True, context=self.context).data


class RegistrationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=RegistrationStatus.choices)
    waitlist_position = serializers.SerializerMethodField(
        help_text="1 is next in line; null unless waitlisted."
    )

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_waitlist_position(self, registration: Registration) -> int | None:
        return waitlist_position(registration)


class RegistrationDetailOutputSerializer(RegistrationOutputSerializer):
    roundtable = serializers.IntegerField(source="roundtable_id")
    sector = serializers.ChoiceField(choices=Sector.choices)
    organisation = serializers.CharField()
    expertise = serializers.CharField()
    needs = serializers.CharField()
    answers = serializers.DictField(child=serializers.CharField())
    created_at = serializers.DateTimeField()


# --- Views: reading ------------------------------------------------------------------------------

_NOT_FOUND = OpenApiResponse(description="No published roundtable has this id.")


class RoundtableListQuerySerializer(serializers.Serializer):
    campaign = serializers.SlugField(required=False)


class RoundtableListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="roundtables_list",
        summary="Published roundtables",
        description="Upcoming roundtables first (soonest first), then past ones. Not paginated.",
        parameters=[
            OpenApiParameter("campaign", str, required=False, description="A campaign's slug."),
            LANGUAGE_PARAMETER,
        ],
        responses={
            200: RoundtableOutputSerializer(many=True),
            400: OpenApiResponse(description="Unknown campaign or language; the body names it."),
        },
        tags=["roundtables"],
    )
    def get(self, request: Request) -> Response:
        language = requested_language(request)
        query = RoundtableListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        campaign = None
        if "campaign" in query.validated_data:
            try:
                campaign = campaign_get_published(slug=query.validated_data["campaign"])
            except NotFoundError as error:
                raise InvalidInputError(error.message, field="campaign") from None
        serializer = RoundtableOutputSerializer(
            roundtable_list_public(campaign=campaign),
            many=True,
            context={"request": request, "language": language},
        )
        return Response(serializer.data)


class RoundtableDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="roundtables_retrieve",
        summary="One roundtable",
        description="A published or cancelled roundtable, with its seats left.",
        parameters=[LANGUAGE_PARAMETER],
        responses={200: RoundtableOutputSerializer, 400: LANGUAGE_ERROR, 404: _NOT_FOUND},
        tags=["roundtables"],
    )
    def get(self, request: Request, pk: int) -> Response:
        language = requested_language(request)
        roundtable = roundtable_get_public(pk=pk)
        serializer = RoundtableOutputSerializer(
            roundtable, context={"request": request, "language": language}
        )
        return Response(serializer.data)


# --- Views: registering --------------------------------------------------------------------------


class RegistrationCreateInputSerializer(serializers.Serializer):
    sector = serializers.ChoiceField(
        choices=Sector.choices, required=False, help_text="Default: the profile's sector."
    )
    organisation = serializers.CharField(
        max_length=ORGANISATION_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text="Default: the profile's organisation.",
    )
    expertise = serializers.CharField(
        max_length=EXPERTISE_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text="Default: the profile's expertise.",
    )
    needs = serializers.CharField(
        max_length=NEEDS_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="Access or dietary needs.",
    )
    answers = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        default=dict,
        help_text="Answers to the roundtable's `questions`: question key → text or option value.",
    )


class RegistrationCreateApi(APIView):
    authentication_classes = REGISTRANT_AUTHENTICATION
    permission_classes = [IsAuthenticated, IsVerifiedUser]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "registration"

    @extend_schema(
        operation_id="roundtables_registrations_create",
        summary="Register for a roundtable",
        description="A seat while there is one, else a place on the waitlist. The registrant "
        "gets a confirmation (with a calendar file) or a waitlist notice by e-mail.",
        request=RegistrationCreateInputSerializer,
        responses={
            201: RegistrationOutputSerializer,
            400: OpenApiResponse(description="Input that does not fit; the body names the field."),
            401: OpenApiResponse(description="Not signed in."),
            403: OpenApiResponse(description="The e-mail address is not verified yet."),
            404: _NOT_FOUND,
            409: OpenApiResponse(
                description="Already registered, or registration is closed (not open yet, "
                "closed, the roundtable started or was cancelled)."
            ),
            429: OpenApiResponse(description="Too many attempts; see Retry-After."),
        },
        tags=["roundtables"],
    )
    def post(self, request: Request, pk: int) -> Response:
        roundtable = roundtable_get_public(pk=pk)
        serializer = RegistrationCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        registration = registration_create(
            roundtable=roundtable, user=request.user, **serializer.validated_data
        )
        output = RegistrationOutputSerializer(registration, context={"request": request})
        return Response(output.data, status=status.HTTP_201_CREATED)


class RegistrationMineApi(APIView):
    authentication_classes = REGISTRANT_AUTHENTICATION
    permission_classes = [IsAuthenticated]

    def _mine(self, request: Request, pk: int) -> Registration:
        roundtable = roundtable_get_public(pk=pk)
        registration = registration_get_active(roundtable=roundtable, user=request.user)
        if registration is None:
            raise NotFoundError(gettext("You are not registered for this roundtable."))
        return registration

    @extend_schema(
        operation_id="roundtables_registrations_mine_retrieve",
        summary="My registration",
        responses={
            200: RegistrationDetailOutputSerializer,
            401: OpenApiResponse(description="Not signed in."),
            404: OpenApiResponse(description="No such roundtable, or not registered for it."),
        },
        tags=["roundtables"],
    )
    def get(self, request: Request, pk: int) -> Response:
        registration = self._mine(request, pk)
        return Response(RegistrationDetailOutputSerializer(registration).data)

    @extend_schema(
        operation_id="roundtables_registrations_mine_destroy",
        summary="Cancel my registration",
        description="The first person on the waitlist gets the seat and is told by e-mail.",
        request=None,
        responses={
            204: OpenApiResponse(description="Cancelled."),
            401: OpenApiResponse(description="Not signed in."),
            404: OpenApiResponse(description="No such roundtable, or not registered for it."),
            409: OpenApiResponse(description="The roundtable has already started."),
        },
        tags=["roundtables"],
    )
    def delete(self, request: Request, pk: int) -> Response:
        registration = self._mine(request, pk)
        registration_cancel(registration=registration, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Views: calendars ----------------------------------------------------------------------------


class CalendarApi(APIView):
    """Answers an iCalendar file whatever the Accept header says (calendar clients vary)."""

    permission_classes = [AllowAny]

    def perform_content_negotiation(self, request: Request, force: bool = False):
        return super().perform_content_negotiation(request, force=True)

    @staticmethod
    def calendar_response(content: bytes, *, filename: str) -> HttpResponse:
        response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response


_ICS = {(200, "text/calendar"): OpenApiTypes.STR}


class RoundtableCalendarApi(CalendarApi):
    @extend_schema(
        operation_id="roundtables_calendar",
        summary="The roundtable as an iCalendar event",
        parameters=[LANGUAGE_PARAMETER],
        responses={**_ICS, 400: LANGUAGE_ERROR, 404: _NOT_FOUND},
        tags=["roundtables"],
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        language = requested_language(request) or translation.get_language()
        roundtable = roundtable_get_public(pk=pk)
        with translation.override(language):
            content = roundtable_ics(roundtable)
        return self.calendar_response(content, filename=f"{roundtable.slug}.ics")


class CampaignCalendarApi(CalendarApi):
    @extend_schema(
        operation_id="campaigns_roundtables_calendar",
        summary="A campaign's roundtables as an iCalendar feed",
        description="To subscribe to: every published roundtable of the campaign; a cancelled "
        "one stays in the feed with STATUS:CANCELLED.",
        parameters=[LANGUAGE_PARAMETER],
        responses={
            **_ICS,
            400: LANGUAGE_ERROR,
            404: OpenApiResponse(description="No published campaign has this slug."),
        },
        tags=["roundtables"],
    )
    def get(self, request: Request, slug: str) -> HttpResponse:
        language = requested_language(request) or translation.get_language()
        campaign = campaign_get_published(slug=slug)
        with translation.override(language):
            content = campaign_ics(campaign)
        return self.calendar_response(content, filename=f"{campaign.slug}.ics")
