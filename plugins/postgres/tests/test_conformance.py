"""The conformance suite of praisonai-persist-testkit, run against the postgres conversation store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from praisonai_persist_postgres import PostgresConversationStore
from praisonai_persist_testkit import ConversationStoreTests


class TestPostgresConversationStore(ConversationStoreTests):
    """Every contract test of the testkit, on an empty store isolated for each test."""

    backend = "postgres"
    # TODO: the real engine the tests talk to, shown in the end-of-run report ("Redis 7 server").
    engine = "Postgres"

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[PostgresConversationStore]:
        # TODO: isolate each test (own database, table prefix, collection or key prefix) and
        # remove what it created in the finally block.
        store = PostgresConversationStore(url=str(tmp_path / "postgres"))
        try:
            yield store
        finally:
            store.close()
