"""The async_mongodb state store (pymongo.AsyncMongoClient, the native async API that replaces motor): JSON values, TTL index plus read-time expiry, hashes.

Every read filters out expired documents itself, because MongoDB's TTL monitor deletes them only
about once a minute; the TTL index on ``expires_at`` reclaims the space.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from praisonai_persist import AsyncStateStore
from praisonai_persist.backends.memory_state import compile_glob
from praisonai_persist.state import check_expire_ttl
from praisonai_persist.urls import mask_url

from ._common import (
    connection_error,
    decode,
    encode,
    encode_field,
    expiry,
    hash_doc,
    import_pymongo,
    is_live,
    now,
    prefix_regex,
    seconds_left,
    validate_names,
    validate_url,
    value_doc,
)

__all__ = ["AsyncMongoDBStateStore"]


class AsyncMongoDBStateStore(AsyncStateStore):
    """AsyncStateStore on MongoDB (pymongo's AsyncMongoClient). Options: ``database`` (default ``"praisonai"``),
    ``collection`` (default ``"state"``), and any ``pymongo.MongoClient`` option."""

    backend_name = "async_mongodb"

    def __init__(
        self,
        url: str | None = None,
        *,
        database: str = "praisonai",
        collection: str = "state",
        **client_options: Any,
    ) -> None:
        pymongo = import_pymongo("state", "async_mongodb")
        self.url = validate_url(url)
        self.database, self.collection = validate_names(database, collection)
        self._errors: tuple[type[BaseException], ...] = (pymongo.errors.ConnectionFailure,)
        client_options.setdefault("serverSelectionTimeoutMS", 10_000)
        client_options.setdefault("tz_aware", True)
        self._client: Any = pymongo.AsyncMongoClient(self.url, **client_options)
        self._coll: Any = self._client[self.database][self.collection]
        self._indexed = False

    @asynccontextmanager
    async def _guard(self) -> AsyncIterator[Any]:
        try:
            if not self._indexed:
                # TTL index: the server deletes expired documents (reads filter them first).
                await self._coll.create_index("expires_at", expireAfterSeconds=0)
                self._indexed = True
            yield self._coll
        except self._errors as exc:
            raise connection_error(exc, self.url) from None

    async def _live_doc(self, coll: Any, key: str, projection: dict[str, int] | None = None) -> dict[str, Any] | None:
        # Liveness is checked here, not in the query: nx-27017 mishandles $or beside other conditions.
        doc: dict[str, Any] | None = await coll.find_one({"_id": key}, projection)
        return doc if is_live(doc) else None

    async def get(self, key: str) -> Any | None:
        async with self._guard() as coll:
            return decode(value_doc(await self._live_doc(coll, key), key))

    async def set(self, key: str, value: Any, ttl: int | None = None) -> None:
        doc = {"_id": key, "json": encode(value), "expires_at": expiry(ttl)}
        async with self._guard() as coll:
            await coll.replace_one({"_id": key}, doc, upsert=True)

    async def delete(self, key: str) -> bool:
        async with self._guard() as coll:
            return is_live(await coll.find_one_and_delete({"_id": key}, {"expires_at": 1}))

    async def exists(self, key: str) -> bool:
        async with self._guard() as coll:
            return await self._live_doc(coll, key, {"expires_at": 1}) is not None

    async def _ids(self, regex: str) -> list[str]:
        async with self._guard() as coll:
            return [
                d["_id"]
                async for d in coll.find({"_id": {"$regex": regex}}, {"_id": 1, "expires_at": 1})
                if isinstance(d["_id"], str) and is_live(d)
            ]

    async def keys(self, pattern: str = "*") -> list[str]:
        """Live keys matching a Redis-style glob: the server narrows by the glob's literal head."""
        match = compile_glob(pattern).fullmatch
        return sorted(k for k in await self._ids(prefix_regex(pattern)) if match(k))

    async def scan_prefix(self, prefix: str) -> list[str]:
        return sorted(k for k in await self._ids(prefix_regex(prefix, glob=False)) if k.startswith(prefix))

    async def ttl(self, key: str) -> int | None:
        async with self._guard() as coll:
            return seconds_left(await self._live_doc(coll, key, {"expires_at": 1}))

    async def expire(self, key: str, ttl: int) -> bool:
        seconds = check_expire_ttl(ttl)
        async with self._guard() as coll:
            doc = await self._live_doc(coll, key)
            if doc is None:
                return False
            # The whole document is rewritten: a datetime sent through $set arrives as text on nx-27017.
            doc["expires_at"] = now() + timedelta(seconds=seconds)
            await coll.replace_one({"_id": key}, doc)
            return True

    async def hget(self, key: str, field: str) -> Any | None:
        async with self._guard() as coll:
            doc = hash_doc(await self._live_doc(coll, key, {"hash": 1, "expires_at": 1}), key)
        return None if doc is None else decode(doc).get(field)

    async def hset(self, key: str, field: str, value: Any) -> None:
        name, data = encode_field(field), encode(value)
        async with self._guard() as coll:
            if hash_doc(await self._live_doc(coll, key, {"hash": 1, "expires_at": 1}), key) is not None:
                await coll.update_one({"_id": key}, {"$set": {"hash." + name: data}})  # keeps the TTL, as Redis does
            else:
                await coll.replace_one(
                    {"_id": key}, {"_id": key, "hash": {name: data}, "expires_at": None}, upsert=True
                )

    async def hgetall(self, key: str) -> dict[str, Any]:
        async with self._guard() as coll:
            doc = hash_doc(await self._live_doc(coll, key, {"hash": 1, "expires_at": 1}), key)
        return {} if doc is None else decode(doc)

    async def hdel(self, key: str, *fields: str) -> int:
        async with self._guard() as coll:
            doc = hash_doc(await self._live_doc(coll, key, {"hash": 1, "expires_at": 1}), key)
            if doc is None or not fields:
                return 0
            names = {encode_field(f) for f in fields} & set(doc["hash"])
            if names and len(names) == len(doc["hash"]):
                await coll.delete_one({"_id": key})  # Redis drops an empty hash
            elif names:
                await coll.update_one({"_id": key}, {"$unset": {"hash." + n: "" for n in names}})
            return len(names)

    async def clear(self) -> int:
        """Delete every key of this store's collection."""
        async with self._guard() as coll:
            return int((await coll.delete_many({})).deleted_count)

    async def close(self) -> None:
        """Close the client's connection pool."""
        await self._client.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(url={mask_url(self.url)!r}, database={self.database!r}, collection={self.collection!r})"
