"""The conformance suite of praisonai-persist-testkit, run against the singlestore conversation store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from praisonai_persist_singlestore import SinglestoreConversationStore
from praisonai_persist_testkit import ConversationStoreTests


class TestSinglestoreConversationStore(ConversationStoreTests):
    """Every contract test of the testkit, on an empty store isolated for each test."""

    backend = "singlestore"
    # TODO: the real engine the tests talk to, shown in the end-of-run report ("Redis 7 server").
    engine = "Singlestore"

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[SinglestoreConversationStore]:
        # TODO: isolate each test (own database, table prefix, collection or key prefix) and
        # remove what it created in the finally block.
        store = SinglestoreConversationStore(url=str(tmp_path / "singlestore"))
        try:
            yield store
        finally:
            store.close()
