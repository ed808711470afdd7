"""The mongodb state store (sync, pymongo): JSON values, TTL index plus read-time expiry, hashes.

Every read filters out expired documents itself, because MongoDB's TTL monitor deletes them only
about once a minute; the TTL index on ``expires_at`` reclaims the space.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from praisonai_persist import StateStore
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

__all__ = ["MongoDBStateStore"]


class MongoDBStateStore(StateStore):
    """StateStore on MongoDB (pymongo). Options: ``database`` (default ``"praisonai"``),
    ``collection`` (default ``"state"``), and any ``pymongo.MongoClient`` option."""

    backend_name = "mongodb"

    def __init__(
        self,
        url: str | None = None,
        *,
        database: str = "praisonai",
        collection: str = "state",
        **client_options: Any,
    ) -> None:
        pymongo = import_pymongo("state", "mongodb")
        self.url = validate_url(url)
        self.database, self.collection = validate_names(database, collection)
        self._errors: tuple[type[BaseException], ...] = (pymongo.errors.ConnectionFailure,)
        client_options.setdefault("serverSelectionTimeoutMS", 10_000)
        client_options.setdefault("tz_aware", True)
        self._client: Any = pymongo.MongoClient(self.url, **client_options)
        self._coll: Any = self._client[self.database][self.collection]
        self._indexed = False

    @contextmanager
    def _guard(self) -> Iterator[Any]:
        try:
            if not self._indexed:
                # TTL index: the server deletes expired documents (reads filter them first).
                self._coll.create_index("expires_at", expireAfterSeconds=0)
                self._indexed = True
            yield self._coll
        except self._errors as exc:
            raise connection_error(exc, self.url) from None

    def _live_doc(self, coll: Any, key: str, projection: dict[str, int] | None = None) -> dict[str, Any] | None:
        # Liveness is checked here, not in the query: nx-27017 mishandles $or beside other conditions.
        doc: dict[str, Any] | None = coll.find_one({"_id": key}, projection)
        return doc if is_live(doc) else None

    def get(self, key: str) -> Any | None:
        with self._guard() as coll:
            return decode(value_doc(self._live_doc(coll, key), key))

    def set(self, key: str, value: Any, ttl: int | None = None) -> None:
        doc = {"_id": key, "json": encode(value), "expires_at": expiry(ttl)}
        with self._guard() as coll:
            coll.replace_one({"_id": key}, doc, upsert=True)

    def delete(self, key: str) -> bool:
        with self._guard() as coll:
            return is_live(coll.find_one_and_delete({"_id": key}, {"expires_at": 1}))

    def exists(self, key: str) -> bool:
        with self._guard() as coll:
            return self._live_doc(coll, key, {"expires_at": 1}) is not None

    def _ids(self, regex: str) -> list[str]:
        with self._guard() as coll:
            return [
                d["_id"]
                for d in coll.find({"_id": {"$regex": regex}}, {"_id": 1, "expires_at": 1})
                if isinstance(d["_id"], str) and is_live(d)
            ]

    def keys(self, pattern: str = "*") -> list[str]:
        """Live keys matching a Redis-style glob: the server narrows by the glob's literal head."""
        match = compile_glob(pattern).fullmatch
        return sorted(k for k in self._ids(prefix_regex(pattern)) if match(k))

    def scan_prefix(self, prefix: str) -> list[str]:
        return sorted(k for k in self._ids(prefix_regex(prefix, glob=False)) if k.startswith(prefix))

    def ttl(self, key: str) -> int | None:
        with self._guard() as coll:
            return seconds_left(self._live_doc(coll, key, {"expires_at": 1}))

    def expire(self, key: str, ttl: int) -> bool:
        seconds = check_expire_ttl(ttl)
        with self._guard() as coll:
            doc = self._live_doc(coll, key)
            if doc is None:
                return False
            # The whole document is rewritten: a datetime sent through $set arrives as text on nx-27017.
            doc["expires_at"] = now() + timedelta(seconds=seconds)
            coll.replace_one({"_id": key}, doc)
            return True

    def hget(self, key: str, field: str) -> Any | None:
        with self._guard() as coll:
            doc = hash_doc(self._live_doc(coll, key, {"hash": 1, "expires_at": 1}), key)
        return None if doc is None else decode(doc).get(field)

    def hset(self, key: str, field: str, value: Any) -> None:
        name, data = encode_field(field), encode(value)
        with self._guard() as coll:
            if hash_doc(self._live_doc(coll, key, {"hash": 1, "expires_at": 1}), key) is not None:
                coll.update_one({"_id": key}, {"$set": {"hash." + name: data}})  # keeps the TTL, as Redis does
            else:
                coll.replace_one({"_id": key}, {"_id": key, "hash": {name: data}, "expires_at": None}, upsert=True)

    def hgetall(self, key: str) -> dict[str, Any]:
        with self._guard() as coll:
            doc = hash_doc(self._live_doc(coll, key, {"hash": 1, "expires_at": 1}), key)
        return {} if doc is None else decode(doc)

    def hdel(self, key: str, *fields: str) -> int:
        with self._guard() as coll:
            doc = hash_doc(self._live_doc(coll, key, {"hash": 1, "expires_at": 1}), key)
            if doc is None or not fields:
                return 0
            names = {encode_field(f) for f in fields} & set(doc["hash"])
            if names and len(names) == len(doc["hash"]):
                coll.delete_one({"_id": key})  # Redis drops an empty hash
            elif names:
                coll.update_one({"_id": key}, {"$unset": {"hash." + n: "" for n in names}})
            return len(names)

    def clear(self) -> int:
        """Delete every key of this store's collection."""
        with self._guard() as coll:
            return int(coll.delete_many({}).deleted_count)

    def close(self) -> None:
        """Close the client's connection pool."""
        self._client.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(url={mask_url(self.url)!r}, database={self.database!r}, collection={self.collection!r})"
