"""The testkit's knowledge contract on the langchain adapter over langchain-core's InMemoryVectorStore.

The async class runs the same store offloaded to a thread (``praisonai_persist.as_async``), which is
how the registry serves ``mode="async"`` for this backend.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio

from praisonai_persist import AsyncKnowledgeStore, as_async
from praisonai_persist_langchain import LangchainKnowledgeStore
from praisonai_persist_testkit import AsyncKnowledgeStoreTests, KnowledgeStoreTests

ENGINE = "langchain-core InMemoryVectorStore"
CAPABILITIES = {"distances": {"cosine"}, "score_tolerance": 1e-6}


class TestLangchainKnowledgeStore(KnowledgeStoreTests):
    """Every knowledge contract test; LangChain's VectorStore API offers the cosine distance only."""

    backend = "langchain"
    engine = ENGINE
    capabilities = CAPABILITIES

    @pytest.fixture
    def store(self) -> Iterator[LangchainKnowledgeStore]:
        store = LangchainKnowledgeStore()
        try:
            yield store
        finally:
            for name in store.list_collections():
                store.delete_collection(name)
            store.close()


class TestAsyncLangchainKnowledgeStore(AsyncKnowledgeStoreTests):
    """The same contract through as_async (the sync adapter offloaded with asyncio.to_thread)."""

    backend = "langchain (as_async)"
    engine = ENGINE
    capabilities = CAPABILITIES

    @pytest_asyncio.fixture
    async def store(self) -> AsyncIterator[AsyncKnowledgeStore]:
        store = as_async(LangchainKnowledgeStore())
        try:
            yield store
        finally:
            for name in await store.list_collections():
                await store.delete_collection(name)
            await store.close()
