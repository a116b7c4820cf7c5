"""Celery application.

Reliability first (see DESIGN §3 and §9): a task is acknowledged only after it ran, so a worker
killed mid-task gives the message back to the broker; workers take one message at a time; every
task is bounded in time. Without ``REDIS_URL`` the settings make tasks run eagerly, in-process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("inspraak")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="inspraak.heartbeat", ignore_result=True)
def heartbeat(token: str) -> None:
    """Leaves a mark in the cache, so that a health check or a test sees a worker is consuming."""
    from django.core.cache import cache
    from django.utils import timezone

    cache.set(f"heartbeat:{token}", timezone.now().isoformat(), timeout=60 * 60)
