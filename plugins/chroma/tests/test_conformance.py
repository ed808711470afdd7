"""The conformance suite of praisonai-persist-testkit, run against the chroma knowledge store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from praisonai_persist_chroma import ChromaKnowledgeStore
from praisonai_persist_testkit import KnowledgeStoreTests


class TestChromaKnowledgeStore(KnowledgeStoreTests):
    """Every contract test of the testkit, on an empty store isolated for each test."""

    backend = "chroma"
    # TODO: the real engine the tests talk to, shown in the end-of-run report ("Redis 7 server").
    engine = "Chroma"

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[ChromaKnowledgeStore]:
        # TODO: isolate each test (own database, table prefix, collection or key prefix) and
        # remove what it created in the finally block.
        store = ChromaKnowledgeStore(url=str(tmp_path / "chroma"))
        try:
            yield store
        finally:
            store.close()
