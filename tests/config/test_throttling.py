"""config.throttling: a sliding window of one Redis round trip, exact under concurrency, failing
open; and config.cache: one Redis client per pool."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import RequestFactory

from config.cache import PooledRedisCache, raw_client
from config.throttling import SlidingWindowThrottle


class PerAddress(SlidingWindowThrottle):
    scope = "test"
    rate = "2/min"

    def get_cache_key(self, request, view):
        return self.key(self.get_ident(request))


def request(address: str = "203.0.113.7"):
    return RequestFactory().get("/", REMOTE_ADDR=address)


def redis_cache():
    return caches["default"]


def locmem_cache():
    return LocMemCache("throttling-test", {})


CACHES = [
    pytest.param(redis_cache, marks=pytest.mark.redis, id="redis"),
    pytest.param(locmem_cache, id="locmem"),
]


def at(moment: float, cache) -> PerAddress:
    throttle = PerAddress()
    throttle.cache = cache
    throttle.timer = lambda: moment
    return throttle


@pytest.mark.parametrize("make_cache", CACHES)
def test_the_window_slides_and_a_refusal_says_when_to_come_back(make_cache):
    cache = make_cache()
    cache.clear()

    assert at(1000.0, cache).allow_request(request(), None)
    assert at(1010.0, cache).allow_request(request(), None)
    refused = at(1020.0, cache)
    assert not refused.allow_request(request(), None)
    assert refused.wait() == pytest.approx(40.0)
    # Refusals are not counted: once the first request leaves the window, one more gets in.
    assert not at(1059.0, cache).allow_request(request(), None)
    assert at(1061.0, cache).allow_request(request(), None)
    assert not at(1062.0, cache).allow_request(request(), None)
    # Another address has a window of its own.
    assert at(1062.0, cache).allow_request(request("198.51.100.20"), None)


@pytest.mark.redis
def test_requests_at_the_same_moment_are_all_counted():
    cache = redis_cache()
    cache.clear()

    class FivePerMinute(PerAddress):
        rate = "5/min"

    allowed: list[bool] = []
    start = threading.Barrier(20)

    def attempt():
        start.wait()
        allowed.append(FivePerMinute().allow_request(request(), None))

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert allowed.count(True) == 5
    assert allowed.count(False) == 15


def test_a_redis_that_does_not_answer_lets_requests_through(caplog):
    unreachable = PooledRedisCache(
        "redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}}
    )
    throttle = at(1000.0, unreachable)

    assert all(throttle.allow_request(request(), None) for _ in range(5))
    assert "rate limit cache unavailable" in caplog.text


def test_a_forwarded_for_header_counts_only_behind_a_known_number_of_proxies(settings):
    spoofed = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.9.9.9")

    assert PerAddress().get_ident(spoofed) == "203.0.113.7"


def test_the_redis_cache_keeps_one_client_per_pool():
    cache = PooledRedisCache("redis://127.0.0.1:1/0", {})

    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    assert raw_client(cache) is cache._cache.get_client()
    assert raw_client(locmem_cache()) is None


@pytest.mark.redis
def test_the_project_cache_is_the_pooled_redis_cache():
    assert settings.CACHES["default"]["BACKEND"] == "config.cache.PooledRedisCache"
    assert raw_client(caches["default"]) is not None
    assert raw_client(SlidingWindowThrottle.cache) is not None  # DRF's proxy of the default


@pytest.mark.redis
def test_a_views_limits_are_checked_in_one_round_trip(monkeypatch):
    from redis.connection import AbstractConnection

    from config.throttling import allow_together

    cache = redis_cache()
    cache.clear()

    class PerAddressToo(PerAddress):
        scope = "test-too"
        rate = "3/min"

    sent: list[int] = []
    send = AbstractConnection.send_packed_command

    def counted(self, *args, **kwargs):
        sent.append(1)
        return send(self, *args, **kwargs)

    # The first call to a Redis that has not seen the script yet also loads it (SCRIPT LOAD).
    allow_together([PerAddress(), PerAddressToo()], request("198.51.100.1"), None)
    monkeypatch.setattr(AbstractConnection, "send_packed_command", counted)
    verdicts = []
    for _ in range(4):
        sent.clear()
        verdicts.append(allow_together([PerAddress(), PerAddressToo()], request(), None))
        if verdicts[-1] == [True, True]:
            assert len(sent) == 1  # both windows in one script call

    # Each window keeps its own count; a refusal is not counted in the window that refused,
    # and costs no second round trip.
    assert verdicts == [[True, True], [True, True], [False, True], [False, False]]
    assert len(sent) == 1


@pytest.mark.redis
def test_a_redis_that_forgot_the_script_gets_it_again():
    """After a restart Redis holds no scripts: the check loads it again and counts as before."""
    cache = redis_cache()
    cache.clear()
    assert at(1000.0, cache).allow_request(request(), None)

    raw_client(cache).script_flush()

    assert at(1001.0, cache).allow_request(request(), None)
    refused = at(1002.0, cache)
    assert not refused.allow_request(request(), None)
    assert refused.wait() == pytest.approx(58.0)
