"""The redis state store (async, redis.asyncio): JSON values, native TTLs, Redis hashes, SCAN-based listing.

Every key is stored as ``key_prefix + key``; values are JSON text so they keep their type.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from praisonai_persist import AsyncStateStore
from praisonai_persist.state import check_expire_ttl
from praisonai_persist.urls import mask_url

from ._common import (
    DEFAULT_PREFIX,
    SCAN_COUNT,
    build_url,
    connection_error,
    decode,
    encode,
    escape_glob,
    import_redis,
    pttl_to_seconds,
    ttl_to_ms,
    validate_key_prefix,
    wrong_type,
)

__all__ = ["AsyncRedisStateStore"]


class AsyncRedisStateStore(AsyncStateStore):
    """AsyncStateStore on Redis or Valkey (redis-py's native asyncio client).

    Options: ``key_prefix`` (alias ``prefix``, default ``"praison:"``), PraisonAI's ``host``,
    ``port``, ``db``, ``password`` when no URL is given, and any ``redis.Redis.from_url`` option
    (``socket_timeout``, ``ssl_cert_reqs`` ...).
    """

    backend_name = "redis"

    def __init__(
        self,
        url: str | None = None,
        *,
        key_prefix: str | None = None,
        prefix: str | None = None,
        host: str | None = None,
        port: int | None = None,
        db: int | None = None,
        password: str | None = None,
        **client_options: Any,
    ) -> None:
        redis = import_redis()
        self.url = build_url(url, host, port, db, password)
        chosen = key_prefix if key_prefix is not None else prefix
        self.key_prefix = validate_key_prefix(DEFAULT_PREFIX if chosen is None else chosen)
        self._match_prefix = escape_glob(self.key_prefix)
        self._errors: tuple[type[BaseException], ...] = (redis.ConnectionError, redis.TimeoutError)
        self._wrongtype = redis.ResponseError
        client_options.setdefault("decode_responses", True)
        import redis.asyncio as aioredis

        self._client: Any = aioredis.Redis.from_url(self.url, **client_options)

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except self._errors as exc:
            raise connection_error(exc, self.url) from None

    def _k(self, key: str) -> str:
        return self.key_prefix + key

    # -- key-value -----------------------------------------------------------------------

    async def get(self, key: str) -> Any | None:
        with self._guard(), wrong_type(self._wrongtype, key, "hash"):
            return decode(await self._client.get(self._k(key)))

    async def set(self, key: str, value: Any, ttl: int | None = None) -> None:
        ms = ttl_to_ms(ttl)
        data = encode(value)
        with self._guard():
            await self._client.set(self._k(key), data, px=ms)

    async def delete(self, key: str) -> bool:
        with self._guard():
            return bool(await self._client.delete(self._k(key)))

    async def exists(self, key: str) -> bool:
        with self._guard():
            return bool(await self._client.exists(self._k(key)))

    async def _scan(self, match: str) -> list[str]:
        n = len(self.key_prefix)
        with self._guard():
            found = {k[n:] async for k in self._client.scan_iter(match=match, count=SCAN_COUNT)}
        return sorted(found)

    async def keys(self, pattern: str = "*") -> list[str]:
        """Live keys matching a Redis glob, listed with SCAN (never KEYS), sorted."""
        return await self._scan(self._match_prefix + pattern)

    async def scan_prefix(self, prefix: str) -> list[str]:
        return await self._scan(self._match_prefix + escape_glob(prefix) + "*")

    async def ttl(self, key: str) -> int | None:
        with self._guard():
            return pttl_to_seconds(int(await self._client.pttl(self._k(key))))

    async def expire(self, key: str, ttl: int) -> bool:
        seconds = check_expire_ttl(ttl)
        with self._guard():
            return bool(await self._client.pexpire(self._k(key), max(1, round(seconds * 1000))))

    # -- hashes --------------------------------------------------------------------------

    async def hget(self, key: str, field: str) -> Any | None:
        with self._guard(), wrong_type(self._wrongtype, key, "value"):
            return decode(await self._client.hget(self._k(key), field))

    async def hset(self, key: str, field: str, value: Any) -> None:
        data = encode(value)
        with self._guard(), wrong_type(self._wrongtype, key, "value"):
            await self._client.hset(self._k(key), field, data)

    async def hgetall(self, key: str) -> dict[str, Any]:
        with self._guard(), wrong_type(self._wrongtype, key, "value"):
            raw: dict[str, str] = await self._client.hgetall(self._k(key))
        return {f: decode(v) for f, v in raw.items()}

    async def hdel(self, key: str, *fields: str) -> int:
        if not fields:
            return 0
        with self._guard(), wrong_type(self._wrongtype, key, "value"):
            return int(await self._client.hdel(self._k(key), *fields))

    # -- batches (one round trip per chunk) -----------------------------------------------

    async def set_many(self, items: Mapping[str, Any], ttl: int | None = None) -> None:
        """Set several keys in pipelined chunks of 1,000 (same semantics as :meth:`set`)."""
        ms = ttl_to_ms(ttl)
        encoded = [(self._k(k), encode(v)) for k, v in items.items()]
        with self._guard():
            for start in range(0, len(encoded), 1000):
                pipe = self._client.pipeline(transaction=False)
                for key, data in encoded[start : start + 1000]:
                    pipe.set(key, data, px=ms)
                await pipe.execute()

    async def get_many(self, keys: Sequence[str]) -> dict[str, Any]:
        """Values of the live keys among ``keys`` (missing keys are left out), one MGET per 1,000."""
        out: dict[str, Any] = {}
        wanted = list(keys)
        with self._guard():
            for start in range(0, len(wanted), 1000):
                part = wanted[start : start + 1000]
                values = await self._client.mget([self._k(k) for k in part])
                out.update({k: decode(v) for k, v in zip(part, values, strict=True) if v is not None})
        return out

    # -- housekeeping --------------------------------------------------------------------

    async def clear(self) -> int:
        """Delete every key under this store's prefix (SCAN + UNLINK); returns how many."""
        removed = 0
        with self._guard():
            batch: list[str] = []
            async for k in self._client.scan_iter(match=self._match_prefix + "*", count=SCAN_COUNT):
                batch.append(k)
                if len(batch) >= 500:
                    removed += int(await self._client.unlink(*batch))
                    batch.clear()
            if batch:
                removed += int(await self._client.unlink(*batch))
        return removed

    async def ping(self) -> bool:
        """True when the server answers (for doctor checks)."""
        with self._guard():
            return bool(await self._client.ping())

    async def close(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(url={mask_url(self.url)!r}, key_prefix={self.key_prefix!r})"
