"""The redis knowledge store (async, redis.asyncio): Redis 8 vector sets or the Redis Query Engine (FT.*).

The logic lives in :mod:`._kcore` as command plans; this module runs them on redis-py's asyncio client.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from praisonai_persist import AsyncKnowledgeStore, KnowledgeDocument
from praisonai_persist.knowledge import Filters, ScrollPage
from praisonai_persist.models import CollectionInfo
from praisonai_persist.urls import mask_url

from ._common import build_url, connection_error, import_redis, validate_key_prefix
from ._kcore import Command, KnowledgeCore, Op
from .knowledge import DEFAULT_KB_PREFIX

__all__ = ["AsyncRedisKnowledgeStore"]


class AsyncRedisKnowledgeStore(AsyncKnowledgeStore):
    """AsyncKnowledgeStore on Redis: vector sets (Redis 8+) or the Query Engine (RediSearch).

    Options: ``engine`` (``"auto"``: vector sets for cosine collections when the server has them,
    else the Query Engine; or ``"vectorset"`` / ``"query_engine"``), ``key_prefix`` (default
    ``"praison_kb:"``), ``exact`` (vector sets: VSIM ... TRUTH linear scan), ``quantization``
    (vector sets: NOQUANT, Q8, BIN; default NOQUANT), ``ft_algorithm`` (Query Engine: FLAT, exact,
    or HNSW), PraisonAI's ``host``/``port``/``db``/``password``, and redis-py ``from_url`` options.
    """

    backend_name = "redis"

    def __init__(
        self,
        url: str | None = None,
        *,
        engine: str = "auto",
        key_prefix: str = DEFAULT_KB_PREFIX,
        exact: bool = False,
        quantization: str = "NOQUANT",
        ft_algorithm: str = "FLAT",
        host: str | None = None,
        port: int | None = None,
        db: int | None = None,
        password: str | None = None,
        **client_options: Any,
    ) -> None:
        redis = import_redis("knowledge")
        self.url = build_url(url, host, port, db, password)
        self.key_prefix = validate_key_prefix(key_prefix)
        self._core = KnowledgeCore(self.key_prefix, engine, exact, quantization, ft_algorithm)
        self._errors: tuple[type[BaseException], ...] = (redis.ConnectionError, redis.TimeoutError)
        self._response_error: type[BaseException] = redis.ResponseError
        client_options["decode_responses"] = False  # embeddings travel as float32 bytes
        import redis.asyncio as aioredis

        self._client: Any = aioredis.Redis.from_url(self.url, **client_options)

    async def _execute(self, batch: list[Command]) -> list[Any]:
        if len(batch) == 1:
            return [await self._client.execute_command(*batch[0])]
        pipe = self._client.pipeline(transaction=False)
        for command in batch:
            pipe.execute_command(*command)
        return list(await pipe.execute())

    async def _run(self, op: Op) -> Any:
        """Drive a command plan: execute each batch it yields and send back the replies."""
        try:
            batch = next(op)
            while True:
                try:
                    replies = await self._execute(batch)
                except self._errors as exc:
                    raise connection_error(exc, self.url) from None
                except self._response_error as exc:
                    batch = op.throw(exc)
                    continue
                batch = op.send(replies)
        except StopIteration as stop:
            return stop.value

    async def create_collection(
        self, name: str, dimension: int, distance: str = "cosine", metadata: dict[str, Any] | None = None
    ) -> None:
        await self._run(self._core.create_collection(name, dimension, distance, metadata))

    async def delete_collection(self, name: str) -> bool:
        return bool(await self._run(self._core.delete_collection(name)))

    async def collection_exists(self, name: str) -> bool:
        return bool(await self._run(self._core.collection_exists(name)))

    async def list_collections(self) -> list[str]:
        names: list[str] = await self._run(self._core.list_collections())
        return names

    async def insert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        ids: list[str] = await self._run(self._core.write(collection, documents, replace=False))
        return ids

    async def upsert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        ids: list[str] = await self._run(self._core.write(collection, documents, replace=True))
        return ids

    async def search(
        self,
        collection: str,
        query_embedding: Sequence[float],
        limit: int = 5,
        filters: Filters | None = None,
        score_threshold: float | None = None,
    ) -> list[KnowledgeDocument]:
        hits: list[KnowledgeDocument] = await self._run(
            self._core.search(collection, query_embedding, limit, filters, score_threshold)
        )
        return hits

    async def get(self, collection: str, ids: Sequence[str]) -> list[KnowledgeDocument]:
        docs: list[KnowledgeDocument] = await self._run(self._core.get(collection, ids))
        return docs

    async def delete(self, collection: str, ids: Sequence[str] | None = None, filters: Filters | None = None) -> int:
        return int(await self._run(self._core.delete(collection, ids, filters)))

    async def scroll(self, collection: str, limit: int = 256, cursor: str | None = None) -> ScrollPage:
        """One page in id order, embeddings included; the cursor is the page's last id (``ZRANGE ... BYLEX``)."""
        page: ScrollPage = await self._run(self._core.scroll(collection, limit, cursor))
        return page

    async def describe_collection(self, name: str) -> CollectionInfo:
        """Dimension, distance and creation metadata, as recorded when the collection was created."""
        info: CollectionInfo = await self._run(self._core.describe(name))
        return info

    async def count(self, collection: str) -> int:
        return int(await self._run(self._core.count(collection)))

    async def drop_all(self) -> None:
        """Delete every collection and key under this store's prefix."""
        await self._run(self._core.drop_everything())

    async def engine_of(self, collection: str) -> str:
        """``"vectorset"`` or ``"query_engine"``: what the collection was created on."""
        return str((await self._run(self._core.info_op(collection))).engine)

    async def close(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(url={mask_url(self.url)!r}, key_prefix={self.key_prefix!r})"
