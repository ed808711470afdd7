"""The upstash state store (sync, upstash-redis over Upstash's REST API).

Same data layout as the redis plugin's state store: ``key_prefix + key`` holds the value's JSON
text with a native TTL, hashes are Redis hashes, listing uses SCAN (never KEYS).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from praisonai_persist import StateStore
from praisonai_persist.errors import WrongTypeError
from praisonai_persist.state import check_expire_ttl

from ._common import (
    credentials,
    decode,
    encode,
    escape_glob,
    import_module_of,
    pttl_to_seconds,
    ttl_to_ms,
    upstash_error,
    validate_key_prefix,
)

__all__ = ["UpstashStateStore"]

URL_ENV, TOKEN_ENV = "UPSTASH_REDIS_REST_URL", "UPSTASH_REDIS_REST_TOKEN"
DEFAULT_PREFIX = "praison:"
SCAN_COUNT = 1000


def client_options(options: dict[str, Any]) -> dict[str, Any]:
    """upstash-redis options with this store's defaults: no telemetry, short retries."""
    options.setdefault("allow_telemetry", False)
    options.setdefault("rest_retries", 1)
    options.setdefault("rest_retry_interval", 0.5)
    return options


class UpstashStateStore(StateStore):
    """StateStore on Upstash Redis (REST). Options: ``url``/``token`` (default: the
    UPSTASH_REDIS_REST_URL / UPSTASH_REDIS_REST_TOKEN environment variables), ``key_prefix``
    (alias ``prefix``, default ``"praison:"``) and upstash-redis options (``rest_retries`` ...)."""

    backend_name = "upstash"

    def __init__(
        self,
        url: str | None = None,
        *,
        token: str | None = None,
        key_prefix: str | None = None,
        prefix: str | None = None,
        **options: Any,
    ) -> None:
        upstash_redis = import_module_of("state", "upstash", "upstash_redis")
        self.url, self._token = credentials(url, token, URL_ENV, TOKEN_ENV)
        chosen = key_prefix if key_prefix is not None else prefix
        self.key_prefix = validate_key_prefix(DEFAULT_PREFIX if chosen is None else chosen)
        self._match_prefix = escape_glob(self.key_prefix)
        self._client: Any = upstash_redis.Redis(self.url, self._token, **client_options(options))

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except Exception as exc:  # httpx transport errors and UpstashError replies
            if _is_data_error(exc):
                raise
            raise upstash_error(exc, self.url, self._token) from None

    def _run(self, *command: Any, wrong: tuple[str, str] | None = None) -> Any:
        """Run one command; ``wrong`` = (key, what it holds) turns a WRONGTYPE reply into WrongTypeError."""
        try:
            with self._guard():
                return self._client.execute(list(command))
        except Exception as exc:
            if wrong is None or "WRONGTYPE" not in str(exc):
                raise
            raise WrongTypeError(*wrong) from None

    def _k(self, key: str) -> str:
        return self.key_prefix + key

    def get(self, key: str) -> Any | None:
        return decode(self._run("GET", self._k(key), wrong=(key, "hash")))

    def set(self, key: str, value: Any, ttl: int | None = None) -> None:
        ms = ttl_to_ms(ttl)
        data = encode(value)
        if ms is None:
            self._run("SET", self._k(key), data)
        else:
            self._run("SET", self._k(key), data, "PX", ms)

    def delete(self, key: str) -> bool:
        return bool(self._run("DEL", self._k(key)))

    def exists(self, key: str) -> bool:
        return bool(self._run("EXISTS", self._k(key)))

    def _scan(self, match: str) -> list[str]:
        n, cursor = len(self.key_prefix), 0
        found: set[str] = set()
        while True:
            cursor, keys = _scan_reply(self._run("SCAN", cursor, "MATCH", match, "COUNT", SCAN_COUNT))
            found.update(k[n:] for k in keys)
            if cursor == 0:
                return sorted(found)

    def keys(self, pattern: str = "*") -> list[str]:
        return self._scan(self._match_prefix + pattern)

    def scan_prefix(self, prefix: str) -> list[str]:
        return self._scan(self._match_prefix + escape_glob(prefix) + "*")

    def ttl(self, key: str) -> int | None:
        return pttl_to_seconds(int(self._run("PTTL", self._k(key))))

    def expire(self, key: str, ttl: int) -> bool:
        seconds = check_expire_ttl(ttl)
        return bool(self._run("PEXPIRE", self._k(key), max(1, round(seconds * 1000))))

    def hget(self, key: str, field: str) -> Any | None:
        return decode(self._run("HGET", self._k(key), field, wrong=(key, "value")))

    def hset(self, key: str, field: str, value: Any) -> None:
        self._run("HSET", self._k(key), field, encode(value), wrong=(key, "value"))

    def hgetall(self, key: str) -> dict[str, Any]:
        return {f: decode(v) for f, v in _hash_reply(self._run("HGETALL", self._k(key), wrong=(key, "value"))).items()}

    def hdel(self, key: str, *fields: str) -> int:
        return int(self._run("HDEL", self._k(key), *fields, wrong=(key, "value"))) if fields else 0

    def clear(self) -> int:
        """Delete every key under this store's prefix (SCAN + DEL)."""
        keys = [self._k(k) for k in self._scan(self._match_prefix + "*")]
        return sum(int(self._run("DEL", *keys[i : i + 500])) for i in range(0, len(keys), 500))

    def close(self) -> None:
        """Close the HTTP client."""
        self._client.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(url={self.url!r}, key_prefix={self.key_prefix!r})"


def _is_data_error(exc: BaseException) -> bool:
    """Errors about the data (WRONGTYPE, bad arguments) stay as they are; the rest is connectivity."""
    return isinstance(exc, (TypeError, ValueError)) or "WRONGTYPE" in str(exc) or "ERR " in str(exc)


def _scan_reply(reply: Any) -> tuple[int, list[str]]:
    cursor, keys = reply
    return int(cursor), list(keys)


def _hash_reply(reply: Any) -> dict[str, str]:
    if isinstance(reply, dict):
        return reply
    items = list(reply or [])
    return dict(zip(items[::2], items[1::2], strict=True))
