"""The conformance suite of praisonai-persist-testkit, run against the chroma knowledge stores.

Twice over: the embedded engine (PersistentClient on a fresh directory per test) and Chroma's
own server started by tools/engines.sh (a fresh database per test, dropped afterwards); each in
its sync and async form.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from praisonai_persist_chroma import AsyncChromaKnowledgeStore, ChromaKnowledgeStore
from praisonai_persist_testkit import AsyncKnowledgeStoreTests, KnowledgeStoreTests
from praisonai_persist_testkit.engines import engine_skip_reason


class TestChromaEmbedded(KnowledgeStoreTests):
    """Every contract test on the embedded engine, a fresh directory for each test."""

    backend = "chroma"
    engine = "Chroma embedded (PersistentClient, local directory)"

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[ChromaKnowledgeStore]:
        store = ChromaKnowledgeStore(path=str(tmp_path / "chroma"))
        try:
            yield store
        finally:
            store.close()


class TestChromaServer(KnowledgeStoreTests):
    """Every contract test against `chroma run` over HTTP, a fresh database for each test."""

    backend = "chroma"
    engine = "Chroma server (chroma run, HttpClient)"
    required_in_ci = True
    skip_reason = engine_skip_reason("chroma")

    @pytest.fixture
    def store(self, chroma_server_database: tuple[str, str]) -> Iterator[ChromaKnowledgeStore]:
        url, database = chroma_server_database
        store = ChromaKnowledgeStore(url=url, database=database)
        try:
            yield store
        finally:
            store.close()


class TestAsyncChromaEmbedded(AsyncKnowledgeStoreTests):
    """The async contract on the embedded engine (sync client calls offloaded to threads)."""

    backend = "async_chroma"
    engine = "Chroma embedded (PersistentClient via asyncio.to_thread)"

    @pytest_asyncio.fixture
    async def store(self, tmp_path: Path) -> AsyncIterator[AsyncChromaKnowledgeStore]:
        store = AsyncChromaKnowledgeStore(path=str(tmp_path / "chroma"))
        try:
            yield store
        finally:
            await store.close()


class TestAsyncChromaServer(AsyncKnowledgeStoreTests):
    """The async contract against `chroma run` with Chroma's native AsyncHttpClient."""

    backend = "async_chroma"
    engine = "Chroma server (chroma run, AsyncHttpClient)"
    required_in_ci = True
    skip_reason = engine_skip_reason("chroma")

    @pytest_asyncio.fixture
    async def store(self, chroma_server_database: tuple[str, str]) -> AsyncIterator[AsyncChromaKnowledgeStore]:
        url, database = chroma_server_database
        store = AsyncChromaKnowledgeStore(url=url, database=database)
        try:
            yield store
        finally:
            await store.close()
