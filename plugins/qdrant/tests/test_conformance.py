"""The conformance suite of praisonai-persist-testkit, run against the qdrant knowledge stores.

Qdrant's local mode (the client's embedded engine) on a fresh directory per test, sync and async.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from praisonai_persist_qdrant import AsyncQdrantKnowledgeStore, QdrantKnowledgeStore
from praisonai_persist_testkit import AsyncKnowledgeStoreTests, KnowledgeStoreTests


class TestQdrantKnowledgeStore(KnowledgeStoreTests):
    """Every contract test of the testkit, on an empty local-mode directory for each test."""

    backend = "qdrant"
    engine = "Qdrant local mode (qdrant-client, on disk)"

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[QdrantKnowledgeStore]:
        store = QdrantKnowledgeStore(path=str(tmp_path / "qdrant"))
        try:
            yield store
        finally:
            store.close()


class TestAsyncQdrantKnowledgeStore(AsyncKnowledgeStoreTests):
    """The async contract on AsyncQdrantClient's local mode."""

    backend = "async_qdrant"
    engine = "Qdrant local mode (AsyncQdrantClient, on disk)"

    @pytest_asyncio.fixture
    async def store(self, tmp_path: Path) -> AsyncIterator[AsyncQdrantKnowledgeStore]:
        store = AsyncQdrantKnowledgeStore(path=str(tmp_path / "qdrant"))
        try:
            yield store
        finally:
            await store.close()
