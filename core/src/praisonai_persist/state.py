"""State (key-value with TTL) store protocols, sync and async.

Values are any JSON value and keep their type (``set("k", 3)`` then ``get("k") == 3``).
Expired keys are invisible to ``get``, ``exists`` and ``keys``.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from types import TracebackType
from typing import Any

__all__ = [
    "AsyncStateStore",
    "StateStore",
    "check_expire_ttl",
    "check_ttl",
    "decode_json_value",
    "dump_json_value",
]


def check_ttl(ttl: Any) -> float | None:
    """``ttl`` as float seconds (``None``: no expiry); anything but a positive finite number raises.

    Every state store validates TTLs with this, so ``set(k, v, ttl=0)`` or ``ttl=True`` fail the same
    way everywhere.
    """
    if ttl is None:
        return None
    if isinstance(ttl, bool) or not isinstance(ttl, (int, float)) or not 0 < ttl < float("inf"):
        raise ValueError(f"ttl must be a positive number of seconds or None, got {ttl!r}.")
    return float(ttl)


def check_expire_ttl(ttl: Any) -> float:
    """``expire``'s TTL as float seconds; ``None``, zero, negative or non-numbers raise ``ValueError``.

    Unlike Redis, ``expire(k, 0)`` does not delete the key: it raises and leaves the key unchanged
    (use ``delete`` to remove a key), the same rule as ``set(k, v, ttl=0)``.
    """
    seconds = check_ttl(ttl)
    if seconds is None:
        raise ValueError("ttl must be a positive number of seconds, got None; use set(k, v) to make a key persistent.")
    return seconds


def dump_json_value(value: Any) -> str:
    """Compact JSON text of a state value; a non-JSON value raises ``TypeError`` naming the problem.

    For stores that keep values as JSON text so that every JSON type reads back as it went in.
    """
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise TypeError(f"State values must be JSON values (dict, list, str, number, bool, None): {exc}") from exc


def decode_json_value(value: Any) -> Any:
    """Value for ``get_json``: strings written by PraisonAI's ``set_json`` are parsed."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class StateStore(ABC):
    """Synchronous key-value state store with TTLs (seconds) and hashes."""

    backend_name: str = ""

    @abstractmethod
    def get(self, key: str) -> Any | None:
        """Value of ``key`` or ``None`` when missing or expired."""

    @abstractmethod
    def set(self, key: str, value: Any, ttl: int | None = None) -> None:
        """Store a JSON value; ``ttl`` in seconds, ``None`` for no expiry."""

    @abstractmethod
    def delete(self, key: str) -> bool:
        """Remove ``key``; ``True`` if it existed."""

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def keys(self, pattern: str = "*") -> list[str]:
        """Live keys matching a glob pattern (``*``, ``?``, ``[...]``)."""

    def scan_prefix(self, prefix: str) -> list[str]:
        """Live keys starting with ``prefix`` (glob characters in it are literal)."""
        return [k for k in self.keys("*") if k.startswith(prefix)]

    @abstractmethod
    def ttl(self, key: str) -> int | None:
        """Seconds left, or ``None`` if the key has no TTL or does not exist."""

    @abstractmethod
    def expire(self, key: str, ttl: int) -> bool:
        """Set a TTL on an existing key; ``False`` if it does not exist.

        ``ttl`` must be positive (:func:`check_expire_ttl`): 0 or less raises ``ValueError`` and
        changes nothing.
        """

    def get_json(self, key: str) -> Any | None:
        """Like :meth:`get`; JSON text stored by older PraisonAI code is parsed."""
        return decode_json_value(self.get(key))

    def set_json(self, key: str, value: Any, ttl: int | None = None) -> None:
        """Like :meth:`set` (values keep their JSON type already)."""
        self.set(key, value, ttl)

    @abstractmethod
    def hget(self, key: str, field: str) -> Any | None: ...

    @abstractmethod
    def hset(self, key: str, field: str, value: Any) -> None: ...

    @abstractmethod
    def hgetall(self, key: str) -> dict[str, Any]: ...

    @abstractmethod
    def hdel(self, key: str, *fields: str) -> int: ...

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> StateStore:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncStateStore(ABC):
    """Asynchronous twin of :class:`StateStore`."""

    backend_name: str = ""

    @abstractmethod
    async def get(self, key: str) -> Any | None: ...

    @abstractmethod
    async def set(self, key: str, value: Any, ttl: int | None = None) -> None: ...

    @abstractmethod
    async def delete(self, key: str) -> bool: ...

    @abstractmethod
    async def exists(self, key: str) -> bool: ...

    @abstractmethod
    async def keys(self, pattern: str = "*") -> list[str]: ...

    async def scan_prefix(self, prefix: str) -> list[str]:
        return [k for k in await self.keys("*") if k.startswith(prefix)]

    @abstractmethod
    async def ttl(self, key: str) -> int | None: ...

    @abstractmethod
    async def expire(self, key: str, ttl: int) -> bool: ...

    async def get_json(self, key: str) -> Any | None:
        return decode_json_value(await self.get(key))

    async def set_json(self, key: str, value: Any, ttl: int | None = None) -> None:
        await self.set(key, value, ttl)

    @abstractmethod
    async def hget(self, key: str, field: str) -> Any | None: ...

    @abstractmethod
    async def hset(self, key: str, field: str, value: Any) -> None: ...

    @abstractmethod
    async def hgetall(self, key: str) -> dict[str, Any]: ...

    @abstractmethod
    async def hdel(self, key: str, *fields: str) -> int: ...

    @abstractmethod
    async def close(self) -> None: ...

    async def __aenter__(self) -> AsyncStateStore:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()
