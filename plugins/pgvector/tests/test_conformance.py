"""The conformance suite of praisonai-persist-testkit, run against the pgvector knowledge store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from praisonai_persist_pgvector import PgvectorKnowledgeStore
from praisonai_persist_testkit import KnowledgeStoreTests


class TestPgvectorKnowledgeStore(KnowledgeStoreTests):
    """Every contract test of the testkit, on an empty store isolated for each test."""

    backend = "pgvector"
    # TODO: the real engine the tests talk to, shown in the end-of-run report ("Redis 7 server").
    engine = "Pgvector"

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[PgvectorKnowledgeStore]:
        # TODO: isolate each test (own database, table prefix, collection or key prefix) and
        # remove what it created in the finally block.
        store = PgvectorKnowledgeStore(url=str(tmp_path / "pgvector"))
        try:
            yield store
        finally:
            store.close()
