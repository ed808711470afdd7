"""The testkit's conformance suite run against core's built-in stores and the as_async/as_sync adapters.

Each fixture gives every test its own files under ``tmp_path`` (SQLite database, JSON directory,
state file) or a fresh in-process store, and closes the store afterwards.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from praisonai_persist.adapters import as_async, as_sync
from praisonai_persist.backends.async_sqlite import AsyncSQLiteConversationStore
from praisonai_persist.backends.json_store import JSONConversationStore
from praisonai_persist.backends.memory_knowledge import MemoryKnowledgeStore
from praisonai_persist.backends.memory_state import MemoryStateStore
from praisonai_persist.backends.sqlite import SQLiteConversationStore, SyncSQLiteConversationStore
from praisonai_persist_testkit import (
    AsyncConversationStoreTests,
    AsyncKnowledgeStoreTests,
    AsyncStateStoreTests,
    ConversationStoreTests,
    KnowledgeStoreTests,
    StateStoreTests,
    unique_name,
)


def _closing(store: Any) -> Iterator[Any]:
    try:
        yield store
    finally:
        store.close()


async def _aclosing(store: Any) -> AsyncIterator[Any]:
    try:
        yield store
    finally:
        await store.close()


# Conversation -------------------------------------------------------------------------------


class TestSQLiteConversationStore(ConversationStoreTests):
    backend = "sqlite"
    engine = "SQLite file"

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[SQLiteConversationStore]:
        # A table prefix of its own too, so the prefix code path is what the contract checks.
        yield from _closing(SQLiteConversationStore(path=tmp_path / "conv.db", table_prefix=unique_name("t") + "_"))


class TestSyncSQLiteConversationStore(ConversationStoreTests):
    backend = "sync_sqlite"
    engine = "SQLite file"

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[SyncSQLiteConversationStore]:
        yield from _closing(SyncSQLiteConversationStore(path=tmp_path / "conv.db"))


class TestAsyncSQLiteConversationStore(AsyncConversationStoreTests):
    backend = "async_sqlite"
    engine = "SQLite file"

    @pytest_asyncio.fixture
    async def store(self, tmp_path: Path) -> AsyncIterator[AsyncSQLiteConversationStore]:
        async for store in _aclosing(AsyncSQLiteConversationStore(path=tmp_path / "conv.db")):
            yield store


class TestJSONConversationStore(ConversationStoreTests):
    backend = "json"
    engine = "JSON files"

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[JSONConversationStore]:
        yield from _closing(JSONConversationStore(path=tmp_path / "sessions"))


class TestAsSyncAsyncSQLiteConversationStore(ConversationStoreTests):
    backend = "as_sync(async_sqlite)"
    engine = "SQLite file"

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[Any]:
        yield from _closing(as_sync(AsyncSQLiteConversationStore(path=tmp_path / "conv.db")))


class TestAsAsyncSQLiteConversationStore(AsyncConversationStoreTests):
    backend = "as_async(sqlite)"
    engine = "SQLite file"

    @pytest_asyncio.fixture
    async def store(self, tmp_path: Path) -> AsyncIterator[Any]:
        async for store in _aclosing(as_async(SQLiteConversationStore(path=tmp_path / "conv.db"))):
            yield store


# Knowledge ----------------------------------------------------------------------------------


class TestMemoryKnowledgeStore(KnowledgeStoreTests):
    backend = "memory"
    engine = "in-process memory"

    @pytest.fixture
    def store(self) -> Iterator[MemoryKnowledgeStore]:
        yield from _closing(MemoryKnowledgeStore())


class TestAsAsyncMemoryKnowledgeStore(AsyncKnowledgeStoreTests):
    backend = "as_async(memory)"
    engine = "in-process memory"

    @pytest_asyncio.fixture
    async def store(self) -> AsyncIterator[Any]:
        async for store in _aclosing(as_async(MemoryKnowledgeStore())):
            yield store


# State --------------------------------------------------------------------------------------


class TestMemoryStateStore(StateStoreTests):
    backend = "memory"
    engine = "in-process memory"

    @pytest.fixture
    def store(self) -> Iterator[MemoryStateStore]:
        yield from _closing(MemoryStateStore())


class TestFileMemoryStateStore(StateStoreTests):
    backend = "memory (path=)"
    engine = "JSON file"

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[MemoryStateStore]:
        yield from _closing(MemoryStateStore(path=tmp_path / "state.json"))


class TestAsAsyncMemoryStateStore(AsyncStateStoreTests):
    backend = "as_async(memory)"
    engine = "in-process memory"

    @pytest_asyncio.fixture
    async def store(self) -> AsyncIterator[Any]:
        async for store in _aclosing(as_async(MemoryStateStore())):
            yield store
