"""On PostgreSQL the refresh lock of a survey is an advisory lock of the refreshing session: a
worker killed mid-refresh (kill -9, the OOM killer) holds up the next refresh only until the
server has ended its session, not for the lifetime of the cache marker it left behind
(analysis.services.LOCK_SECONDS, 5 minutes; DESIGN §8, "lost work").

Another session stands in for the worker: it takes the lock and leaves its marker as a refresh
does, and is then closed, as the session of a killed worker is.
"""

from __future__ import annotations

import pytest

from analysis.models import ResultSnapshot
from analysis.services import (
    ADVISORY_LOCK_CLASS,
    ADVISORY_MARKER,
    LOCK_SECONDS,
    RefreshAlreadyRunning,
    _lock_key,
    survey_results_refresh,
)
from tests.reliability.conftest import database_connect, wait_for

pytestmark = [pytest.mark.postgres]


def session_alive(pid: int) -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone() is not None


def test_a_refresh_waits_for_a_live_session_and_takes_over_once_it_is_gone(survey):
    from django.core.cache import cache

    other = database_connect()
    try:
        locked, pid = other.execute(
            "SELECT pg_try_advisory_lock(%s, %s), pg_backend_pid()",
            [ADVISORY_LOCK_CLASS, survey.pk],
        ).fetchone()
        assert locked
        cache.set(_lock_key(survey.pk), f"{ADVISORY_MARKER}{pid}:worker", timeout=LOCK_SECONDS)

        with pytest.raises(RefreshAlreadyRunning):
            survey_results_refresh(survey=survey)
        assert not ResultSnapshot.objects.filter(survey=survey).exists()
    finally:
        other.close()  # the killed worker's session ends; its marker stays in the cache
    wait_for(lambda: not session_alive(pid), timeout=10, what="the other session to end")

    assert cache.get(_lock_key(survey.pk)) == f"{ADVISORY_MARKER}{pid}:worker"
    snapshot = survey_results_refresh(survey=survey)
    assert snapshot.response_count == 0
    assert cache.get(_lock_key(survey.pk)) is None  # the new refresh's marker, removed
