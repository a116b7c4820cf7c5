"""A real Celery worker process refreshes the snapshot after a submission (no eager mode)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from analysis.models import ResultSnapshot
from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def test_database_url() -> str:
    """The test database, which the worker must use instead of the one in DATABASE_URL."""
    db = settings.DATABASES["default"]
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.real_worker
def test_a_real_worker_refreshes_the_snapshot_after_a_submission(client, survey, transactional_db):
    assert celery_app.conf.task_always_eager is False
    token = uuid.uuid4().hex
    env = dict(os.environ, REDIS_URL=settings.REDIS_URL, DATABASE_URL=test_database_url())
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--queues=default",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
            f"--hostname=test-analysis-{token}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        body = {
            "client_token": str(uuid.uuid4()),
            "language": "nl",
            "age": 13,
            "invite": None,
            "assent": True,
            "answers": {"mood": 2, "sport": "dance"},
        }
        response = client.post(
            f"/api/v1/surveys/{survey.slug}/responses/",
            json.dumps(body),
            content_type="application/json",
        )
        assert response.status_code == 201
        deadline = time.monotonic() + 90
        snapshot = None
        while time.monotonic() < deadline:
            assert worker.poll() is None, worker.stdout.read().decode()
            snapshot = ResultSnapshot.objects.filter(survey=survey, response_count=1).first()
            if snapshot is not None:
                break
            time.sleep(0.3)
        assert snapshot is not None, "the worker never refreshed the snapshot"
        mood = next(q for q in snapshot.data["questions"] if q["key"] == "mood")
        assert mood["all"]["counts"]["2"] == 1
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
