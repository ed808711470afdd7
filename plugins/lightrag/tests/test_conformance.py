"""The conformance suite of praisonai-persist-testkit, run against the lightrag knowledge store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from praisonai_persist_lightrag import LightragKnowledgeStore
from praisonai_persist_testkit import KnowledgeStoreTests


class TestLightragKnowledgeStore(KnowledgeStoreTests):
    """Every contract test of the testkit, on an empty store isolated for each test."""

    backend = "lightrag"
    # TODO: the real engine the tests talk to, shown in the end-of-run report ("Redis 7 server").
    engine = "Lightrag"

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[LightragKnowledgeStore]:
        # TODO: isolate each test (own database, table prefix, collection or key prefix) and
        # remove what it created in the finally block.
        store = LightragKnowledgeStore(url=str(tmp_path / "lightrag"))
        try:
            yield store
        finally:
            store.close()
