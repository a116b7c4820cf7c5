"""Reach of one organisation in a campaign, as its coordinator sees it: counts per invite link,
per day (Brussels time) and per age band, suppressed per DESIGN §4, withdrawn responses left out.

The hand-counted scenario (``reach_scenario``): Chiro Gent has three links —
"Groep 3" 7 responses (age 10; 4 on 2 March at 11:00 Brussels, 3 at 00:30 on 3 March),
"Groep 4" 3 responses (age 13, 3 March) plus 2 withdrawn ones (age 16, 4 March),
"Groep 5" 6 responses (3 aged 10, 3 aged 13; 4 on 2 March, 2 on 3 March) — 16 counted.
Scouts Leuven has 9 responses through one link. One response came without an invite.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analysis.reach import organisation_reach
from consultations.models import Campaign, InviteLink, MemberOrganisation
from consultations.services import invite_link_create, member_organisation_create
from surveys.models import QuestionKind, Response, Survey, SurveyStatus
from surveys.services import response_submit, response_withdraw
from tests.analysis.conftest import add_question, make_campaign

UTC = datetime.UTC
MARCH_2_MORNING = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # 11:00 in Brussels
MARCH_2_NOON = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
MARCH_2_LATE = datetime.datetime(2026, 3, 2, 23, 30, tzinfo=UTC)  # already 3 March in Brussels
MARCH_3 = datetime.datetime(2026, 3, 3, 10, 0, tzinfo=UTC)
MARCH_3_NOON = datetime.datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
MARCH_4 = datetime.datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
SECRET_ANSWER = "Mijn geheim antwoord over de turnzaal"


def submit(
    survey: Survey,
    invite: InviteLink | None,
    *,
    age: int,
    at: datetime.datetime,
    withdraw: bool = False,
) -> Response:
    result = response_submit(
        survey=survey,
        client_token=uuid.uuid4(),
        language="nl",
        age=age,
        invite_code=invite.code if invite else None,
        assent=True,
        answers={"story": SECRET_ANSWER, "sport": "dance"},
    )
    Response.objects.filter(pk=result.response.pk).update(submitted_at=at)
    if withdraw:
        response_withdraw(code=result.receipt)
    return Response.objects.get(pk=result.response.pk)


@dataclass
class Scenario:
    campaign: Campaign
    survey: Survey
    chiro: MemberOrganisation
    scouts: MemberOrganisation
    groep3: InviteLink
    groep4: InviteLink
    groep5: InviteLink
    welpen: InviteLink


def build_scenario(*, k: int) -> Scenario:
    campaign = make_campaign(f"reach-{k}", min_cell_size=k)
    survey = Survey.objects.create(
        campaign=campaign, slug=f"reach-{k}", title_nl="Op school", status=SurveyStatus.OPEN
    )
    add_question(survey, "story", QuestionKind.TEXT, max_length=200)
    add_question(survey, "sport", QuestionKind.SINGLE, options=["football", "dance"])
    chiro = member_organisation_create(name=f"Chiro Gent {k}")
    scouts = member_organisation_create(name=f"Scouts Leuven {k}")
    groep3 = invite_link_create(campaign=campaign, organisation=chiro, label="Groep 3")
    groep4 = invite_link_create(campaign=campaign, organisation=chiro, label="Groep 4")
    groep5 = invite_link_create(campaign=campaign, organisation=chiro, label="Groep 5")
    welpen = invite_link_create(campaign=campaign, organisation=scouts, label="Welpen")
    for _ in range(4):
        submit(survey, groep3, age=10, at=MARCH_2_MORNING)
    for _ in range(3):
        submit(survey, groep3, age=10, at=MARCH_2_LATE)
    for _ in range(3):
        submit(survey, groep4, age=13, at=MARCH_3)
    for _ in range(2):
        submit(survey, groep4, age=16, at=MARCH_4, withdraw=True)
    for age in (10, 10, 13, 13):
        submit(survey, groep5, age=age, at=MARCH_2_NOON)
    for age in (10, 13):
        submit(survey, groep5, age=age, at=MARCH_3_NOON)
    for _ in range(9):
        submit(survey, welpen, age=16, at=MARCH_3)
    submit(survey, None, age=16, at=MARCH_3)
    return Scenario(campaign, survey, chiro, scouts, groep3, groep4, groep5, welpen)


@pytest.fixture
def reach_scenario(db):
    return build_scenario


def table(rows) -> dict[str, int | str]:
    return {row.label: "suppressed" if row.suppressed else row.count for row in rows}


def test_it_counts_per_link_day_and_age_band_by_hand_with_k_5(reach_scenario):
    scenario = reach_scenario(k=5)

    reach = organisation_reach(organisation=scenario.chiro, campaign=scenario.campaign)

    assert reach.total == 16
    # Groep 4 (3) is below 5; hiding only it would let 16 - 7 - 6 give it away, so the
    # next-smallest, Groep 5, is hidden with it.
    assert table(reach.per_invite_link) == {
        "Groep 3": 7,
        "Groep 4": "suppressed",
        "Groep 5": "suppressed",
    }
    assert table(reach.per_day) == {"2026-03-02": 8, "2026-03-03": 8}
    assert table(reach.per_age_band) == {"6-8": 0, "9-11": 10, "12-14": 6, "15-17": 0}


def test_it_counts_by_hand_with_k_10(reach_scenario):
    scenario = reach_scenario(k=10)

    reach = organisation_reach(organisation=scenario.chiro, campaign=scenario.campaign)

    assert reach.total == 16
    assert table(reach.per_invite_link) == {
        "Groep 3": "suppressed",
        "Groep 4": "suppressed",
        "Groep 5": "suppressed",
    }
    assert table(reach.per_day) == {"2026-03-02": "suppressed", "2026-03-03": "suppressed"}
    assert table(reach.per_age_band) == {
        "6-8": 0,
        "9-11": "suppressed",
        "12-14": "suppressed",
        "15-17": 0,
    }


def test_it_leaves_withdrawn_responses_out(reach_scenario):
    scenario = reach_scenario(k=5)

    reach = organisation_reach(organisation=scenario.chiro, campaign=scenario.campaign)

    # The two withdrawn responses were the only ones on 4 March and the only ones aged 16.
    assert "2026-03-04" not in table(reach.per_day)
    assert table(reach.per_age_band)["15-17"] == 0
    assert reach.total == 16


def test_it_counts_days_in_brussels_time(reach_scenario):
    scenario = reach_scenario(k=5)
    brussels = ZoneInfo("Europe/Brussels")
    assert MARCH_2_LATE.astimezone(brussels).date() == datetime.date(2026, 3, 3)

    reach = organisation_reach(organisation=scenario.chiro, campaign=scenario.campaign)

    # In UTC 2 March would have 11 responses and 3 March 5.
    assert {row.key: row.count for row in reach.per_day} == {
        datetime.date(2026, 3, 2): 8,
        datetime.date(2026, 3, 3): 8,
    }


def test_it_publishes_an_organisation_at_k_or_more(reach_scenario):
    scenario = reach_scenario(k=5)

    reach = organisation_reach(organisation=scenario.scouts, campaign=scenario.campaign)

    assert reach.total == 9
    assert table(reach.per_invite_link) == {"Welpen": 9}
    assert table(reach.per_day) == {"2026-03-03": 9}


def test_it_hides_everything_of_an_organisation_below_k(reach_scenario):
    scenario = reach_scenario(k=10)

    reach = organisation_reach(organisation=scenario.scouts, campaign=scenario.campaign)

    assert reach.suppressed and reach.total is None
    assert table(reach.per_invite_link) == {"Welpen": "suppressed"}
    assert all(row.suppressed for row in reach.per_age_band)
    # Not even which days someone answered.
    assert reach.per_day == []


def test_it_never_counts_another_organisations_responses(reach_scenario):
    scenario = reach_scenario(k=5)
    other = member_organisation_create(name="KSA Brugge")
    invite_link_create(campaign=scenario.campaign, organisation=other, label="Leeuwkes")

    reach = organisation_reach(organisation=other, campaign=scenario.campaign)

    assert reach.suppressed
    assert table(reach.per_invite_link) == {"Leeuwkes": "suppressed"}


def test_it_uses_the_same_number_of_queries_however_much_there_is(reach_scenario):
    small = reach_scenario(k=5)
    lonely = member_organisation_create(name="Lonely")
    link = invite_link_create(campaign=small.campaign, organisation=lonely, label="Enige")
    submit(small.survey, link, age=10, at=MARCH_2_MORNING)
    with CaptureQueriesContext(connection) as few:
        organisation_reach(organisation=lonely, campaign=small.campaign)

    for label in ("Groep 6", "Groep 7", "Groep 8"):
        extra = invite_link_create(campaign=small.campaign, organisation=small.chiro, label=label)
        for day in range(5, 12):
            submit(small.survey, extra, age=13, at=datetime.datetime(2026, 3, day, 9, tzinfo=UTC))
    with CaptureQueriesContext(connection) as many:
        organisation_reach(organisation=small.chiro, campaign=small.campaign)

    assert len(few.captured_queries) == len(many.captured_queries) <= 5
