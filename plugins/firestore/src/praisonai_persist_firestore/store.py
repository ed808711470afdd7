"""The firestore state store: StateStore on top of `google.cloud.firestore`.

TODO: implement every method; the testkit's conformance suite (tests/) says what each must do.
"""

from __future__ import annotations

from typing import Any

from praisonai_persist import BackendNotInstalledError, StateStore

__all__ = ["FirestoreStateStore"]

DISTRIBUTION = "praisonai-persist-firestore"


def _client() -> Any:
    """Import the client library on first use; a missing one is reported with the install line."""
    try:
        import google.cloud.firestore as client
    except ImportError as exc:
        raise BackendNotInstalledError(
            "state",
            "firestore",
            DISTRIBUTION,
            missing_module="google.cloud.firestore",
            detail=str(exc),
        ) from exc
    return client


class FirestoreStateStore(StateStore):
    """StateStore backed by Firestore.

    The registry creates it as ``FirestoreStateStore(url=..., **options)``; the plugin's README lists
    the options.
    """

    backend_name = "firestore"

    def __init__(self, url: str | None = None, *, path: str | None = None, **options: Any) -> None:
        self.url = url if url is not None else path
        self.options = options
        self._client = _client()

    def get(self, key: str) -> Any | None:
        raise NotImplementedError("FirestoreStateStore.get")

    def set(self, key: str, value: Any, ttl: int | None = None) -> None:
        raise NotImplementedError("FirestoreStateStore.set")

    def delete(self, key: str) -> bool:
        raise NotImplementedError("FirestoreStateStore.delete")

    def exists(self, key: str) -> bool:
        raise NotImplementedError("FirestoreStateStore.exists")

    def keys(self, pattern: str = "*") -> list[str]:
        raise NotImplementedError("FirestoreStateStore.keys")

    def ttl(self, key: str) -> int | None:
        raise NotImplementedError("FirestoreStateStore.ttl")

    def expire(self, key: str, ttl: int) -> bool:
        raise NotImplementedError("FirestoreStateStore.expire")

    def hget(self, key: str, field: str) -> Any | None:
        raise NotImplementedError("FirestoreStateStore.hget")

    def hset(self, key: str, field: str, value: Any) -> None:
        raise NotImplementedError("FirestoreStateStore.hset")

    def hgetall(self, key: str) -> dict[str, Any]:
        raise NotImplementedError("FirestoreStateStore.hgetall")

    def hdel(self, key: str, *fields: str) -> int:
        raise NotImplementedError("FirestoreStateStore.hdel")

    def close(self) -> None:
        """Release connections and files (TODO); the fixture calls it after every test."""
