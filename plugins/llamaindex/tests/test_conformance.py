"""The conformance suite of praisonai-persist-testkit, run against the llamaindex knowledge store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from praisonai_persist_llamaindex import LlamaindexKnowledgeStore
from praisonai_persist_testkit import KnowledgeStoreTests


class TestLlamaindexKnowledgeStore(KnowledgeStoreTests):
    """Every contract test of the testkit, on an empty store isolated for each test."""

    backend = "llamaindex"
    # TODO: the real engine the tests talk to, shown in the end-of-run report ("Redis 7 server").
    engine = "Llamaindex"

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[LlamaindexKnowledgeStore]:
        # TODO: isolate each test (own database, table prefix, collection or key prefix) and
        # remove what it created in the finally block.
        store = LlamaindexKnowledgeStore(url=str(tmp_path / "llamaindex"))
        try:
            yield store
        finally:
            store.close()
