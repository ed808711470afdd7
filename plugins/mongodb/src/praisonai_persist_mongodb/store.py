"""The mongodb state store: StateStore on top of `pymongo`.

TODO: implement every method; the testkit's conformance suite (tests/) says what each must do.
"""

from __future__ import annotations

from typing import Any

from praisonai_persist import BackendNotInstalledError, StateStore

__all__ = ["MongodbStateStore"]

DISTRIBUTION = "praisonai-persist-mongodb"


def _client() -> Any:
    """Import the client library on first use; a missing one is reported with the install line."""
    try:
        import pymongo as client
    except ImportError as exc:
        raise BackendNotInstalledError(
            "state",
            "mongodb",
            DISTRIBUTION,
            missing_module="pymongo",
            detail=str(exc),
        ) from exc
    return client


class MongodbStateStore(StateStore):
    """StateStore backed by Mongodb.

    The registry creates it as ``MongodbStateStore(url=..., **options)``; the plugin's README lists
    the options.
    """

    backend_name = "mongodb"

    def __init__(self, url: str | None = None, *, path: str | None = None, **options: Any) -> None:
        self.url = url if url is not None else path
        self.options = options
        self._client = _client()

    def get(self, key: str) -> Any | None:
        raise NotImplementedError("MongodbStateStore.get")

    def set(self, key: str, value: Any, ttl: int | None = None) -> None:
        raise NotImplementedError("MongodbStateStore.set")

    def delete(self, key: str) -> bool:
        raise NotImplementedError("MongodbStateStore.delete")

    def exists(self, key: str) -> bool:
        raise NotImplementedError("MongodbStateStore.exists")

    def keys(self, pattern: str = "*") -> list[str]:
        raise NotImplementedError("MongodbStateStore.keys")

    def ttl(self, key: str) -> int | None:
        raise NotImplementedError("MongodbStateStore.ttl")

    def expire(self, key: str, ttl: int) -> bool:
        raise NotImplementedError("MongodbStateStore.expire")

    def hget(self, key: str, field: str) -> Any | None:
        raise NotImplementedError("MongodbStateStore.hget")

    def hset(self, key: str, field: str, value: Any) -> None:
        raise NotImplementedError("MongodbStateStore.hset")

    def hgetall(self, key: str) -> dict[str, Any]:
        raise NotImplementedError("MongodbStateStore.hgetall")

    def hdel(self, key: str, *fields: str) -> int:
        raise NotImplementedError("MongodbStateStore.hdel")

    def close(self) -> None:
        """Release connections and files (TODO); the fixture calls it after every test."""
