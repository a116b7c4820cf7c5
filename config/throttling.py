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
        self.now = self.timer()
        member = f"{self.now:.6f}:{secrets.token_hex(4)}"
        pipe = client.pipeline(transaction=True)
        pipe.zremrangebyscore(key, "-inf", self.now - self.duration)
        pipe.zadd(key, {member: self.now})
        pipe.zcard(key)
        pipe.zrange(key, 0, 0, withscores=True)
        pipe.expire(key, int(self.duration) + 1)
        _removed, _added, count, oldest, _expiry = pipe.execute()
        if count <= self.num_requests:
            return True
        self.oldest = oldest[0][1] if oldest else self.now
        client.zrem(key, member)
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
