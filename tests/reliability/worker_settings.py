"""Settings of the worker processes the fault tests break: production's, with two clocks turned
from minutes to seconds so that a test sees the recovery within its time limit.

- The broker's visibility timeout (production: the task time limit + 10 minutes): how long a
  message taken by a worker that then died stays unacknowledged before the broker hands it to
  another worker. It stays longer than the refresh countdown (a message waiting for its ETA is
  unacknowledged too) and than a refresh, as in production. kombu looks for such messages every
  ``unacked_restore_interval`` x ``unacked_restore_throttle`` seconds (10 x 10 by default).
- The refresh lock (production: 5 minutes), which a killed worker cannot release: it expires.
  Shorter than the visibility timeout, as in production, so that the redelivered refresh finds
  it free.

Used as ``DJANGO_SETTINGS_MODULE`` of a subprocess; never by the test process itself.
"""

from config.settings import *  # noqa: F403
from config.settings import CELERY_BROKER_TRANSPORT_OPTIONS

VISIBILITY_TIMEOUT_SECONDS = 8
ANALYSIS_REFRESH_LOCK_SECONDS = 4

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "visibility_timeout": VISIBILITY_TIMEOUT_SECONDS,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
