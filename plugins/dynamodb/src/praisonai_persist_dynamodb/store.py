"""The dynamodb state store: StateStore on top of `boto3`.

TODO: implement every method; the testkit's conformance suite (tests/) says what each must do.
"""

from __future__ import annotations

from typing import Any

from praisonai_persist import BackendNotInstalledError, StateStore

__all__ = ["DynamodbStateStore"]

DISTRIBUTION = "praisonai-persist-dynamodb"


def _client() -> Any:
    """Import the client library on first use; a missing one is reported with the install line."""
    try:
        import boto3 as client
    except ImportError as exc:
        raise BackendNotInstalledError(
            "state",
            "dynamodb",
            DISTRIBUTION,
            missing_module="boto3",
            detail=str(exc),
        ) from exc
    return client


class DynamodbStateStore(StateStore):
    """StateStore backed by Dynamodb.

    The registry creates it as ``DynamodbStateStore(url=..., **options)``; the plugin's README lists
    the options.
    """

    backend_name = "dynamodb"

    def __init__(self, url: str | None = None, *, path: str | None = None, **options: Any) -> None:
        self.url = url if url is not None else path
        self.options = options
        self._client = _client()

    def get(self, key: str) -> Any | None:
        raise NotImplementedError("DynamodbStateStore.get")

    def set(self, key: str, value: Any, ttl: int | None = None) -> None:
        raise NotImplementedError("DynamodbStateStore.set")

    def delete(self, key: str) -> bool:
        raise NotImplementedError("DynamodbStateStore.delete")

    def exists(self, key: str) -> bool:
        raise NotImplementedError("DynamodbStateStore.exists")

    def keys(self, pattern: str = "*") -> list[str]:
        raise NotImplementedError("DynamodbStateStore.keys")

    def ttl(self, key: str) -> int | None:
        raise NotImplementedError("DynamodbStateStore.ttl")

    def expire(self, key: str, ttl: int) -> bool:
        raise NotImplementedError("DynamodbStateStore.expire")

    def hget(self, key: str, field: str) -> Any | None:
        raise NotImplementedError("DynamodbStateStore.hget")

    def hset(self, key: str, field: str, value: Any) -> None:
        raise NotImplementedError("DynamodbStateStore.hset")

    def hgetall(self, key: str) -> dict[str, Any]:
        raise NotImplementedError("DynamodbStateStore.hgetall")

    def hdel(self, key: str, *fields: str) -> int:
        raise NotImplementedError("DynamodbStateStore.hdel")

    def close(self) -> None:
        """Release connections and files (TODO); the fixture calls it after every test."""
