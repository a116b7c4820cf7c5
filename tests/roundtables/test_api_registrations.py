"""POST /api/v1/roundtables/{id}/registrations/ and GET/DELETE .../registrations/mine/."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from roundtables.models import Registration, RegistrationStatus, RoundtableStatus
from roundtables.services import registration_cancel, registration_create
from tests.roundtables.helpers import in_english

pytestmark = pytest.mark.django_db

BODY = {"sector": "academic", "organisation": "UGent", "expertise": "Education", "needs": ""}


def register_url(roundtable):
    return f"/api/v1/roundtables/{roundtable.pk}/registrations/"


def mine_url(roundtable):
    return f"/api/v1/roundtables/{roundtable.pk}/registrations/mine/"


@pytest.fixture
def signed_in(client, expert):
    client.force_login(expert)
    return client


def post(client, roundtable, body=BODY):
    return client.post(register_url(roundtable), body, content_type="application/json")


# --- Registering ---------------------------------------------------------------------------------


def test_a_verified_expert_gets_a_seat_and_a_confirmation(
    signed_in, roundtable, expert, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(signed_in, roundtable)

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["waitlist_position"]) == ("confirmed", None)
    registration = Registration.objects.get()
    assert (registration.user, registration.organisation) == (expert, "UGent")
    assert [message.to for message in mailoutbox] == [[expert.email]]


def test_when_the_seats_are_gone_the_answer_is_a_waitlist_position(
    signed_in, make_roundtable, make_user
):
    roundtable = make_roundtable(capacity=1)
    registration_create(roundtable=roundtable, user=make_user("first@example.org"))

    response = post(signed_in, roundtable)

    assert response.status_code == 201
    assert response.json() | {"id": None} == {
        "id": None,
        "status": "waitlisted",
        "waitlist_position": 1,
    }


def test_registering_twice_is_a_409(signed_in, roundtable):
    post(signed_in, roundtable)

    response = post(signed_in, roundtable)

    assert response.status_code == 409
    assert response.json()["detail"] == "You are already registered for this roundtable."
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"starts_at": timezone.now() - datetime.timedelta(hours=2)},
        {"registration_closes_at": timezone.now() - datetime.timedelta(hours=1)},
        {"registration_opens_at": timezone.now() + datetime.timedelta(days=1)},
        {"status": RoundtableStatus.CANCELLED},
    ],
    ids=["past", "closed", "not-open-yet", "cancelled"],
)
def test_registering_when_registration_is_not_open_is_a_409(signed_in, make_roundtable, fields):
    roundtable = make_roundtable(**fields)

    response = post(signed_in, roundtable)

    assert response.status_code == 409
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**BODY, "sector": "astrology"}, "sector"),
        ({**BODY, "organisation": "x" * 201}, "organisation"),
        ({**BODY, "needs": ["vegan"]}, "needs"),
        ({**BODY, "answers": "yes"}, "answers"),
    ],
)
def test_bad_fields_are_a_400_naming_the_field(signed_in, roundtable, body, field):
    response = post(signed_in, roundtable, body)

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Registration.objects.exists()


def test_a_missing_required_answer_is_a_400_naming_the_question(signed_in, make_roundtable):
    roundtable = make_roundtable(
        questions=[{"key": "topic", "kind": "text", "required": True, "label_nl": "Onderwerp"}]
    )

    response = post(signed_in, roundtable, {**BODY, "answers": {}})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["answers.topic"]
    assert post(signed_in, roundtable, {**BODY, "answers": {"topic": "Rules"}}).status_code == 201


def test_a_body_that_is_not_json_is_a_400(signed_in, roundtable):
    response = signed_in.post(register_url(roundtable), "{", content_type="application/json")

    assert response.status_code == 400


def test_an_anonymous_visitor_gets_a_401(client, roundtable):
    response = post(client, roundtable)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_an_account_with_an_unverified_email_gets_a_403(client, roundtable, make_user):
    client.force_login(make_user("new@example.org", verified=False))

    response = post(client, roundtable)

    assert response.status_code == 403
    assert "Confirm your e-mail address" in response.json()["detail"]


def test_a_draft_roundtable_is_a_404(signed_in, make_roundtable):
    assert post(signed_in, make_roundtable(status=RoundtableStatus.DRAFT)).status_code == 404


def test_a_token_works_for_clients_without_a_browser(roundtable, expert):
    client = in_english(APIClient())
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=expert).key}")

    assert client.post(register_url(roundtable), BODY, format="json").status_code == 201


def test_a_session_without_the_csrf_token_is_refused(roundtable, expert):
    client = in_english(APIClient(enforce_csrf_checks=True))
    client.force_login(expert)

    response = client.post(register_url(roundtable), BODY, format="json")

    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_too_many_attempts_are_a_429_with_retry_after(signed_in, make_roundtable, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"registration": "2/min"})
    roundtables = [make_roundtable() for _ in range(3)]

    statuses = [post(signed_in, roundtable).status_code for roundtable in roundtables]

    assert statuses == [201, 201, 429]
    assert int(post(signed_in, roundtables[2])["Retry-After"]) > 0


# --- My registration ------------------------------------------------------------------------------


def test_the_registrant_sees_their_registration(signed_in, roundtable):
    post(signed_in, roundtable, {**BODY, "needs": "Step-free access"})

    response = signed_in.get(mine_url(roundtable))

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["needs"], body["sector"]) == (
        "confirmed",
        "Step-free access",
        "academic",
    )


def test_an_expert_never_sees_another_persons_registration(
    client, roundtable, expert, other_expert
):
    registration_create(roundtable=roundtable, user=other_expert, needs="Private")
    client.force_login(expert)

    response = client.get(mine_url(roundtable))

    assert response.status_code == 404
    assert "Private" not in response.content.decode()


def test_cancelling_mine_is_a_204_and_the_waitlist_moves_up(
    signed_in,
    make_roundtable,
    expert,
    make_user,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    roundtable = make_roundtable(capacity=1, title_nl="Rondetafel")
    registration_create(roundtable=roundtable, user=expert)
    waiting = make_user("wacht@example.org", preferred_language="nl")
    registration_create(roundtable=roundtable, user=waiting)

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.delete(mine_url(roundtable))

    assert response.status_code == 204
    assert Registration.objects.get(user=expert).status == RegistrationStatus.CANCELLED
    assert Registration.objects.get(user=waiting).status == RegistrationStatus.CONFIRMED
    promotion = next(message for message in mailoutbox if message.to == [waiting.email])
    assert "Rondetafel" in promotion.subject
    assert signed_in.get(mine_url(roundtable)).status_code == 404


def test_cancelling_without_a_registration_is_a_404(signed_in, roundtable, expert):
    registration_cancel(
        registration=registration_create(roundtable=roundtable, user=expert), by=expert
    )

    assert signed_in.delete(mine_url(roundtable)).status_code == 404


def test_cancelling_after_the_start_is_a_409(signed_in, make_roundtable, expert):
    roundtable = make_roundtable()
    registration_create(roundtable=roundtable, user=expert)
    roundtable.starts_at = timezone.now() - datetime.timedelta(minutes=5)
    roundtable.save()

    response = signed_in.delete(mine_url(roundtable))

    assert response.status_code == 409
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED


def test_an_anonymous_visitor_cannot_cancel(client, roundtable):
    assert client.delete(mine_url(roundtable)).status_code == 401
