"""Every write of the analysis app: computing a survey's result snapshot, and queueing that.

The counting itself, and the layout of a snapshot, are in analysis.aggregation.

A refresh takes a lock so that one survey is never computed twice at the same time, and is
queued debounced on commit after each submission and withdrawal; a sweeper re-queues what the
broker may have lost. On PostgreSQL the lock dies with the database session of the refresh that
holds it, so a worker killed mid-refresh delays the next one by a sweep, not by ``LOCK_SECONDS``.
"""

from __future__ import annotations

import datetime
import logging
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.translation import gettext

from analysis.aggregation import STEPS, Progress, survey_aggregates
from analysis.models import ResultSnapshot
from config.exceptions import ConflictError
from surveys.models import (
    Survey,
)

logger = logging.getLogger(__name__)

# Long enough for a refresh of a very large survey; short enough that a worker killed while it
# held the lock delays the next refresh by minutes, not by the task time limit. (On PostgreSQL
# only the lifetime of the cache marker: the lock itself is released with the killed session.)
LOCK_SECONDS = getattr(settings, "ANALYSIS_REFRESH_LOCK_SECONDS", 5 * 60)
# The first key of the refresh's PostgreSQL advisory lock (pg_try_advisory_lock(int, int)), the
# second being the survey's id: "anly", apart from any other advisory lock.
ADVISORY_LOCK_CLASS = 0x616E6C79
# How the cache marker of a refresh holding the advisory lock begins ("pg:<backend pid>:...").
ADVISORY_MARKER = "pg:"
# A burst of submissions within this many seconds leads to one queued refresh.
DEBOUNCE_SECONDS = getattr(settings, "ANALYSIS_REFRESH_DEBOUNCE_SECONDS", 5)


class RefreshAlreadyRunning(ConflictError):
    """Another process is computing this survey's snapshot right now."""


def _lock_key(survey_id: int) -> str:
    return f"analysis:refresh-lock:{survey_id}"


def _queued_key(survey_id: int) -> str:
    return f"analysis:refresh-queued:{survey_id}"


# --- Queueing ------------------------------------------------------------------------------------


def survey_results_refresh_schedule(*, survey_id: int) -> bool:
    """Queue a refresh of the survey's snapshot, unless one is already waiting in the queue.

    Debounced: the first change of a burst queues a refresh ``DEBOUNCE_SECONDS`` ahead and
    leaves a mark that lasts as long; further changes in that time add nothing, and the queued
    refresh sees them all, since the task clears the mark before it starts reading. Returns
    whether a refresh was queued. A broker that is down loses nothing: the sweeper re-queues
    every survey whose snapshot is behind.
    """
    from analysis.tasks import survey_results_refresh_task

    key = _queued_key(survey_id)
    try:
        if not cache.add(key, "1", timeout=DEBOUNCE_SECONDS):
            return False
    except Exception:  # a cache that is down must not fail the submission that got us here
        # The cache is Redis, and so is the broker: the publish would fail as well, only
        # slower (or hang, if Redis hangs). The sweeper re-queues the survey once Redis is back.
        logger.warning(
            "analysis debounce mark unavailable; the sweeper will refresh", exc_info=True
        )
        return False
    try:
        survey_results_refresh_task.apply_async((survey_id,), countdown=DEBOUNCE_SECONDS)
    except Exception:
        logger.exception("could not queue the refresh of survey %s; the sweeper will", survey_id)
        try:
            cache.delete(key)
        except Exception:
            logger.warning("analysis debounce mark unavailable", exc_info=True)
        return False
    return True


def survey_results_refresh_unmark(*, survey_id: int) -> None:
    """The queued refresh is starting: changes from now on must queue another one."""
    cache.delete(_queued_key(survey_id))


# --- Refreshing ----------------------------------------------------------------------------------


def survey_results_refresh(*, survey: Survey, progress: Progress | None = None) -> ResultSnapshot:
    """Recompute and store the survey's result snapshot from its non-withdrawn responses.

    Idempotent. Raises RefreshAlreadyRunning when another refresh of the same survey holds
    the lock (``_refresh_lock``). ``progress(done, total)`` is called after each step.
    """
    with _refresh_lock(survey.pk):
        return _refresh(survey, progress or (lambda done, total: None))


def _already_running() -> RefreshAlreadyRunning:
    return RefreshAlreadyRunning(
        gettext("The results of this survey are being computed right now."), field="survey"
    )


@contextmanager
def _refresh_lock(survey_id: int) -> Iterator[None]:
    """Hold the refresh lock of one survey, or raise RefreshAlreadyRunning.

    Every refresh leaves a marker in the cache while it runs (``_lock_key``, ``LOCK_SECONDS``).
    Without PostgreSQL that marker is the lock, and a worker killed while holding it blocks the
    survey's refreshes until it expires. On PostgreSQL the lock is a session advisory lock taken
    on the refresh's own connection, which the server releases when that session ends, killed
    worker or not. A marker without that lock is then one its refresh left behind when it died,
    and is taken over; a marker of another kind (a process that takes no advisory lock) is still
    respected until it expires.
    """
    key = _lock_key(survey_id)
    if connection.vendor != "postgresql":
        token = uuid.uuid4().hex
        if not cache.add(key, token, timeout=LOCK_SECONDS):
            raise _already_running()
        try:
            yield
        finally:
            if cache.get(key) == token:
                cache.delete(key)
        return

    keys = (ADVISORY_LOCK_CLASS, survey_id & 0x7FFFFFFF)  # int4; another survey may share one
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s), pg_backend_pid()", keys)
        locked, backend_pid = cursor.fetchone()
    if not locked:
        raise _already_running()
    try:
        mine = f"{ADVISORY_MARKER}{backend_pid}:"
        token = f"{mine}{uuid.uuid4().hex}"
        if not cache.add(key, token, timeout=LOCK_SECONDS):
            holder = cache.get(key)
            # This session's own refresh (advisory locks nest within a session), or a process
            # that takes no advisory lock: running. Another session's marker: left by the dead.
            if holder is not None and (
                str(holder).startswith(mine) or not str(holder).startswith(ADVISORY_MARKER)
            ):
                raise _already_running()
            cache.set(key, token, timeout=LOCK_SECONDS)
        try:
            yield
        finally:
            if cache.get(key) == token:
                cache.delete(key)
    finally:
        _advisory_unlock(keys)


def _advisory_unlock(keys: tuple[int, int]) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", keys)
    except DatabaseError:
        # A broken session, or its transaction aborted: the lock goes when the session does.
        logger.warning("could not release the refresh lock %s", keys, exc_info=True)
        if not connection.in_atomic_block:
            connection.close()


def _refresh(survey: Survey, progress: Progress) -> ResultSnapshot:
    started = time.monotonic()
    computed_at = timezone.now()
    data, response_count, max_response_id = survey_aggregates(survey, progress)
    snapshot, _created = ResultSnapshot.objects.update_or_create(
        survey=survey,
        defaults={
            "data": data,
            "response_count": response_count,
            "max_response_id": max_response_id,
            "computed_at": computed_at,
            "duration": datetime.timedelta(seconds=time.monotonic() - started),
        },
    )
    progress(STEPS, STEPS)
    return snapshot


def stale_snapshots_requeue() -> int:
    """Queue a (debounced) refresh of every survey whose snapshot is behind; how many were."""
    from analysis.selectors import survey_ids_with_stale_snapshot

    return sum(
        survey_results_refresh_schedule(survey_id=survey_id)
        for survey_id in survey_ids_with_stale_snapshot()
    )
