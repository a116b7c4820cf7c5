"""roundtables.services.registration_create: a seat while there is one, else the waitlist."""

import datetime

import pytest
from django.utils import timezone

from config.exceptions import ConflictError, InvalidInputError, NotAllowedError
from roundtables.models import Registration, RegistrationStatus, RoundtableStatus
from roundtables.selectors import waitlist_position
from roundtables.services import registration_cancel, registration_create

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {
        "key": "perspective",
        "kind": "single",
        "required": True,
        "label_nl": "Perspectief",
        "label_en": "Perspective",
        "options": [
            {"value": "research", "label_nl": "Onderzoek", "label_en": "Research"},
            {"value": "policy", "label_nl": "Beleid", "label_en": "Policy"},
        ],
    },
    {"key": "question", "kind": "text", "label_nl": "Uw vraag", "label_en": "Your question"},
]


def register(roundtable, user, **fields):
    fields.setdefault("sector", "academic")
    return registration_create(roundtable=roundtable, user=user, **fields)


def test_the_first_registrations_get_a_seat(roundtable, expert):
    registration = register(roundtable, expert, organisation="UGent", needs="Vegetarian")

    assert registration.status == RegistrationStatus.CONFIRMED
    assert waitlist_position(registration) is None
    stored = Registration.objects.get()
    assert (stored.user, stored.organisation, stored.needs) == (expert, "UGent", "Vegetarian")


def test_once_the_seats_are_taken_newcomers_join_the_waitlist_in_order(make_roundtable, make_user):
    roundtable = make_roundtable(capacity=2)
    results = [register(roundtable, make_user(f"p{i}@example.org")) for i in range(5)]

    assert [r.status for r in results] == ["confirmed"] * 2 + ["waitlisted"] * 3
    assert [waitlist_position(r) for r in results] == [None, None, 1, 2, 3]
    assert [r.sequence for r in results] == [1, 2, 3, 4, 5]


def test_the_profile_fills_in_what_is_not_given(roundtable, make_user):
    user = make_user("p@example.org", sector="policy", organisation="FOD", expertise="Budgets")

    registration = registration_create(roundtable=roundtable, user=user)

    assert (registration.sector, registration.organisation, registration.expertise) == (
        "policy",
        "FOD",
        "Budgets",
    )


def test_it_refuses_a_second_registration_of_the_same_person(roundtable, expert):
    register(roundtable, expert)

    with pytest.raises(ConflictError, match="already registered"):
        register(roundtable, expert)
    assert Registration.objects.count() == 1


def test_after_cancelling_one_can_register_again(roundtable, expert):
    first = register(roundtable, expert)
    registration_cancel(registration=first, by=expert)

    again = register(roundtable, expert)

    assert again.status == RegistrationStatus.CONFIRMED
    assert Registration.objects.filter(user=expert).count() == 2


def test_it_refuses_an_account_without_a_verified_email_address(roundtable, make_user):
    unverified = make_user("new@example.org", verified=False)

    with pytest.raises(NotAllowedError):
        register(roundtable, unverified)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": RoundtableStatus.DRAFT}, "not open for registration yet"),
        ({"status": RoundtableStatus.CANCELLED}, "cancelled"),
        ({"starts_at": timezone.now() - datetime.timedelta(hours=1)}, "already started"),
        (
            {"registration_opens_at": timezone.now() + datetime.timedelta(days=1)},
            "Registration opens on",
        ),
        (
            {
                "registration_opens_at": timezone.now() - datetime.timedelta(days=2),
                "registration_closes_at": timezone.now() - datetime.timedelta(days=1),
            },
            "closed",
        ),
    ],
)
def test_it_refuses_when_registration_is_not_open(make_roundtable, expert, fields, message):
    roundtable = make_roundtable(**fields)

    with pytest.raises(ConflictError, match=message):
        register(roundtable, expert)
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"sector": "astrology"}, "sector"),
        ({"sector": ""}, "sector"),
        ({"organisation": "x" * 201}, "organisation"),
        ({"expertise": "x" * 501}, "expertise"),
        ({"needs": "x" * 1001}, "needs"),
        ({"needs": 42}, "needs"),
    ],
)
def test_bad_fields_are_refused_naming_the_field(roundtable, expert, fields, field):
    with pytest.raises(InvalidInputError) as raised:
        register(roundtable, expert, **fields)
    assert raised.value.field == field
    assert not Registration.objects.exists()


def test_an_empty_profile_sector_must_be_chosen(roundtable, make_user):
    user = make_user("p@example.org", sector="")

    with pytest.raises(InvalidInputError) as raised:
        registration_create(roundtable=roundtable, user=user)
    assert raised.value.field == "sector"


def test_the_extra_questions_are_stored_when_answered_well(make_roundtable, expert):
    roundtable = make_roundtable(questions=QUESTIONS)

    registration = register(
        roundtable, expert, answers={"perspective": "policy", "question": "  Why?  "}
    )

    assert registration.answers == {"perspective": "policy", "question": "Why?"}


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({}, "answers.perspective", "needs an answer"),
        ({"perspective": "   "}, "answers.perspective", "needs an answer"),
        ({"perspective": "astrology"}, "answers.perspective", "not one of the options"),
        ({"perspective": "policy", "colour": "red"}, "answers", "no question 'colour'"),
        ({"perspective": "policy", "question": "x" * 1001}, "answers.question", "at most"),
        (["policy"], "answers", "object"),
    ],
)
def test_bad_answers_are_refused_naming_the_question(
    make_roundtable, expert, answers, field, message
):
    roundtable = make_roundtable(questions=QUESTIONS)

    with pytest.raises(InvalidInputError, match=message) as raised:
        register(roundtable, expert, answers=answers)
    assert raised.value.field == field
    assert not Registration.objects.exists()


def test_a_full_roundtable_still_takes_registrations_for_the_waitlist(
    make_roundtable, expert, other_expert
):
    roundtable = make_roundtable(capacity=1)
    register(roundtable, other_expert)

    registration = register(roundtable, expert)

    assert (registration.status, waitlist_position(registration)) == ("waitlisted", 1)
