"""The testkit's state contract against the mongodb stores (sync and async) on nx-27017.

nx-27017 is a MongoDB wire-protocol server (SQLite underneath, from PyPI): no mongod runs on this
machine. The vector store needs Atlas ($vectorSearch): its contract runs when MONGODB_ATLAS_URL
is set (tests/test_vector.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from praisonai_persist_mongodb import AsyncMongoDBStateStore, MongoDBStateStore
from praisonai_persist_testkit import AsyncStateStoreTests, StateStoreTests
from praisonai_persist_testkit.engines import engine_skip_reason

ENGINE = "nx-27017 (MongoDB wire-protocol server on SQLite, not mongod), tools/engines.d/nx27017.sh"
SKIP = engine_skip_reason("nx27017", "nx-27017 (MongoDB wire protocol)")


class TestMongoDBStateStore(StateStoreTests):
    """Every state contract test; each test has a database of its own, dropped afterwards."""

    backend = "mongodb"
    engine = ENGINE
    required_in_ci = True
    skip_reason = SKIP

    @pytest.fixture
    def store(self, mongo_url: str, database: str) -> Iterator[MongoDBStateStore]:
        store = MongoDBStateStore(mongo_url, database=database)
        try:
            yield store
        finally:
            store._client.drop_database(database)
            store.close()


class TestAsyncMongoDBStateStore(AsyncStateStoreTests):
    """The same contract through pymongo's native AsyncMongoClient."""

    backend = "async_mongodb"
    engine = ENGINE
    required_in_ci = True
    skip_reason = SKIP

    @pytest.fixture
    async def store(self, mongo_url: str, database: str) -> AsyncIterator[AsyncMongoDBStateStore]:
        store = AsyncMongoDBStateStore(mongo_url, database=database)
        try:
            yield store
        finally:
            await store._client.drop_database(database)
            await store.close()
