"""The testkit's knowledge contract on the Milvus store, against Milvus Lite 2.5 (the real Milvus core).

One Milvus Lite database file serves the whole module (starting Milvus Lite takes seconds); each
test gets its own collection prefix and drops its collections afterwards. The async class runs the
sync store offloaded to a worker thread (``praisonai_persist.as_async``): pymilvus' async client
does not serve Milvus Lite files.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from praisonai_persist import as_async
from praisonai_persist_milvus import MilvusKnowledgeStore
from praisonai_persist_testkit import AsyncKnowledgeStoreTests, KnowledgeStoreTests

ENGINE = "Milvus Lite 2.5 (embedded Milvus core, local file)"
#: Milvus Lite deletes by primary key through SQL it formats unescaped, so the store refuses ids
#: holding a single quote there (Milvus servers bind them); everything else is the full contract.
CAPABILITIES = {"single_quote_ids": False}


@pytest.fixture(scope="module")
def milvus_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("milvus") / "lite.db"


def _store(path: Path) -> MilvusKnowledgeStore:
    return MilvusKnowledgeStore(str(path), collection_prefix=f"t{uuid.uuid4().hex[:12]}_")


def _drop_all(store: MilvusKnowledgeStore) -> None:
    for name in store.list_collections():
        store.delete_collection(name)


class TestMilvusKnowledgeStore(KnowledgeStoreTests):
    """Every contract test on the sync store; each test has its own collection prefix."""

    backend = "milvus"
    engine = ENGINE
    capabilities = CAPABILITIES

    @pytest.fixture
    def store(self, milvus_path: Path) -> Iterator[MilvusKnowledgeStore]:
        store = _store(milvus_path)
        try:
            yield store
        finally:
            _drop_all(store)
            store.close()


class TestAsyncMilvusKnowledgeStore(AsyncKnowledgeStoreTests):
    """The same contract on the sync store offloaded to threads (as_async)."""

    backend = "milvus (as_async)"
    engine = ENGINE
    capabilities = CAPABILITIES

    @pytest.fixture
    async def store(self, milvus_path: Path) -> AsyncIterator[Any]:
        sync_store = _store(milvus_path)
        try:
            yield as_async(sync_store)
        finally:
            _drop_all(sync_store)
            sync_store.close()
