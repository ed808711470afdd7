"""The testkit's conformance suites against the embedded SurrealDB engine (sync and native async)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from praisonai_persist_surrealdb import (
    AsyncSurrealConversationStore,
    AsyncSurrealKnowledgeStore,
    SurrealConversationStore,
    SurrealKnowledgeStore,
)
from praisonai_persist_testkit import (
    AsyncConversationStoreTests,
    AsyncKnowledgeStoreTests,
    ConversationStoreTests,
    KnowledgeStoreTests,
    unique_name,
)

ENGINE = "SurrealDB embedded engine (surrealdb SDK, mem:// and surrealkv://)"


class TestSurrealKnowledgeStore(KnowledgeStoreTests):
    """Every knowledge contract test on a fresh in-memory engine per test."""

    backend = "surrealdb_vector"
    engine = ENGINE

    @pytest.fixture
    def store(self) -> Iterator[SurrealKnowledgeStore]:
        store = SurrealKnowledgeStore("mem://", database=unique_name("kb"))
        try:
            yield store
        finally:
            store.close()


class TestAsyncSurrealKnowledgeStore(AsyncKnowledgeStoreTests):
    """The same contract through the SDK's native async connection, on a surrealkv file engine."""

    backend = "async_surrealdb_vector"
    engine = ENGINE

    @pytest_asyncio.fixture
    async def store(self, tmp_path: Path) -> AsyncIterator[AsyncSurrealKnowledgeStore]:
        store = AsyncSurrealKnowledgeStore(f"surrealkv://{tmp_path / 'kv'}", table_prefix=unique_name("p") + "_")
        try:
            yield store
        finally:
            await store.close()


class TestSurrealConversationStore(ConversationStoreTests):
    """Every conversation contract test, on a surrealkv file engine per test."""

    backend = "surrealdb"
    engine = ENGINE

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[SurrealConversationStore]:
        store = SurrealConversationStore(path=tmp_path / "conv", table_prefix=unique_name("t") + "_")
        try:
            yield store
        finally:
            store.close()


class TestAsyncSurrealConversationStore(AsyncConversationStoreTests):
    """The conversation contract through the native async connection (in-memory engine)."""

    backend = "async_surrealdb"
    engine = ENGINE

    @pytest_asyncio.fixture
    async def store(self) -> AsyncIterator[AsyncSurrealConversationStore]:
        store = AsyncSurrealConversationStore("mem://", database=unique_name("conv"))
        try:
            yield store
        finally:
            await store.close()
