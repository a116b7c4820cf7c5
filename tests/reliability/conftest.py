"""Fault tests: real processes (gunicorn, Celery workers, a Redis server of their own) against the
PostgreSQL test database, broken on purpose (DESIGN §8, "lost work" and "seats").

Each test starts its own ``redis-server`` on a free port, so that stopping it or reading the
broker's bookkeeping never touches the Redis other tests share. The processes see the test
database because the tests are transactional. Every wait polls against a deadline; nothing sleeps
and hopes.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.utils import translation

from consultations.models import Campaign, CampaignStatus
from consultations.services import campaign_create
from surveys.models import Option, Question, QuestionKind, Response, Survey, SurveyStatus
from surveys.receipts import format_receipt_code
from tests.celery_worker import ROOT

WORKER_SETTINGS = "tests.reliability.worker_settings"


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    with translation.override("en"):
        yield


# --- Waiting -------------------------------------------------------------------------------------


def wait_for(
    condition: Callable[[], Any],
    *,
    timeout: float,
    what: str,
    interval: float = 0.05,
    details: Callable[[], str] = lambda: "",
) -> Any:
    """Poll ``condition`` until it returns something true (returned) or ``timeout`` seconds pass
    (the test fails, saying ``what`` it waited for)."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"after {timeout} s still waiting for {what}\n{details()}", pytrace=False)
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def log_tail(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


# --- The test database, for other processes ------------------------------------------------------


def database_url(application_name: str = "") -> str:
    """The test database (not the one in DATABASE_URL), as another process must be told it."""
    db = settings.DATABASES["default"]
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    url = f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return url + (f"?application_name={application_name}" if application_name else "")


def database_connect():
    """A connection of its own to the test database, outside Django's."""
    import psycopg

    db = settings.DATABASES["default"]
    return psycopg.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db.get("PASSWORD") or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        autocommit=True,
    )


def process_env(*, redis_url: str, application_name: str, settings_module: str) -> dict[str, str]:
    """What a web or worker process of the platform is started with, pointed at the test
    database and at ``redis_url`` (cache and broker)."""
    return {
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": database_url(application_name),
        "REDIS_URL": redis_url,
        "DEBUG": "1",  # plain HTTP on loopback: no redirect to HTTPS
        "LOG_LEVEL": "WARNING",
    }


# --- A Redis of the test's own -------------------------------------------------------------------


class PrivateRedis:
    """``redis-server`` on a free port, without persistence: stopped and started again it comes
    back empty, as a Redis that restarts without its data does."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        self.client = redis.Redis(host="127.0.0.1", port=self.port, db=0, socket_timeout=5)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", str(self.directory),
                "--logfile", str(self.directory / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_for(self._answers, timeout=10, what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.thaw()
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def freeze(self) -> None:
        """Redis hangs: connections stay open and nothing answers (SIGSTOP), as with a frozen
        host, a failover in progress or a connection a firewall dropped."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def _answers(self) -> bool:
        try:
            return bool(self.client.ping())
        except redis.ConnectionError:
            return False


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        reason = "needs the redis-server program"
        if settings.REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but this test {reason}", pytrace=False)
        pytest.skip(reason)
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def queue_is_consumed(server: PrivateRedis, queue: str = "default") -> bool:
    """A worker has declared ``queue`` on this broker: a message published now reaches it."""
    try:
        return bool(server.client.smembers(f"_kombu.binding.{queue}"))
    except redis.ConnectionError:
        return False


def cache_of(server: PrivateRedis) -> RedisCache:
    """The platform's cache as the processes pointed at ``server`` see it."""
    return RedisCache(server.url, {"KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", "")})


def send_task(server: PrivateRedis, task: Any, *args: Any) -> None:
    """Publish ``task`` on ``server``'s broker, as the web process or beat would."""
    from config.celery import app

    with app.connection_for_write(server.url) as connection:
        task.apply_async(args, connection=connection)


# --- Processes of the platform -------------------------------------------------------------------


@dataclass
class WebServer:
    url: str
    process: subprocess.Popen
    log: Path

    def details(self) -> str:
        return f"gunicorn log:\n{log_tail(self.log)}"


@contextmanager
def web_server(
    *, env: dict[str, str], log: Path, workers: int = 2, threads: int = 1
) -> Iterator[WebServer]:
    """gunicorn as in the Procfile (``config.wsgi``), on a free loopback port; ready when
    ``/healthz`` answers; always stopped."""
    port = free_port()
    with log.open("ab") as output:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "config.wsgi",
                "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                "--threads", str(threads), "--timeout", "30", "--graceful-timeout", "5",
                "--preload",  # the application imported once, not once per worker
            ],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=output,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    server = WebServer(url=f"http://127.0.0.1:{port}", process=process, log=log)
    try:

        def ready() -> bool:
            assert process.poll() is None, f"gunicorn exited\n{server.details()}"
            try:
                with urllib.request.urlopen(f"{server.url}/healthz", timeout=2):  # noqa: S310
                    return True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                return False

        wait_for(ready, timeout=30, what="gunicorn to answer /healthz", details=server.details)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Reply:
    status: int
    body: dict[str, Any]
    seconds: float


def post_json(
    url: str, body: dict[str, Any], *, headers: dict[str, str] | None = None, timeout: float = 20
) -> Reply:
    """POST ``body`` as JSON; the reply whatever its status (no reply within ``timeout`` seconds
    or a refused connection raises)."""
    request = urllib.request.Request(  # noqa: S310 - loopback only
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
        method="POST",
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:  # noqa: S310
            status, payload = reply.status, reply.read()
    except urllib.error.HTTPError as error:
        status, payload = error.code, error.read()
    try:
        parsed = json.loads(payload or b"{}")
    except ValueError:
        parsed = {"raw": payload[:500].decode(errors="replace")}
    return Reply(status=status, body=parsed, seconds=time.monotonic() - started)


def assert_acknowledged_and_stored_once(sent: dict[str, Reply]) -> None:
    """Every reply (by client token) a 201 with a receipt, and that receipt the one stored under
    its token."""
    assert {token: reply.status for token, reply in sent.items()} == dict.fromkeys(sent, 201)
    stored = {
        str(token): format_receipt_code(code)
        for token, code in Response.objects.filter(client_token__in=list(sent)).values_list(
            "client_token", "receipt_code"
        )
    }
    assert stored == {token: reply.body["receipt"] for token, reply in sent.items()}


# --- A survey ------------------------------------------------------------------------------------


def _question(
    survey: Survey, key: str, kind: str, options: Sequence[str] = (), **fields: Any
) -> None:
    question = Question.objects.create(
        survey=survey,
        key=key,
        kind=kind,
        text_nl=f"Vraag {key}",
        text_en=f"Question {key}",
        order=survey.questions.count() * 10 + 10,
        **fields,
    )
    Option.objects.bulk_create(
        Option(question=question, value=value, label_nl=value, label_en=value, order=position)
        for position, value in enumerate(options)
    )


@pytest.fixture
def survey(transactional_db) -> Survey:
    """An open survey: a scale, a single choice and a multiple choice question."""
    campaign = campaign_create(
        slug="storingen", title_nl="Storingen", languages=["nl", "fr", "en"], min_cell_size=5
    )
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.CONSULTING)
    survey = Survey.objects.create(
        campaign=campaign, slug="storing", title_nl="Storing", status=SurveyStatus.OPEN
    )
    _question(survey, "mood", QuestionKind.SCALE, scale_points=5)
    _question(survey, "sport", QuestionKind.SINGLE, ["football", "swimming", "dance"])
    _question(
        survey, "hobbies", QuestionKind.MULTIPLE, ["music", "reading", "games"], max_choices=2
    )
    return Survey.objects.select_related("campaign").get(pk=survey.pk)


SPORTS = ["football", "swimming", "dance"]
HOBBIES = [["music"], ["reading", "games"], [], ["games"]]


def answers_of(number: int) -> dict[str, Any]:
    """The answers of the ``number``-th young person: varied, and the same every run."""
    return {
        "mood": number % 5 + 1,
        "sport": SPORTS[number % 3],
        "hobbies": HOBBIES[number % 4],
    }


def submission(number: int, *, client_token: str | None = None) -> dict[str, Any]:
    """The API body of the ``number``-th young person's response."""
    return {
        "client_token": client_token or str(uuid.uuid4()),
        "language": ["nl", "fr", "en"][number % 3],
        "age": 6 + number % 12,
        "invite": None,
        "assent": True,
        "answers": answers_of(number),
    }


def submit_url(server: WebServer, survey: Survey) -> str:
    return f"{server.url}/api/v1/surveys/{survey.slug}/responses/"


def mood_counts(numbers: range) -> dict[str, int]:
    """The "mood" counts of the young people ``numbers``, counted one by one."""
    counts = {str(point): 0 for point in range(1, 6)}
    for number in numbers:
        counts[str(answers_of(number)["mood"])] += 1
    return counts


def stored_mood_counts(data: dict[str, Any]) -> dict[str, int]:
    mood = next(question for question in data["questions"] if question["key"] == "mood")
    return mood["all"]["counts"]
