"""The Redis cache, with one client per connection pool instead of one per call.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache call. The
connections come from the pool either way, but building the client fills a table of some
two hundred response callbacks each time: a submission makes several cache calls (its rate
limits, the survey definition, the debounced refresh), and that construction was a measurable
part of its cost (see benchmarks/, row 2). A ``redis.Redis`` is safe to share between threads;
the pool hands each command its own connection.

``raw_client(cache)`` gives code that needs a Redis command the cache API lacks (a pipeline, a
sorted set) the same client.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.connection import ConnectionProxy


class PooledRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._pools.get(index)
            if pool is None:
                pool = self._pools.setdefault(
                    index, self._pool_class.from_url(self._servers[index], **self._pool_options)
                )
            client = self._clients.setdefault(index, self._client(connection_pool=pool))
        return client


class PooledRedisCache(RedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = PooledRedisCacheClient


def raw_client(cache: BaseCache) -> Any | None:
    """The ``redis.Redis`` behind ``cache`` when it is a Redis cache, else None: for commands
    the cache API has no word for. Keys given to it must go through ``cache.make_key``."""
    if isinstance(cache, ConnectionProxy):  # django.core.cache.cache, as DRF's throttles hold it
        cache = cache._connections[cache._alias]
    if not isinstance(cache, RedisCache):
        return None
    return cache._cache.get_client(write=True)
