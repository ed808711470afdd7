"""The conformance suite of praisonai-persist-testkit, run against the turso conversation store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from praisonai_persist_testkit import ConversationStoreTests
from praisonai_persist_turso import TursoConversationStore


class TestTursoConversationStore(ConversationStoreTests):
    """Every contract test of the testkit, on an empty store isolated for each test."""

    backend = "turso"
    # TODO: the real engine the tests talk to, shown in the end-of-run report ("Redis 7 server").
    engine = "Turso"

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[TursoConversationStore]:
        # TODO: isolate each test (own database, table prefix, collection or key prefix) and
        # remove what it created in the finally block.
        store = TursoConversationStore(url=str(tmp_path / "turso"))
        try:
            yield store
        finally:
            store.close()
