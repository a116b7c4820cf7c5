"""roundtables.services.outcome_record: staff record what a roundtable concluded."""

import datetime

import pytest

from config.exceptions import ConflictError, InvalidInputError, NotAllowedError
from roundtables.models import Outcome, RoundtableStatus
from roundtables.selectors import outcome_get_for_roundtable, outcome_list_for_campaign
from roundtables.services import outcome_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(make_roundtable):
    """A roundtable that took place yesterday."""
    return make_roundtable(starts_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(1))


POINTS = [
    {"text": "Pupils want a say in school rules.", "articles": ["12", "28(2)"]},
    {"text": "Mental health support is too far away.", "articles": ["24"]},
]


def test_staff_record_a_summary_and_key_points_tagged_with_articles(held, staff):
    outcome_record(roundtable=held, summary="A lively debate.", points=POINTS, author=staff)

    outcome = outcome_get_for_roundtable(roundtable=held)
    assert (outcome.summary, outcome.author, outcome.language) == ("A lively debate.", staff, "en")
    assert [point.text for point in outcome.points.all()] == [p["text"] for p in POINTS]
    assert [a.code for a in outcome.points.all()[0].articles.all()] == ["12", "28(2)"]
    assert list(outcome_list_for_campaign(campaign=held.campaign)) == [outcome]


def test_recording_again_replaces_the_outcome(held, staff):
    outcome_record(roundtable=held, summary="Draft.", points=POINTS, author=staff)
    outcome_record(
        roundtable=held,
        summary="Final.",
        points=[{"text": "One point.", "articles": []}],
        author=staff,
        language="nl",
    )

    outcome = outcome_get_for_roundtable(roundtable=held)
    assert Outcome.objects.count() == 1
    assert (outcome.summary, outcome.language) == ("Final.", "nl")
    assert [point.text for point in outcome.points.all()] == ["One point."]


@pytest.mark.parametrize(
    ("summary", "points", "field"),
    [
        ("", POINTS, "summary"),
        ("Ok", [{"text": "x", "articles": ["999"]}], "points.0.articles"),
        ("Ok", [{"text": "", "articles": []}], "points.0.text"),
        ("Ok", [POINTS[0], {"text": "x", "articles": "12"}], "points.1.articles"),
        ("Ok", "not a list", "points"),
        ("Ok", ["not an object"], "points.0"),
    ],
)
def test_bad_input_is_refused_naming_the_field(held, staff, summary, points, field):
    with pytest.raises(InvalidInputError) as raised:
        outcome_record(roundtable=held, summary=summary, points=points, author=staff)
    assert raised.value.field == field
    assert not Outcome.objects.exists()


def test_an_expert_cannot_record_an_outcome(held, expert):
    with pytest.raises(NotAllowedError):
        outcome_record(roundtable=held, summary="Mine.", points=[], author=expert)
    assert not Outcome.objects.exists()


def test_it_refuses_before_the_roundtable_has_started(roundtable, staff):
    with pytest.raises(ConflictError, match="once the roundtable has started"):
        outcome_record(roundtable=roundtable, summary="Too early.", points=[], author=staff)


def test_a_cancelled_roundtable_has_no_outcome(make_roundtable, staff):
    cancelled = make_roundtable(
        status=RoundtableStatus.CANCELLED,
        starts_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(1),
    )

    with pytest.raises(ConflictError, match="cancelled"):
        outcome_record(roundtable=cancelled, summary="?", points=[], author=staff)
