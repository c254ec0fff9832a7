"""Django's Redis cache, keeping one client object per connection pool.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every
cache call, and building one fills a table of some 170 response callbacks: on
this machine about a fifth of a millisecond, more than the call to Redis itself.
Every page costs one or two cache calls (the content generation, the page or
its fragments), so that showed in every request. A ``redis.Redis`` is safe to
share between threads (the pool hands each command a connection of its own),
so one per pool is kept and reused.
"""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
