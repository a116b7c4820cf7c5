"""200 experts register for 20 seats at the same moment, through the API: exactly 20 confirmed,
180 waitlisted, no error (DESIGN §8, "seats").

The service-level test, repeated over five rounds and checking the order of arrival and the
waitlist positions everyone is told, is tests/roundtables/test_registration_create_concurrency.py;
it is not repeated here. This one sends real HTTP requests, each with its own API token, to
gunicorn, whose processes and threads race for the seats on PostgreSQL: it adds that no request
gets a 5xx, a 409 or a dropped connection on the way.
"""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import User
from consultations.models import Campaign, CampaignStatus
from consultations.services import campaign_create
from roundtables.models import Registration, RegistrationStatus, RoundtableStatus
from roundtables.services import roundtable_create
from tests.reliability.conftest import Reply, post_json, process_env, web_server

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

PEOPLE = 200
SEATS = 20


def experts_with_tokens(count: int) -> list[str]:
    """``count`` verified experts; their API tokens."""
    users = User.objects.bulk_create(
        User(email=f"rush{number:03d}@example.org", sector="academic", password="!")
        for number in range(count)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, primary=True, verified=True) for user in users
    )
    tokens = Token.objects.bulk_create(Token(user=user, key=Token.generate_key()) for user in users)
    return [token.key for token in tokens]


def test_200_experts_registering_at_once_through_the_api_get_20_seats_and_no_error(
    transactional_db, private_redis, tmp_path
):
    campaign = campaign_create(slug="stoelen", title_nl="Stoelen")
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.CONSULTING)
    starts_at = timezone.now() + datetime.timedelta(days=3)
    roundtable = roundtable_create(
        campaign=campaign,
        slug="drukte",
        title_nl="Drukte",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
        capacity=SEATS,
        venue="Koningsstraat 10, 1000 Brussel",
        status=RoundtableStatus.PUBLISHED,
    )
    tokens = experts_with_tokens(PEOPLE)
    env = process_env(
        redis_url=private_redis.url,
        application_name="reliability-web",
        settings_module="config.settings",
    )
    replies: dict[str, Reply] = {}
    errors: list[BaseException] = []

    with web_server(env=env, log=tmp_path / "web.log", workers=2, threads=10) as web:
        url = f"{web.url}/api/v1/roundtables/{roundtable.pk}/registrations/"
        start = threading.Barrier(PEOPLE, timeout=30)

        def register(token: str) -> None:
            try:
                start.wait()
                replies[token] = post_json(
                    url, {}, headers={"Authorization": f"Token {token}"}, timeout=45
                )
            except BaseException as error:  # reported below, not lost in the thread
                errors.append(error)

        threads = [threading.Thread(target=register, args=(token,)) for token in tokens]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 50
        for thread in threads:
            thread.join(timeout=max(deadline - time.monotonic(), 0.1))
        assert not any(thread.is_alive() for thread in threads), "registrations did not finish"

    assert errors == []
    assert sorted({reply.status for reply in replies.values()}) == [201]
    told = [reply.body["status"] for reply in replies.values()]
    assert told.count(RegistrationStatus.CONFIRMED) == SEATS
    assert told.count(RegistrationStatus.WAITLISTED) == PEOPLE - SEATS
    stored = Registration.objects.filter(roundtable=roundtable)
    assert stored.count() == PEOPLE
    assert stored.filter(status=RegistrationStatus.CONFIRMED).count() == SEATS
    assert sorted(
        reply.body["waitlist_position"]
        for reply in replies.values()
        if reply.body["status"] == RegistrationStatus.WAITLISTED
    ) == list(range(1, PEOPLE - SEATS + 1))
