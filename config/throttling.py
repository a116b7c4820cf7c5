"""Rate limits that cost one Redis round trip and let requests through when the cache is down.

DRF's ``SimpleRateThrottle`` keeps, per key, a pickled list of the timestamps of the last
window's requests: two round trips per check (read the list, write it back) and a list that
grows with the rate. A rate of 600 submissions a minute per invite link, a class or a whole
school, means unpickling and pickling up to 600 floats on every submission, and two requests
at the same moment can both read the same list and lose one another's timestamp.

On Redis, ``SlidingWindowThrottle`` keeps the same sliding window in a sorted set (score: the
request's time) and checks it with one small server-side script (``_WINDOWS``): drop what left
the window, add this request, count; a refused request is taken out again at once (DRF does not
count refusals either) and the oldest time in the window comes back for ``Retry-After``. A
script runs atomically, so concurrent requests are all counted, and one call checks all of a
view's windows: one command and one reply, where a MULTI/EXEC pipeline sent a dozen and parsed
a dozen (and a refusal cost a second round trip). With another cache (the in-memory one of tests
and ``runserver``) DRF's own list is used.

A cache that fails lets the request through with a warning: refusing every young person
because Redis restarts would be worse than a minute without a limit. A client's address counts
only as far as the deployment vouches for it (``NUM_PROXIES``).
"""

from __future__ import annotations

import logging
import secrets
import weakref

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from config.cache import raw_client

logger = logging.getLogger(__name__)


# KEYS: the windows' sorted sets. ARGV: now, this request's member, then per window its length
# in seconds and its limit. Returns per window nil (allowed) or the oldest time still in it
# (refused; as text, since a Lua number would come back as an integer).
_WINDOWS = """
local now = tonumber(ARGV[1])
local member = ARGV[2]
local verdicts = {}
for i, key in ipairs(KEYS) do
    local seconds = tonumber(ARGV[1 + 2 * i])
    local limit = tonumber(ARGV[2 + 2 * i])
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now - seconds)
    redis.call('ZADD', key, now, member)
    redis.call('EXPIRE', key, math.floor(seconds) + 1)
    verdicts[i] = false
    if redis.call('ZCARD', key) > limit then
        redis.call('ZREM', key, member)
        local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
        verdicts[i] = oldest[2] or ARGV[1]
    end
end
return verdicts
"""


def _check_windows(client, throttles: list[SlidingWindowThrottle], keys: list[str]) -> list[bool]:
    """Every throttle's window (at ``keys``, full cache keys) checked in one script call."""
    script = _scripts.get(client)
    if script is None:
        script = _scripts.setdefault(client, client.register_script(_WINDOWS))
    now = throttles[0].timer()
    member = f"{now:.6f}:{secrets.token_hex(4)}"
    args: list[object] = [repr(now), member]
    for throttle in throttles:
        throttle.now = now
        args += [throttle.duration, throttle.num_requests]
    verdicts = []
    for throttle, oldest in zip(throttles, script(keys=keys, args=args), strict=True):
        throttle.oldest = None if oldest is None else float(oldest)
        verdicts.append(oldest is None)
    return verdicts


# Per Redis client (one per pool, config.cache): _WINDOWS registered with it, called by its hash.
_scripts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


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
            (allowed,) = _check_windows(client, [self], [self.cache.make_key(key)])
            return allowed
        except Exception:  # the cache's own errors vary by backend
            logger.warning("rate limit cache unavailable; request let through", exc_info=True)
            return True

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
    script call: one round trip for all of a view's limits. Fails open like each of them."""
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
            allowed = _check_windows(
                client, [throttle for _i, throttle, _k in pending], [key for *_r, key in pending]
            )
            for (index, _throttle, _key), verdict in zip(pending, allowed, strict=True):
                verdicts[index] = verdict
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
