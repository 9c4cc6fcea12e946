"""The Redis cache backend (used whenever REDIS_URL is set), against the machine's real Redis."""

from __future__ import annotations

import pytest
import redis

from supportdesk.web.cache import RedisCache

URL = "redis://127.0.0.1:6379/13"


@pytest.fixture
def redis_cache() -> RedisCache:
    try:
        redis.Redis.from_url(URL, socket_connect_timeout=1).ping()
    except redis.RedisError:  # pragma: no cover - every machine of this project runs Redis
        pytest.fail(f"Redis is not running at {URL}")
    backend = RedisCache(URL, {})
    backend.clear()
    return backend


def test_it_stores_reads_and_expires_like_djangos(redis_cache: RedisCache) -> None:
    redis_cache.set("page", "<p>rows</p>", 30)
    redis_cache.set_many({"a": 1, "b": [2]}, 30)
    assert redis_cache.get("page") == "<p>rows</p>"
    assert redis_cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": [2]}
    assert redis_cache.add("a", 9) is False and redis_cache.get("a") == 1
    redis_cache.set("gone", 1, 0)
    assert redis_cache.get("gone") is None


def test_one_client_serves_every_call(redis_cache: RedisCache) -> None:
    client = redis_cache._cache
    assert client.get_client() is client.get_client(write=True) is client.get_client("key")


def test_every_backend_instance_of_the_process_shares_one_pool(redis_cache: RedisCache) -> None:
    """Django keeps cache backends per context and a2wsgi gives each request a fresh one: a pool per
    instance meant a new Redis connection per request."""
    other = RedisCache(URL, {})
    assert other._cache.get_client() is redis_cache._cache.get_client()
    pool = redis_cache._cache.get_client().connection_pool

    def connections() -> int:
        return len(pool._available_connections) + len(pool._in_use_connections)

    # Where the site's own cache is this Redis database (a suite run with REDIS_URL on db 13), earlier
    # tests may have grown the shared pool already: what must not happen is a connection per backend.
    before = connections()
    for _ in range(20):
        RedisCache(URL, {}).get("anything")
    assert connections() <= max(1, before)


def test_keys_memcached_would_refuse_are_stored_without_a_warning(redis_cache: RedisCache, recwarn) -> None:
    long_key = "page:" + "x" * 300 + " with spaces"
    redis_cache.set(long_key, "kept", 30)
    assert redis_cache.get(long_key) == "kept"
    assert not [w for w in recwarn if "memcached" in str(w.message).lower()]
