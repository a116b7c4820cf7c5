"""Celery application.

Reliability first (see DESIGN §3 and §9): a task is acknowledged only after it ran, so a worker
killed mid-task gives the message back to the broker; workers take one message at a time; every
task is bounded in time. Without ``REDIS_URL`` the settings make tasks run eagerly, in-process.
A worker outlives a Redis that goes away and comes back (the CELERY_BROKER_CONNECTION_* settings
and the kombu workaround below; tests/reliability/test_worker_survives_redis_restart.py).
"""

import functools
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def _detached_redis_channels_fail_as_connection_errors() -> None:
    """Work around a kombu bug (seen with kombu 5.7.0) that made a worker exit when Redis stopped
    while it held unacknowledged messages: a task running in the prefork pool (acks late) or one
    waiting for its ETA (the debounced refreshes).

    When the consumer loses the broker it calls ``Connection.collect()``, then ``close()``
    (celery/worker/consumer/consumer.py, ``on_connection_error_after_connected``). ``collect()``
    closes the channels, but a close stops at the first Redis error (the pending BRPOP reply, or
    the remote-control channel deleting its fanout binding), and it then detaches the transport
    anyway (``transport.client = None``, kombu/connection.py ``_do_close_transport``) while
    keeping ``_default_channel``. ``close()`` closes that channel again; this time it drops its
    connection pools and restores its unacknowledged messages, which needs a new pool, whose
    parameters come from ``self.connection.client.hostname`` (kombu/transport/redis.py
    ``_connparams``): ``AttributeError: 'NoneType' object has no attribute 'hostname'``. Only
    connection errors are ignored there, so the AttributeError ends the worker ("Unrecoverable
    error"). An idle worker has nothing to restore and never gets that far.

    A channel whose transport is detached can no longer reach Redis: say so with the error the
    transport's callers already handle (logged, and the consumer reconnects). The messages it
    held stay in Redis's unacked set and are delivered again after the visibility timeout.
    """
    try:
        from kombu.transport import redis as kombu_redis
        from redis.exceptions import ConnectionError as RedisConnectionError
    except ImportError:  # no redis package: no Redis transport to mend
        return
    connparams = kombu_redis.Channel._connparams
    if getattr(connparams, "fails_when_detached", False):
        return

    @functools.wraps(connparams)
    def _connparams(self, *args, **kwargs):
        if self.connection is None or self.connection.client is None:
            raise RedisConnectionError("the broker connection of this channel is closed")
        return connparams(self, *args, **kwargs)

    _connparams.fails_when_detached = True
    kombu_redis.Channel._connparams = _connparams


_detached_redis_channels_fail_as_connection_errors()

app = Celery("inspraak")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="inspraak.heartbeat", ignore_result=True)
def heartbeat(token: str) -> None:
    """Leaves a mark in the cache, so that a health check or a test sees a worker is consuming."""
    from django.core.cache import cache
    from django.utils import timezone

    cache.set(f"heartbeat:{token}", timezone.now().isoformat(), timeout=60 * 60)
