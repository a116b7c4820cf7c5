"""One young person's submission sent many times at the same moment, then replayed (a double tap,
a retry after a lost reply): stored exactly once, and every reply carries the same receipt
(DESIGN §3.2: a unique constraint on the client token, not a check-then-insert).

In-process versions exist and are not repeated here: the service racing in two threads
(tests/surveys/test_response_submit_concurrency.py) and a sequential replay through the API
(tests/surveys/test_api_response_submit.py). This one sends real HTTP requests to gunicorn, whose
processes and threads race on PostgreSQL.
"""

from __future__ import annotations

import threading
import time

import pytest

from surveys.models import Answer, Response
from surveys.receipts import format_receipt_code
from tests.reliability.conftest import (
    Reply,
    post_json,
    process_env,
    submission,
    submit_url,
    web_server,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

AT_ONCE = 12
REPLAYS = 5  # with AT_ONCE, within the rate limit of one client token (20 a minute)
ROUNDS = 3


def send_at_once(url: str, body: dict, count: int) -> list[Reply]:
    """``count`` identical requests released together; every reply, or the test fails."""
    start = threading.Barrier(count, timeout=30)
    replies: list[Reply] = []
    errors: list[BaseException] = []

    def send() -> None:
        try:
            start.wait()
            replies.append(post_json(url, body))
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=send) for _ in range(count)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 45
    for thread in threads:
        thread.join(timeout=max(deadline - time.monotonic(), 0.1))
    assert not any(thread.is_alive() for thread in threads), "requests did not finish"
    assert errors == []
    return replies


def answer_rows(answers: dict) -> int:
    """Rows stored for ``answers``: one per chosen option, none for a skipped question."""
    return sum(len(value) if isinstance(value, list) else 1 for value in answers.values())


def test_a_submission_sent_many_times_at_once_and_replayed_is_stored_once_with_one_receipt(
    survey, private_redis, tmp_path
):
    env = process_env(
        redis_url=private_redis.url,
        application_name="reliability-web",
        settings_module="config.settings",
    )
    with web_server(env=env, log=tmp_path / "web.log", workers=3, threads=4) as web:
        url = submit_url(web, survey)
        for round_number in range(ROUNDS):
            body = submission(round_number)

            at_once = send_at_once(url, body, AT_ONCE)
            replays = [post_json(url, body) for _ in range(REPLAYS)]

            # One request stored it (201); every other one found it (200).
            assert sorted(reply.status for reply in at_once) == [200] * (AT_ONCE - 1) + [201]
            assert [reply.status for reply in replays] == [200] * REPLAYS
            stored = Response.objects.get(client_token=body["client_token"])
            assert {reply.body["receipt"] for reply in at_once + replays} == {
                format_receipt_code(stored.receipt_code)
            }
            assert Answer.objects.filter(response=stored).count() == answer_rows(body["answers"])

    assert Response.objects.filter(survey=survey).count() == ROUNDS
