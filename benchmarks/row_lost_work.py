"""Row 6: lost work. (a) A real Celery worker killed with SIGKILL in the middle of the refresh
of the large survey; (b) Redis stopped during a burst of submissions against gunicorn.

Nothing is simulated: real gunicorn, Celery worker and beat processes, a real SIGKILL, a real
redis-server stopped and started again (one of our own on another port, so that the shared one
stays up). The database is the truth: the snapshot must end up equal to a fresh synchronous
computation, and every acknowledged submission must be stored exactly once.
"""

from __future__ import annotations

import datetime
import json
import random
import threading
import time
import uuid
from collections.abc import Callable

import psycopg
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from analysis import services as analysis_services
from analysis.models import ResultSnapshot
from analysis.services import RefreshAlreadyRunning, survey_results_refresh
from benchmarks import loadgen, processes
from benchmarks.context import Bench
from benchmarks.datagen import Answers, BenchSurvey, make_survey
from benchmarks.environment import flush_bench_redis
from benchmarks.report import Line
from benchmarks.row_burst import CONCURRENCY, SERVER_OVERRIDES, submission_maker
from surveys.models import Response, Survey
from surveys.receipts import format_receipt_code
from surveys.services import response_submit

ROW = "6"
TITLE = "lost work"
SWEEP_SECONDS = int(settings.CELERY_BEAT_SCHEDULE["analysis-sweep-stale-snapshots"]["schedule"])
LOCK_SEEN_TIMEOUT = 120.0
VICTIM = "bench-kill-1"


def _counted(survey: Survey) -> tuple[int, int | None]:
    row = Response.objects.filter(survey=survey, withdrawn_at__isnull=True).aggregate(
        count=Count("id"), max_id=Max("id")
    )
    return row["count"], row["max_id"]


def _snapshot_state(survey: Survey) -> tuple[int, int | None, datetime.datetime | None]:
    snapshot = (
        ResultSnapshot.objects.filter(survey=survey)
        .values_list("response_count", "max_response_id", "computed_at")
        .first()
    )
    return snapshot or (0, None, None)


def fresh_data(survey: Survey, *, timeout: float = 120.0) -> dict:
    """The snapshot computed now, synchronously, and not stored (rolled back)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with transaction.atomic():
                data = survey_results_refresh(survey=survey).data
                transaction.set_rollback(True)
            return data
        except RefreshAlreadyRunning:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def wait_for_convergence(
    survey: Survey,
    *,
    since: datetime.datetime,
    timeout: float,
    supervise: Callable[[], None] = lambda: None,
) -> float | None:
    """Seconds until the stored snapshot describes the responses as they are (the sweeper's own
    test: count and highest id), computed after ``since``; None on timeout. ``supervise`` is
    called at every look, to restart what died."""
    started = time.monotonic()
    expected = _counted(survey)
    while time.monotonic() - started < timeout:
        supervise()
        count, max_id, computed_at = _snapshot_state(survey)
        if (count, max_id) == expected and computed_at and computed_at >= since:
            return time.monotonic() - started
        time.sleep(0.5)
    return None


def _running(probe: psycopg.Connection) -> str:
    """The start of the query the victim worker is running now, or ""."""
    row = probe.execute(
        "SELECT query FROM pg_stat_activity WHERE application_name = %s AND state = 'active'",
        [VICTIM],
    ).fetchone()
    return " ".join(row[0].split())[:70] if row else ""


def _exact(survey: Survey) -> bool:
    stored = ResultSnapshot.objects.get(survey=survey).data
    return stored == fresh_data(survey)


# --- (a) the worker killed mid-refresh ---------------------------------------------------------


def kill_mid_refresh(bench: Bench) -> None:
    report = bench.report
    bench_survey = bench.large
    survey = bench_survey.survey
    what = "kill -9 the Celery worker mid-refresh of the large survey"
    target = "converges to the exact counts"
    flush_bench_redis(bench.services)  # no queued tasks or locks left from earlier rows
    env = bench.env()
    lock_seconds = analysis_services.LOCK_SECONDS
    timeout = lock_seconds + 3 * SWEEP_SECONDS

    # Five new responses make the stored snapshot stale; their commit queues a refresh.
    answers = Answers(seed=61)
    for _ in range(5):
        band, age = answers.band_and_age(bench_survey.bands)
        language = answers.language()
        response_submit(
            survey=survey,
            client_token=uuid.uuid4(),
            language=language,
            age=age,
            invite_code=None,
            assent=True,
            answers=answers.one(band, language),
        )
    lock_key = analysis_services._lock_key(survey.pk)
    # The first worker's connections are named, so that its running query can be seen.
    named = bench.env(DATABASE_URL=f"{bench.services.database_url}?application_name={VICTIM}")
    worker = processes.celery_worker(env=named, log=bench.log("kill-worker-1"), name=VICTIM)
    # In the middle: half as long after the lock appears as the last refresh of this survey
    # took (row 3), while the lock is held and one of the worker's queries runs.
    last = ResultSnapshot.objects.filter(survey=survey).values_list("duration", flat=True).first()
    halfway = last.total_seconds() / 2 if last else 0.0
    killed_mid = False
    running = ""
    lock_seen = None
    try:
        with psycopg.connect(**bench.services.database_conninfo(), autocommit=True) as probe:
            deadline = time.monotonic() + LOCK_SEEN_TIMEOUT
            while time.monotonic() < deadline and worker.poll() is None:
                locked = cache.get(lock_key) is not None
                if lock_seen is None:
                    lock_seen = time.monotonic() if locked else None
                elif not locked:
                    break  # the refresh finished before the kill
                elif time.monotonic() - lock_seen >= halfway and (running := _running(probe)):
                    processes.kill_hard(worker)
                    killed_mid = True
                    break
                time.sleep(0.005)
            killed_after = time.monotonic() - lock_seen if lock_seen else 0.0
    finally:
        processes.stop(worker)
    killed_at = timezone.now()
    if not killed_mid:
        report.not_measured(
            ROW, what, target, "the refresh was never seen running (or finished before the kill)"
        )
        report.note(ROW, processes.log_tail(bench.log("kill-worker-1")))
        return
    behind = _snapshot_state(survey)[:2] != _counted(survey)
    lock_left = redis.Redis.from_url(bench.services.redis_url).ttl(cache.make_key(lock_key))

    worker = processes.celery_worker(env=env, log=bench.log("kill-worker-2"), name="bench-kill-2")
    beat = processes.celery_beat(env=env, log=bench.log("kill-beat"))
    try:
        converged = wait_for_convergence(survey, since=killed_at, timeout=timeout)
    finally:
        processes.stop(beat)
        processes.stop(worker)
    exact = converged is not None and _exact(survey)
    report.add(
        Line(
            ROW,
            what,
            f"converged in {converged:.0f} s, {'exact' if exact else 'NOT exact'}"
            if converged is not None
            else f"not converged within {timeout:.0f} s",
            f"sweep every {SWEEP_SECONDS} s (lock released with the session)",
            "—",
            target,
            passed=exact and behind,
        )
    )
    report.note(
        ROW,
        f"(a) {bench.sizes[1]} responses + 5 submitted through response_submit, whose commit "
        f"queued a refresh; a real worker (`celery worker --pool=solo`) took it and got SIGKILL "
        f"{killed_after:.2f} s after its refresh lock appeared (the last refresh took "
        f"{2 * halfway:.2f} s), its query `{running}…` running. The snapshot was then "
        f"{'behind' if behind else 'NOT behind (the kill came too late)'}; the dead worker's "
        f"cache marker of its lock had {lock_left} s left. A new worker and beat (sweeper "
        f"every {SWEEP_SECONDS} s) "
        + (
            f"brought the snapshot to the exact counts {converged:.0f} s after the kill "
            f"(equal to a fresh synchronous computation: {exact})."
            if converged is not None
            else f"did not bring the snapshot up to date within {timeout:.0f} s."
        ),
    )
    report.note(
        ROW,
        "(a) How it converges: the killed task's message is not redelivered within the run (acks "
        "late, but Redis hands an unacknowledged message to another worker only after "
        "CELERY_BROKER_TRANSPORT_OPTIONS visibility_timeout, 30 min); the sweeper finds the "
        "snapshot stale and queues a refresh. The refresh lock is a PostgreSQL advisory lock on "
        "the refresh's own connection, which the server released when the killed worker's "
        "connection closed; the marker the dead refresh left in the cache "
        f"(analysis.services.LOCK_SECONDS = {lock_seconds} s) is taken over, not waited for. So "
        "the time to converge is about one sweep and one debounce, plus the refresh.",
    )


# --- (b) Redis stopped during a burst ----------------------------------------------------------


class _Supervisor:
    """Restarts the Celery worker and beat when they exit, as a process manager would in
    production, and remembers why they exited."""

    def __init__(self, bench: Bench, env: dict[str, str]):
        self.bench, self.env = bench, env
        self.crashes: list[str] = []
        self.worker = self._worker()
        self.beat = processes.celery_beat(env=env, log=bench.log("redis-down-beat"))

    def _worker(self):
        log = self.bench.log(f"redis-down-worker-{len(self.crashes) + 1}")
        # The Procfile's worker: the prefork pool, two processes.
        return processes.celery_worker(
            env=self.env, log=log, name=f"bench-redis-down-{len(self.crashes) + 1}", concurrency=2
        )

    def __call__(self) -> None:
        if self.worker.poll() is not None:
            log = self.bench.log(f"redis-down-worker-{len(self.crashes) + 1}")
            self.crashes.append(
                f"worker exited ({self.worker.returncode}): {processes.exit_reason(log)}"
            )
            self.worker = self._worker()
        if self.beat.poll() is not None:
            self.crashes.append(
                f"beat exited ({self.beat.returncode}): "
                f"{processes.exit_reason(self.bench.log('redis-down-beat'))}"
            )
            self.beat = processes.celery_beat(env=self.env, log=self.bench.log("redis-down-beat"))

    def stop(self) -> None:
        processes.stop(self.beat)
        processes.stop(self.worker)


def redis_stopped(bench: Bench) -> None:
    report = bench.report
    if processes.redis_server_path() is None:
        for what in ("acknowledged submissions stored once", "snapshot after Redis is back"):
            report.not_measured(
                ROW, f"Redis stopped during a burst: {what}", "—", "no redis-server"
            )
        return
    up, down = (4.0, 4.0) if bench.quick else (10.0, 10.0)
    timeout = 3 * SWEEP_SECONDS + 60
    port = processes.free_port()
    redis_log = bench.log("redis-down-redis")
    server = processes.redis_server(port=port, log=redis_log)
    env = bench.env(REDIS_URL=f"redis://127.0.0.1:{port}/0", **SERVER_OVERRIDES)
    bench_survey: BenchSurvey = make_survey("bench-redis-down")
    survey = bench_survey.survey
    supervisor = None
    try:
        with processes.gunicorn(env=env, log=bench.log("redis-down-gunicorn")) as http_port:
            supervisor = _Supervisor(bench, env)
            make = submission_maker(bench_survey, http_port, seed=random.randrange(1 << 30))
            stopped_at: list[float] = []

            def stop_redis() -> None:
                stopped_at.append(time.monotonic())
                processes.stop(server)

            timer = threading.Timer(up, stop_redis)
            timer.start()
            phase = loadgen.run(
                host="127.0.0.1",
                port=http_port,
                make=make,
                concurrency=CONCURRENCY,
                seconds=up + down,
                keep_body=True,
            )
            timer.join()
            time.sleep(1.0)
            server = processes.redis_server(port=port, log=redis_log)
            back_at = timezone.now()
            converged = wait_for_convergence(
                survey, since=back_at, timeout=timeout, supervise=supervisor
            )
    finally:
        if supervisor is not None:
            supervisor.stop()
        processes.stop(server)

    stop_time = stopped_at[0] if stopped_at else float("inf")
    before = [s for s in phase.samples if s.started < stop_time]
    during = [s for s in phase.samples if s.started >= stop_time]
    acknowledged = {}
    for sample in phase.samples:
        if sample.status in (200, 201):
            acknowledged[sample.tag] = json.loads(sample.body)["receipt"]
    stored = {
        str(token): format_receipt_code(code)
        for token, code in Response.objects.filter(survey=survey).values_list(
            "client_token", "receipt_code"
        )
    }
    missing = [token for token in acknowledged if token not in stored]
    wrong_receipt = [
        token
        for token, receipt in acknowledged.items()
        if token in stored and stored[token] != receipt
    ]
    unacknowledged_stored = len(set(stored) - set(acknowledged))
    refused_during = sum(1 for s in during if s.status not in (200, 201))
    refused_before = sum(1 for s in before if s.status not in (200, 201))
    exact = converged is not None and _exact(survey)
    once = not missing and not wrong_receipt and len(acknowledged) > 0

    report.add(
        Line(
            ROW,
            "Redis stopped during a burst: acknowledged submissions stored once",
            f"{len(acknowledged) - len(missing) - len(wrong_receipt)} of {len(acknowledged)}",
            f"{len(acknowledged)} acknowledged",
            "—",
            "all, exactly once",
            passed=once,
        )
    )
    report.add(
        Line(
            ROW,
            "Redis stopped during a burst: submissions refused",
            f"{refused_during} of {len(during)} while down",
            f"{refused_before} of {len(before)} while up",
            "—",
            "0",
            passed=refused_during == 0 and refused_before == 0,
        )
    )
    report.add(
        Line(
            ROW,
            "Redis stopped: Celery worker and beat keep running",
            f"{len(supervisor.crashes)} exits" if supervisor else "not started",
            "—",
            "—",
            "0 exits",
            passed=supervisor is not None and not supervisor.crashes,
        )
    )
    report.add(
        Line(
            ROW,
            "Redis stopped: snapshot after Redis is back (sweeper)",
            f"converged in {converged:.0f} s, {'exact' if exact else 'NOT exact'}"
            if converged is not None
            else f"not converged within {timeout:.0f} s",
            f"sweep every {SWEEP_SECONDS} s",
            "—",
            "converges to the exact counts",
            passed=exact,
        )
    )
    latencies_during = [s.seconds for s in during if s.status in (200, 201)]
    crashes = supervisor.crashes if supervisor else []
    report.note(
        ROW,
        f"(b) gunicorn (2 workers), a Celery worker (prefork, 2 processes, as in the Procfile) and "
        f"beat on a redis-server of our own (port {port}, nothing saved to disk); {CONCURRENCY} "
        f"clients submitted for {up:.0f} s with Redis up and {down:.0f} s after it was stopped "
        "(SIGTERM); then it was started again, empty: queued refreshes, debounce marks and "
        f"locks lost. Statuses before the stop: {dict(_statuses(before))}, after: "
        f"{dict(_statuses(during))}; p50/p99 while down "
        f"{_ms(loadgen.percentile(latencies_during, 0.5))}/"
        f"{_ms(loadgen.percentile(latencies_during, 0.99))}. "
        f"{len(stored)} responses stored: {len(acknowledged)} acknowledged ({len(missing)} "
        f"missing, {len(wrong_receipt)} with another receipt), {unacknowledged_stored} stored "
        "without an acknowledgement (a reply lost to a timeout). "
        + (
            f"The sweeper brought the snapshot up to date {converged:.0f} s after Redis was "
            f"back (equal to a fresh synchronous computation: {exact})."
            if converged is not None
            else f"The snapshot was still behind {timeout:.0f} s after Redis was back."
        ),
    )
    if crashes:
        report.note(
            ROW,
            "(b) Celery processes exited when Redis went away, and were started again by the "
            "bench as a process manager would: " + "; ".join(crashes) + ". Without a restart "
            "nothing refreshes the snapshots until someone starts the worker again (honcho, "
            "which `make run` uses, stops every process when one exits). What would close it: "
            "workers under a process manager that restarts them, and a Celery/kombu release "
            "whose Redis transport survives a lost connection (the error comes from kombu "
            "restoring unacknowledged messages on a connection that is already gone).",
        )


def _statuses(samples: list[loadgen.Sample]):
    from collections import Counter

    return sorted(Counter(sample.status for sample in samples).items())


def _ms(seconds: float) -> str:
    return "—" if seconds != seconds else f"{seconds * 1000:.0f} ms"


def run(bench: Bench) -> None:
    kill_mid_refresh(bench)
    redis_stopped(bench)
