"""The conformance suite of praisonai-persist-testkit, run against the lancedb knowledge store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from praisonai_persist_lancedb import LancedbKnowledgeStore
from praisonai_persist_testkit import KnowledgeStoreTests


class TestLancedbKnowledgeStore(KnowledgeStoreTests):
    """Every contract test of the testkit, on an empty store isolated for each test."""

    backend = "lancedb"
    # TODO: the real engine the tests talk to, shown in the end-of-run report ("Redis 7 server").
    engine = "Lancedb"

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[LancedbKnowledgeStore]:
        # TODO: isolate each test (own database, table prefix, collection or key prefix) and
        # remove what it created in the finally block.
        store = LancedbKnowledgeStore(url=str(tmp_path / "lancedb"))
        try:
            yield store
        finally:
            store.close()
