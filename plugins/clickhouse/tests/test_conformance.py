"""The conformance suite of praisonai-persist-testkit, run against the clickhouse knowledge store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from praisonai_persist_clickhouse import ClickhouseKnowledgeStore
from praisonai_persist_testkit import KnowledgeStoreTests


class TestClickhouseKnowledgeStore(KnowledgeStoreTests):
    """Every contract test of the testkit, on an empty store isolated for each test."""

    backend = "clickhouse"
    # TODO: the real engine the tests talk to, shown in the end-of-run report ("Redis 7 server").
    engine = "Clickhouse"

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[ClickhouseKnowledgeStore]:
        # TODO: isolate each test (own database, table prefix, collection or key prefix) and
        # remove what it created in the finally block.
        store = ClickhouseKnowledgeStore(url=str(tmp_path / "clickhouse"))
        try:
            yield store
        finally:
            store.close()
