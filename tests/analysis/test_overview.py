"""The staff overview of a campaign: responses per day (Brussels time), organisation, age band
and language, suppressed per DESIGN §4 with an exact total, withdrawn responses left out.

The hand-counted scenario (``overview_scenario``, k = 5), all in one survey:
Chiro Gent 10 responses in Dutch on 2 March (6 aged 10, 4 aged 13);
Scouts Leuven 3 in French, aged 13, on 5 March;
5 without an invite link in English, aged 16, at 00:30 on 3 March in Brussels (still 2 March UTC);
KSA Brugge takes part; its 2 responses (aged 7, English, 6 March) were withdrawn.
Counted: 18.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analysis.overview import campaign_overview
from consultations.models import Campaign, InviteLink
from consultations.services import invite_link_create, member_organisation_create
from surveys.models import QuestionKind, Response, Survey, SurveyStatus
from surveys.services import response_submit, response_withdraw
from tests.analysis.conftest import add_question, make_campaign

UTC = datetime.UTC
MARCH_2 = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
MARCH_2_LATE = datetime.datetime(2026, 3, 2, 23, 30, tzinfo=UTC)  # 3 March in Brussels
MARCH_5 = datetime.datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
MARCH_6 = datetime.datetime(2026, 3, 6, 10, 0, tzinfo=UTC)


def submit(
    survey: Survey,
    invite: InviteLink | None,
    *,
    age: int,
    language: str,
    at: datetime.datetime,
    withdraw: bool = False,
) -> None:
    result = response_submit(
        survey=survey,
        client_token=uuid.uuid4(),
        language=language,
        age=age,
        invite_code=invite.code if invite else None,
        assent=True,
        answers={"sport": "dance"},
    )
    Response.objects.filter(pk=result.response.pk).update(submitted_at=at)
    if withdraw:
        response_withdraw(code=result.receipt)


@dataclass
class Scenario:
    campaign: Campaign
    survey: Survey
    chiro: InviteLink
    scouts: InviteLink
    ksa: InviteLink


def build_scenario(*, k: int = 5, slug: str = "overview") -> Scenario:
    campaign = make_campaign(slug, min_cell_size=k)
    survey = Survey.objects.create(
        campaign=campaign, slug=slug, title_nl="Op school", status=SurveyStatus.OPEN
    )
    add_question(survey, "sport", QuestionKind.SINGLE, options=["football", "dance"])
    chiro = member_organisation_create(name=f"Chiro Gent {slug}")
    scouts = member_organisation_create(name=f"Scouts Leuven {slug}")
    ksa = member_organisation_create(name=f"KSA Brugge {slug}")
    campaign.organisations.add(chiro, scouts, ksa)
    scenario = Scenario(
        campaign=campaign,
        survey=survey,
        chiro=invite_link_create(campaign=campaign, organisation=chiro, label="Groep 3"),
        scouts=invite_link_create(campaign=campaign, organisation=scouts, label="Welpen"),
        ksa=invite_link_create(campaign=campaign, organisation=ksa, label="Leeuwkes"),
    )
    for age in [10] * 6 + [13] * 4:
        submit(survey, scenario.chiro, age=age, language="nl", at=MARCH_2)
    for _ in range(3):
        submit(survey, scenario.scouts, age=13, language="fr", at=MARCH_5)
    for _ in range(5):
        submit(survey, None, age=16, language="en", at=MARCH_2_LATE)
    for _ in range(2):
        submit(survey, scenario.ksa, age=7, language="en", at=MARCH_6, withdraw=True)
    return scenario


@pytest.fixture
def overview_scenario(db):
    return build_scenario


def table(rows) -> dict[str, int | str]:
    return {row.label: "< k" if row.suppressed else row.count for row in rows}


def test_it_counts_per_day_organisation_age_band_and_language_by_hand_with_k_5(
    overview_scenario,
):
    scenario = overview_scenario()

    overview = campaign_overview(campaign=scenario.campaign)

    assert overview.total == 18
    assert overview.k == 5
    # 5 March (3) is below 5; alone it could be worked out from 18 - 10 - 0, so the
    # next-smallest day, 3 March (5), is hidden with it. 4 March is a published zero.
    assert table(overview.per_day) == {
        "2026-03-02": 10,
        "2026-03-03": "< k",
        "2026-03-04": 0,
        "2026-03-05": "< k",
    }
    assert table(overview.per_organisation) == {
        "Chiro Gent overview": 10,
        "KSA Brugge overview": 0,
        "Scouts Leuven overview": "< k",
        "Without an invite link": "< k",
    }
    assert table(overview.per_age_band) == {"6-8": 0, "9-11": 6, "12-14": 7, "15-17": 5}
    assert table(overview.per_language) == {"Dutch": 10, "French": "< k", "English": "< k"}
    assert overview.has_suppressed


def test_it_leaves_withdrawn_responses_out(overview_scenario):
    scenario = overview_scenario()

    overview = campaign_overview(campaign=scenario.campaign)

    # The withdrawn responses were the only ones of KSA, of 6 March and aged 6-8.
    assert overview.total == 18
    assert "2026-03-06" not in table(overview.per_day)
    assert table(overview.per_organisation)["KSA Brugge overview"] == 0
    assert table(overview.per_age_band)["6-8"] == 0


def test_the_total_is_exact_even_below_k_while_every_small_cell_is_hidden(db):
    campaign = make_campaign("tiny", min_cell_size=5)
    survey = Survey.objects.create(
        campaign=campaign, slug="tiny", title_nl="Klein", status=SurveyStatus.OPEN
    )
    add_question(survey, "sport", QuestionKind.SINGLE, options=["football", "dance"])
    for _ in range(3):
        submit(survey, None, age=10, language="nl", at=MARCH_2)

    overview = campaign_overview(campaign=campaign)

    assert overview.total == 3
    assert table(overview.per_day) == {"2026-03-02": "< k"}
    # Publishing the zeros would give the Dutch count away: it is the exact total minus them.
    assert table(overview.per_language) == {"Dutch": "< k", "French": "< k", "English": "< k"}
    assert table(overview.per_organisation) == {"Without an invite link": "< k"}


def test_an_empty_campaign_has_a_zero_total_and_no_days(db):
    campaign = make_campaign("empty", min_cell_size=5)

    overview = campaign_overview(campaign=campaign)

    assert overview.total == 0
    assert overview.per_day == []
    assert not overview.has_suppressed


def test_it_uses_the_same_number_of_queries_however_much_there_is(overview_scenario):
    small = make_campaign("small", min_cell_size=5)
    survey = Survey.objects.create(
        campaign=small, slug="small", title_nl="Klein", status=SurveyStatus.OPEN
    )
    add_question(survey, "sport", QuestionKind.SINGLE, options=["football", "dance"])
    submit(survey, None, age=10, language="nl", at=MARCH_2)
    with CaptureQueriesContext(connection) as few:
        campaign_overview(campaign=small)

    big = overview_scenario(slug="big")
    for number in range(4):
        organisation = member_organisation_create(name=f"Extra {number}")
        link = invite_link_create(campaign=big.campaign, organisation=organisation, label="X")
        for day in range(7, 14):
            at = datetime.datetime(2026, 3, day, 9, tzinfo=UTC)
            submit(big.survey, link, age=15, language="fr", at=at)
    with CaptureQueriesContext(connection) as many:
        campaign_overview(campaign=big.campaign)

    assert len(few.captured_queries) == len(many.captured_queries) <= 6
