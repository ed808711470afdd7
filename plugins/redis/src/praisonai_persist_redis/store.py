"""The redis state store: StateStore on top of `redis`.

TODO: implement every method; the testkit's conformance suite (tests/) says what each must do.
"""

from __future__ import annotations

from typing import Any

from praisonai_persist import BackendNotInstalledError, StateStore

__all__ = ["RedisStateStore"]

DISTRIBUTION = "praisonai-persist-redis"


def _client() -> Any:
    """Import the client library on first use; a missing one is reported with the install line."""
    try:
        import redis as client
    except ImportError as exc:
        raise BackendNotInstalledError(
            "state",
            "redis",
            DISTRIBUTION,
            missing_module="redis",
            detail=str(exc),
        ) from exc
    return client


class RedisStateStore(StateStore):
    """StateStore backed by Redis.

    The registry creates it as ``RedisStateStore(url=..., **options)``; the plugin's README lists
    the options.
    """

    backend_name = "redis"

    def __init__(self, url: str | None = None, *, path: str | None = None, **options: Any) -> None:
        self.url = url if url is not None else path
        self.options = options
        self._client = _client()

    def get(self, key: str) -> Any | None:
        raise NotImplementedError("RedisStateStore.get")

    def set(self, key: str, value: Any, ttl: int | None = None) -> None:
        raise NotImplementedError("RedisStateStore.set")

    def delete(self, key: str) -> bool:
        raise NotImplementedError("RedisStateStore.delete")

    def exists(self, key: str) -> bool:
        raise NotImplementedError("RedisStateStore.exists")

    def keys(self, pattern: str = "*") -> list[str]:
        raise NotImplementedError("RedisStateStore.keys")

    def ttl(self, key: str) -> int | None:
        raise NotImplementedError("RedisStateStore.ttl")

    def expire(self, key: str, ttl: int) -> bool:
        raise NotImplementedError("RedisStateStore.expire")

    def hget(self, key: str, field: str) -> Any | None:
        raise NotImplementedError("RedisStateStore.hget")

    def hset(self, key: str, field: str, value: Any) -> None:
        raise NotImplementedError("RedisStateStore.hset")

    def hgetall(self, key: str) -> dict[str, Any]:
        raise NotImplementedError("RedisStateStore.hgetall")

    def hdel(self, key: str, *fields: str) -> int:
        raise NotImplementedError("RedisStateStore.hdel")

    def close(self) -> None:
        """Release connections and files (TODO); the fixture calls it after every test."""
