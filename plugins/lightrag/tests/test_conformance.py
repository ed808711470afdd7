"""The testkit's knowledge contract on the lightrag adapter: LightRAG's default storages (JSON KV +
NanoVectorDB files) in a temporary working directory, built offline (see conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from praisonai_persist_lightrag import AsyncLightragKnowledgeStore, LightragKnowledgeStore
from praisonai_persist_testkit import AsyncKnowledgeStoreTests, KnowledgeStoreTests, unique_name

ENGINE = "LightRAG (lightrag-hku) JsonKVStorage + NanoVectorDBStorage, offline"
# NanoVectorDB ranks normalised float32 vectors: scores agree with float64 math to ~1e-7.
CAPABILITIES = {"distances": {"cosine"}, "score_tolerance": 1e-5}


class TestAsyncLightragKnowledgeStore(AsyncKnowledgeStoreTests):
    """Every knowledge contract test on the native (asyncio) store."""

    backend = "lightrag"
    engine = ENGINE
    capabilities = CAPABILITIES

    @pytest_asyncio.fixture
    async def store(
        self, tmp_path: Path, offline_options: Callable[..., Any]
    ) -> AsyncIterator[AsyncLightragKnowledgeStore]:
        store = AsyncLightragKnowledgeStore(**offline_options(str(tmp_path / "rag"), unique_name("w")))
        try:
            yield store
        finally:
            for name in await store.list_collections():
                await store.delete_collection(name)
            await store.close()


class TestLightragKnowledgeStore(KnowledgeStoreTests):
    """The same contract through the sync form (the async store on the bridge loop)."""

    backend = "lightrag (sync)"
    engine = ENGINE
    capabilities = CAPABILITIES

    @pytest.fixture
    def store(self, tmp_path: Path, offline_options: Callable[..., Any]) -> Iterator[LightragKnowledgeStore]:
        store = LightragKnowledgeStore(**offline_options(str(tmp_path / "rag"), unique_name("w")))
        try:
            yield store
        finally:
            for name in store.list_collections():
                store.delete_collection(name)
            store.close()
