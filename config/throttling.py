"""Rate limits that cost one Redis round trip and let requests through when the cache is down.

DRF's ``SimpleRateThrottle`` keeps, per key, a pickled list of the timestamps of the last
window's requests: two round trips per check (read the list, write it back) and a list that
grows with the rate. A rate of 600 submissions a minute per invite link, a class or a whole
school, means unpickling and pickling up to 600 floats on every submission, and two requests
at the same moment can both read the same list and lose one another's timestamp.

On Redis, ``SlidingWindowThrottle`` keeps the same sliding window in a sorted set (score: the
request's time) and checks it with one MULTI/EXEC pipeline: drop what left the window, add this
request, count, read the oldest (for ``Retry-After``). The pipeline is atomic, so concurrent
requests are all counted. A refused request is taken out again, as DRF does not count refusals
either. With another cache (the in-memory one of tests and ``runserver``) DRF's own list is used.

A cache that fails lets the request through with a warning: refusing every young person
because Redis restarts would be worse than a minute without a limit. A client's address counts
only as far as the deployment vouches for it (``NUM_PROXIES``).
"""

from __future__ import annotations

import logging
import secrets

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from config.cache import raw_client

logger = logging.getLogger(__name__)


class SlidingWindowThrottle(SimpleRateThrottle):
    """Subclasses set ``scope`` and ``get_cache_key``; a ``get_cache_key`` that raises (a body
    that is not JSON) is the client's error and is answered as one, not swallowed."""

    oldest: float | None = None

    def allow_request(self, request: Request, view: APIView) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        try:
            client = raw_client(self.cache)
            if client is None:
                return super().allow_request(request, view)
            return self._allow_in_redis(client, self.cache.make_key(key))
        except Exception:  # the cache's own errors vary by backend
            logger.warning("rate limit cache unavailable; request let through", exc_info=True)
            return True

    def _allow_in_redis(self, client, key: str) -> bool:
        pipe = client.pipeline(transaction=True)
        self._queue(pipe, key)
        return self._verdict(client, pipe.execute())

    def _queue(self, pipe, key: str) -> None:
        """Add this request's check of the window at ``key`` (a full cache key) to ``pipe``."""
        self.now = self.timer()
        self._key, self._member = key, f"{self.now:.6f}:{secrets.token_hex(4)}"
        pipe.zremrangebyscore(key, "-inf", self.now - self.duration)
        pipe.zadd(key, {self._member: self.now})
        pipe.zcard(key)
        pipe.zrange(key, 0, 0, withscores=True)
        pipe.expire(key, int(self.duration) + 1)

    QUEUED = 5  # results _queue adds to a pipeline

    def _verdict(self, client, results: list) -> bool:
        _removed, _added, count, oldest, _expiry = results
        if count <= self.num_requests:
            return True
        self.oldest = oldest[0][1] if oldest else self.now
        client.zrem(self._key, self._member)  # a refusal does not count
        return False

    def wait(self) -> float | None:
        if self.oldest is None:
            return super().wait()
        return max(0.0, self.duration - (self.now - self.oldest))

    def key(self, ident: str) -> str:
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def get_ident(self, request: Request) -> str:
        # DRF trusts any X-Forwarded-For unless NUM_PROXIES is set, which would let a client
        # pick a fresh address per request; trust it only when the deployment says how many
        # proxies put it there.
        if api_settings.NUM_PROXIES is None:
            return request.META.get("REMOTE_ADDR") or ""
        return super().get_ident(request)


def allow_together(throttles: list, request: Request, view: APIView) -> list[bool]:
    """``allow_request`` of every throttle, the sliding windows on Redis checked in a single
    pipeline: one round trip for all of a view's limits. Fails open like each of them."""
    verdicts: list[bool | None] = [None] * len(throttles)  # None: asked on its own below
    pending: list[tuple[int, SlidingWindowThrottle, str]] = []
    client = None
    for index, throttle in enumerate(throttles):
        if not isinstance(throttle, SlidingWindowThrottle) or throttle.rate is None:
            continue
        key = throttle.get_cache_key(request, view)  # a client's error raises, as alone
        if key is None:
            verdicts[index] = True
            continue
        own = raw_client(throttle.cache)
        if own is not None and client in (None, own):
            client = own
            pending.append((index, throttle, throttle.cache.make_key(key)))
    if pending:
        try:
            pipe = client.pipeline(transaction=True)
            for _index, throttle, key in pending:
                throttle._queue(pipe, key)
            results = pipe.execute()
            for number, (index, throttle, _key) in enumerate(pending):
                size = SlidingWindowThrottle.QUEUED
                verdicts[index] = throttle._verdict(
                    client, results[number * size : (number + 1) * size]
                )
        except Exception:  # the cache's own errors vary by backend
            logger.warning("rate limit cache unavailable; request let through", exc_info=True)
            for index, _throttle, _key in pending:
                verdicts[index] = True
    return [
        throttle.allow_request(request, view) if verdict is None else verdict
        for throttle, verdict in zip(throttles, verdicts, strict=True)
    ]


class OneRoundTripThrottling:
    """A view mixin: the view's rate limits checked together (``allow_together``), refused
    as DRF refuses, with the longest wait in ``Retry-After``."""

    def check_throttles(self, request: Request) -> None:
        throttles = self.get_throttles()
        refused = [
            throttle
            for throttle, allowed in zip(
                throttles, allow_together(throttles, request, self), strict=True
            )
            if not allowed
        ]
        if refused:
            waits = [wait for wait in (throttle.wait() for throttle in refused) if wait is not None]
            self.throttled(request, max(waits, default=None))
