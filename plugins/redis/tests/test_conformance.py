"""The conformance suite of praisonai-persist-testkit, run against the redis state store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from praisonai_persist_redis import RedisStateStore
from praisonai_persist_testkit import StateStoreTests


class TestRedisStateStore(StateStoreTests):
    """Every contract test of the testkit, on an empty store isolated for each test."""

    backend = "redis"
    # TODO: the real engine the tests talk to, shown in the end-of-run report ("Redis 7 server").
    engine = "Redis"

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[RedisStateStore]:
        # TODO: isolate each test (own database, table prefix, collection or key prefix) and
        # remove what it created in the finally block.
        store = RedisStateStore(url=str(tmp_path / "redis"))
        try:
            yield store
        finally:
            store.close()
