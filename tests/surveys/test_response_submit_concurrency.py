"""Two identical submissions at the same moment store one response (PostgreSQL)."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from surveys.models import Answer, Response
from surveys.selectors import survey_get_public
from surveys.services import SubmitResult, response_submit
from tests.surveys.conftest import FULL_ANSWERS

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def submit_in_thread(
    slug: str, token: uuid.UUID, results: list, errors: list
) -> Callable[[], None]:
    def run() -> None:
        try:
            survey = survey_get_public(slug=slug)
            results.append(
                response_submit(
                    survey=survey,
                    client_token=token,
                    language="nl",
                    age=10,
                    invite_code=None,
                    assent=True,
                    answers=dict(FULL_ANSWERS),
                )
            )
        except Exception as error:  # reported by the test below
            errors.append(error)
        finally:
            connection.close()

    return run


def run_together(*targets: Callable[[], None]) -> None:
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)


def assert_one_stored(results: list[SubmitResult], errors: list[Any], token: uuid.UUID) -> None:
    assert errors == []
    assert len(results) == 2
    assert sorted(result.created for result in results) == [False, True]
    assert results[0].receipt == results[1].receipt
    assert Response.objects.filter(client_token=token).count() == 1
    stored = Response.objects.get(client_token=token)
    assert Answer.objects.filter(response=stored).count() == 9


def test_a_second_submission_waiting_on_the_first_gets_its_receipt(survey, monkeypatch):
    """The first transaction has inserted its response and is still writing its answers when
    the second arrives: the second waits on the unique client token, then finds the first."""
    token = uuid.uuid4()
    inserted = threading.Event()
    original = Answer.objects.bulk_create

    def slow_bulk_create(objs, *args, **kwargs):
        if threading.current_thread().name == "first":
            inserted.set()
            time.sleep(0.5)  # hold the transaction open while the second one inserts
        return original(objs, *args, **kwargs)

    monkeypatch.setattr(Answer.objects, "bulk_create", slow_bulk_create)
    results: list = []
    errors: list = []
    first = submit_in_thread(survey.slug, token, results, errors)
    second = submit_in_thread(survey.slug, token, results, errors)

    def after_first_inserted() -> None:
        inserted.wait(timeout=10)
        second()

    thread_one = threading.Thread(target=first, name="first")
    thread_two = threading.Thread(target=after_first_inserted, name="second")
    thread_one.start()
    thread_two.start()
    thread_one.join(timeout=30)
    thread_two.join(timeout=30)

    assert_one_stored(results, errors, token)


def test_simultaneous_double_submits_store_exactly_one_response_each_time(survey):
    for _round in range(10):
        token = uuid.uuid4()
        results: list = []
        errors: list = []
        barrier = threading.Barrier(2)

        submit = submit_in_thread(survey.slug, token, results, errors)

        def racer(barrier=barrier, submit=submit) -> None:
            barrier.wait(timeout=10)
            submit()

        run_together(racer, racer)

        assert_one_stored(results, errors, token)
