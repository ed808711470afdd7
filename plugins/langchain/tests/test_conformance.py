"""The conformance suite of praisonai-persist-testkit, run against the langchain knowledge store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from praisonai_persist_langchain import LangchainKnowledgeStore
from praisonai_persist_testkit import KnowledgeStoreTests


class TestLangchainKnowledgeStore(KnowledgeStoreTests):
    """Every contract test of the testkit, on an empty store isolated for each test."""

    backend = "langchain"
    # TODO: the real engine the tests talk to, shown in the end-of-run report ("Redis 7 server").
    engine = "Langchain"

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[LangchainKnowledgeStore]:
        # TODO: isolate each test (own database, table prefix, collection or key prefix) and
        # remove what it created in the finally block.
        store = LangchainKnowledgeStore(url=str(tmp_path / "langchain"))
        try:
            yield store
        finally:
            store.close()
