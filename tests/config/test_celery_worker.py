"""A real Celery worker process consumes tasks through Redis (no eager mode)."""

import time
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache

from config.celery import app as celery_app
from config.celery import heartbeat
from tests.celery_worker import assert_still_running, celery_worker


def test_the_reliability_settings_are_in_force():
    conf = celery_app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.accept_content == ["json"]
    assert conf.task_serializer == "json"
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert conf.task_soft_time_limit < conf.task_time_limit
    assert {q.name for q in conf.task_queues} == {"default", "exports"}


def test_tasks_offer_delay_on_commit():
    assert callable(getattr(heartbeat, "delay_on_commit", None))


@pytest.mark.redis
@pytest.mark.real_worker
def test_a_real_worker_process_executes_a_task_sent_through_redis():
    assert celery_app.conf.task_always_eager is False
    token = uuid.uuid4().hex
    cache.delete(f"heartbeat:{token}")
    with celery_worker(hostname=f"test-{token}", env={"REDIS_URL": settings.REDIS_URL}) as worker:
        heartbeat.delay(token)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and cache.get(f"heartbeat:{token}") is None:
            assert_still_running(worker)
            time.sleep(0.2)
        assert cache.get(f"heartbeat:{token}") is not None, "the worker never ran the task"
