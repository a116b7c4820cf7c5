"""One small, complete world the security tests try every page and endpoint in.

A published campaign with an open survey that has a question of every kind, a member
organisation (Chiro Gent) with its coordinator and an invite link, responses (one of them the
receipt holder's), a results snapshot, a code with a quote, a theme suggestion, two roundtables
open for registration (the expert registered for the first), and the personas of the issue:
anonymous, a young person holding a receipt code, an expert, a coordinator, staff without
two-step verification and staff with it. Everything is made through the apps' services.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import Sector, User
from analysis.coding import answer_coding_save, code_create
from analysis.models import ThemeSuggestion
from analysis.services import survey_results_refresh
from consultations.models import Campaign, InviteLink, MemberOrganisation
from consultations.services import invite_link_create, member_organisation_create
from roundtables.models import Registration, Roundtable, RoundtableStatus
from roundtables.services import registration_create, roundtable_create
from surveys.models import Answer, Survey, SurveyStatus
from surveys.services import response_submit
from tests.accounts.helpers import activate_totp
from tests.analysis.conftest import add_question, make_campaign
from tests.every_kind import add_every_kind

PASSWORD = "a long and unusual passphrase 7"
SECRET_ANSWER = "Mijn geheim antwoord over de speelplaats"
CODE_LABEL = "Speelplaats te klein"
# A well-formed receipt code that was never issued: what a visitor without a code tries.
UNISSUED_RECEIPT = "ZZZZ-ZZZZ"

PERSONAS = [
    "anonymous",
    "receipt_holder",
    "expert",
    "coordinator",
    "staff_no_mfa",
    "staff",
]


@dataclass
class World:
    campaign: Campaign
    survey: Survey
    organisation: MemberOrganisation
    invite: InviteLink
    receipt: str
    answer_id: int
    code_id: int
    other_code_id: int
    suggestion_id: int
    roundtable: Roundtable
    open_roundtable: Roundtable
    registration: Registration
    expert: User
    coordinator: User
    staff_no_mfa: User
    staff: User
    staff_token: str

    def user(self, persona: str) -> User | None:
        return getattr(self, persona, None)


def make_user(email: str, **fields) -> User:
    fields.setdefault("sector", Sector.ACADEMIC)
    fields.setdefault("preferred_language", "en")
    user = User.objects.create_user(email=email, password=PASSWORD, **fields)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


def submit(survey: Survey, invite: InviteLink | None, *, age: int, story: str) -> str:
    result = response_submit(
        survey=survey,
        client_token=uuid.uuid4(),
        language="nl",
        age=age,
        invite_code=invite.code if invite else None,
        assent=True,
        answers={
            "mood": 4,
            "sport": "football",
            "sport_where": "club",
            "hobbies": ["music", "games"],
            "hours": 3,
            "story": story,
            "priorities": ["say", "food"],
        },
    )
    return result.receipt


def build_world() -> World:
    campaign = make_campaign("welzijn-op-school", min_cell_size=5)
    survey = Survey.objects.create(
        campaign=campaign, slug="op-school", title_nl="Op school", status=SurveyStatus.OPEN
    )
    add_every_kind(survey, add_question, story={"max_length": 200})

    organisation = member_organisation_create(name="Chiro Gent")
    campaign.organisations.add(organisation)
    invite = invite_link_create(campaign=campaign, organisation=organisation, label="Groep 3")
    receipt = submit(survey, invite, age=10, story=SECRET_ANSWER)
    for age in (10, 10, 10, 13, 13, 13):
        submit(survey, invite, age=age, story="Meer groen op de speelplaats")
    survey_results_refresh(survey=survey)

    staff = make_user("analist@coalitie.example", is_staff=True, sector=Sector.NGO)
    activate_totp(staff)
    code = code_create(campaign=campaign, label=CODE_LABEL, user=staff)
    other = code_create(campaign=campaign, label="Meer groen", user=staff)
    answer = Answer.objects.get(response__survey=survey, text_value=SECRET_ANSWER)
    answer_coding_save(
        answer_id=answer.pk, campaign=campaign, code_ids=[code.pk], is_quote=True, user=staff
    )
    suggestion = ThemeSuggestion.objects.create(
        campaign=campaign, language="nl", phrase="speelplaats", answer_count=7
    )

    expert = make_user("sara.peeters@ugent.example", full_name="Sara Peeters")
    coordinator = make_user("leiding@chiro.example", sector=Sector.YOUTH_WORK)
    organisation.coordinators.add(coordinator)
    staff_no_mfa = make_user("nieuw@coalitie.example", is_staff=True, sector=Sector.NGO)

    roundtable = _roundtable(campaign, "mentaal-welzijn")
    open_roundtable = _roundtable(campaign, "speelruimte")
    registration = registration_create(
        roundtable=roundtable,
        user=expert,
        sector=Sector.ACADEMIC,
        organisation="Universiteit Gent",
        expertise="Participation of young children",
    )
    token, _created = Token.objects.get_or_create(user=staff)
    return World(
        campaign=campaign,
        survey=survey,
        organisation=organisation,
        invite=invite,
        receipt=receipt,
        answer_id=answer.pk,
        code_id=code.pk,
        other_code_id=other.pk,
        suggestion_id=suggestion.pk,
        roundtable=roundtable,
        open_roundtable=open_roundtable,
        registration=registration,
        expert=expert,
        coordinator=coordinator,
        staff_no_mfa=staff_no_mfa,
        staff=staff,
        staff_token=token.key,
    )


def _roundtable(campaign: Campaign, slug: str) -> Roundtable:
    day = timezone.localdate() + datetime.timedelta(days=10)
    zone = timezone.get_current_timezone()
    return roundtable_create(
        campaign=campaign,
        slug=slug,
        title_nl=f"Rondetafel {slug}",
        title_en=f"Roundtable {slug}",
        starts_at=datetime.datetime.combine(day, datetime.time(14, 0), tzinfo=zone),
        ends_at=datetime.datetime.combine(day, datetime.time(17, 0), tzinfo=zone),
        venue="Kinderrechtenhuis, Brussel",
        capacity=5,
        status=RoundtableStatus.PUBLISHED,
    )


@pytest.fixture
def world(db) -> World:
    return build_world()
