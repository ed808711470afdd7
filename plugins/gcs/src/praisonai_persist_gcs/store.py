"""The gcs state store: StateStore on top of `google.cloud.storage`.

TODO: implement every method; the testkit's conformance suite (tests/) says what each must do.
"""

from __future__ import annotations

from typing import Any

from praisonai_persist import BackendNotInstalledError, StateStore

__all__ = ["GcsStateStore"]

DISTRIBUTION = "praisonai-persist-gcs"


def _client() -> Any:
    """Import the client library on first use; a missing one is reported with the install line."""
    try:
        import google.cloud.storage as client
    except ImportError as exc:
        raise BackendNotInstalledError(
            "state",
            "gcs",
            DISTRIBUTION,
            missing_module="google.cloud.storage",
            detail=str(exc),
        ) from exc
    return client


class GcsStateStore(StateStore):
    """StateStore backed by Gcs.

    The registry creates it as ``GcsStateStore(url=..., **options)``; the plugin's README lists
    the options.
    """

    backend_name = "gcs"

    def __init__(self, url: str | None = None, *, path: str | None = None, **options: Any) -> None:
        self.url = url if url is not None else path
        self.options = options
        self._client = _client()

    def get(self, key: str) -> Any | None:
        raise NotImplementedError("GcsStateStore.get")

    def set(self, key: str, value: Any, ttl: int | None = None) -> None:
        raise NotImplementedError("GcsStateStore.set")

    def delete(self, key: str) -> bool:
        raise NotImplementedError("GcsStateStore.delete")

    def exists(self, key: str) -> bool:
        raise NotImplementedError("GcsStateStore.exists")

    def keys(self, pattern: str = "*") -> list[str]:
        raise NotImplementedError("GcsStateStore.keys")

    def ttl(self, key: str) -> int | None:
        raise NotImplementedError("GcsStateStore.ttl")

    def expire(self, key: str, ttl: int) -> bool:
        raise NotImplementedError("GcsStateStore.expire")

    def hget(self, key: str, field: str) -> Any | None:
        raise NotImplementedError("GcsStateStore.hget")

    def hset(self, key: str, field: str, value: Any) -> None:
        raise NotImplementedError("GcsStateStore.hset")

    def hgetall(self, key: str) -> dict[str, Any]:
        raise NotImplementedError("GcsStateStore.hgetall")

    def hdel(self, key: str, *fields: str) -> int:
        raise NotImplementedError("GcsStateStore.hdel")

    def close(self) -> None:
        """Release connections and files (TODO); the fixture calls it after every test."""
