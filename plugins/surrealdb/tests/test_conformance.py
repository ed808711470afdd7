"""The conformance suite of praisonai-persist-testkit, run against the surrealdb knowledge store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from praisonai_persist_surrealdb import SurrealdbKnowledgeStore
from praisonai_persist_testkit import KnowledgeStoreTests


class TestSurrealdbKnowledgeStore(KnowledgeStoreTests):
    """Every contract test of the testkit, on an empty store isolated for each test."""

    backend = "surrealdb"
    # TODO: the real engine the tests talk to, shown in the end-of-run report ("Redis 7 server").
    engine = "Surrealdb"

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[SurrealdbKnowledgeStore]:
        # TODO: isolate each test (own database, table prefix, collection or key prefix) and
        # remove what it created in the finally block.
        store = SurrealdbKnowledgeStore(url=str(tmp_path / "surrealdb"))
        try:
            yield store
        finally:
            store.close()
