"""The conformance suite of praisonai-persist-testkit, run against the lancedb knowledge stores.

Embedded LanceDB on a fresh directory per test, sync and native async.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from praisonai_persist_lancedb import AsyncLancedbKnowledgeStore, LancedbKnowledgeStore
from praisonai_persist_testkit import AsyncKnowledgeStoreTests, KnowledgeStoreTests


class TestLancedbKnowledgeStore(KnowledgeStoreTests):
    """Every contract test of the testkit, on an empty LanceDB directory for each test."""

    backend = "lancedb"
    engine = "LanceDB embedded (lancedb, local directory)"

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[LancedbKnowledgeStore]:
        store = LancedbKnowledgeStore(path=str(tmp_path / "lancedb"))
        try:
            yield store
        finally:
            store.close()


class TestAsyncLancedbKnowledgeStore(AsyncKnowledgeStoreTests):
    """The async contract on LanceDB's native async API (lancedb.connect_async)."""

    backend = "async_lancedb"
    engine = "LanceDB embedded (lancedb.connect_async, local directory)"

    @pytest_asyncio.fixture
    async def store(self, tmp_path: Path) -> AsyncIterator[AsyncLancedbKnowledgeStore]:
        store = AsyncLancedbKnowledgeStore(path=str(tmp_path / "lancedb"))
        try:
            yield store
        finally:
            await store.close()
