"""Django's Redis cache, with its connection pools and clients shared by the whole process.

Two costs of Django's backend, found by profiling the benchmark's server:

* ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache operation, and redis-py
  fills a table of some 170 response callbacks in each: 0.5 ms of CPU per call, more than the call.
* ``django.core.cache.caches`` holds its backends in context-local storage, and the page threads
  run each request in a fresh context, so every request made a new backend with a new connection pool: a new
  TCP connection to Redis per request (connect, ``CLIENT SETINFO`` with its package-metadata lookups,
  then a close), about 1.5 ms of CPU on a cached page that otherwise costs 2.

A ``redis.ConnectionPool`` and a ``redis.Redis`` over it are safe to share between threads, so the
pools and clients live in this module, keyed by the servers and pool options, and every backend
instance of the process uses them.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.cache.backends import redis as django_redis

_lock = threading.Lock()
_shared: dict[tuple[str, ...], tuple[dict[int, Any], dict[int, Any]]] = {}


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The private attributes are Django's own (django/core/cache/backends/redis.py).
        key = (*self._servers, repr(sorted(self._pool_options.items(), key=str)))  # type: ignore[attr-defined]
        with _lock:
            pools, clients = _shared.setdefault(key, ({}, {}))
        self._pools = pools
        self._clients = clients

    def _get_connection_pool(self, write: bool) -> Any:
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        pool = self._pools.get(index)
        if pool is None:
            with _lock:
                pool = self._pools.get(index) or super()._get_connection_pool(write)  # type: ignore[misc]
        return pool

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients.setdefault(index, self._client(connection_pool=pool))  # type: ignore[attr-defined]
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient

    def validate_key(self, key: str) -> None:
        """Accept every key, as Redis does: Django's check is memcached's (at most 250 characters, no
        spaces or control characters), walks every character of every key, and on the floor of the
        benchmark took 4% of a request's CPU."""
