"""The testkit's state contract against the upstash stores (sync and async).

They talk HTTP to a test-owned Upstash REST front (conftest.py) that runs every command on the
machine's real Redis 7 server. The upstash_vector knowledge store: tests/test_vector.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from praisonai_persist_testkit import AsyncStateStoreTests, StateStoreTests
from praisonai_persist_testkit.engines import tcp_answers
from praisonai_persist_upstash import AsyncUpstashStateStore, UpstashStateStore

ENGINE = "Upstash REST protocol (test-owned front) over the Redis 7 server at 127.0.0.1:6379"
SKIP = (
    None if tcp_answers("127.0.0.1", 6379) else "Redis does not answer on 127.0.0.1:6379: `tools/engines.sh up redis`"
)


class TestUpstashStateStore(StateStoreTests):
    """Every state contract test; each test has its own key prefix, removed afterwards."""

    backend = "upstash"
    engine = ENGINE
    required_in_ci = True
    skip_reason = SKIP

    @pytest.fixture
    def store(self, upstash_front: str, upstash_token: str, key_prefix: str) -> Iterator[UpstashStateStore]:
        store = UpstashStateStore(upstash_front, token=upstash_token, key_prefix=key_prefix)
        try:
            yield store
        finally:
            store.clear()
            store.close()


class TestAsyncUpstashStateStore(AsyncStateStoreTests):
    """The same contract through upstash_redis.asyncio."""

    backend = "async upstash"
    engine = ENGINE
    required_in_ci = True
    skip_reason = SKIP

    @pytest.fixture
    async def store(
        self, upstash_front: str, upstash_token: str, key_prefix: str
    ) -> AsyncIterator[AsyncUpstashStateStore]:
        store = AsyncUpstashStateStore(upstash_front, token=upstash_token, key_prefix=key_prefix)
        try:
            yield store
        finally:
            await store.clear()
            await store.close()
