"""The upstash state store: StateStore on top of `upstash_redis`.

TODO: implement every method; the testkit's conformance suite (tests/) says what each must do.
"""

from __future__ import annotations

from typing import Any

from praisonai_persist import BackendNotInstalledError, StateStore

__all__ = ["UpstashStateStore"]

DISTRIBUTION = "praisonai-persist-upstash"


def _client() -> Any:
    """Import the client library on first use; a missing one is reported with the install line."""
    try:
        import upstash_redis as client
    except ImportError as exc:
        raise BackendNotInstalledError(
            "state",
            "upstash",
            DISTRIBUTION,
            missing_module="upstash_redis",
            detail=str(exc),
        ) from exc
    return client


class UpstashStateStore(StateStore):
    """StateStore backed by Upstash.

    The registry creates it as ``UpstashStateStore(url=..., **options)``; the plugin's README lists
    the options.
    """

    backend_name = "upstash"

    def __init__(self, url: str | None = None, *, path: str | None = None, **options: Any) -> None:
        self.url = url if url is not None else path
        self.options = options
        self._client = _client()

    def get(self, key: str) -> Any | None:
        raise NotImplementedError("UpstashStateStore.get")

    def set(self, key: str, value: Any, ttl: int | None = None) -> None:
        raise NotImplementedError("UpstashStateStore.set")

    def delete(self, key: str) -> bool:
        raise NotImplementedError("UpstashStateStore.delete")

    def exists(self, key: str) -> bool:
        raise NotImplementedError("UpstashStateStore.exists")

    def keys(self, pattern: str = "*") -> list[str]:
        raise NotImplementedError("UpstashStateStore.keys")

    def ttl(self, key: str) -> int | None:
        raise NotImplementedError("UpstashStateStore.ttl")

    def expire(self, key: str, ttl: int) -> bool:
        raise NotImplementedError("UpstashStateStore.expire")

    def hget(self, key: str, field: str) -> Any | None:
        raise NotImplementedError("UpstashStateStore.hget")

    def hset(self, key: str, field: str, value: Any) -> None:
        raise NotImplementedError("UpstashStateStore.hset")

    def hgetall(self, key: str) -> dict[str, Any]:
        raise NotImplementedError("UpstashStateStore.hgetall")

    def hdel(self, key: str, *fields: str) -> int:
        raise NotImplementedError("UpstashStateStore.hdel")

    def close(self) -> None:
        """Release connections and files (TODO); the fixture calls it after every test."""
