"""The conformance suite of praisonai-persist-testkit, run against the mysql conversation store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from praisonai_persist_mysql import MysqlConversationStore
from praisonai_persist_testkit import ConversationStoreTests


class TestMysqlConversationStore(ConversationStoreTests):
    """Every contract test of the testkit, on an empty store isolated for each test."""

    backend = "mysql"
    # TODO: the real engine the tests talk to, shown in the end-of-run report ("Redis 7 server").
    engine = "Mysql"

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[MysqlConversationStore]:
        # TODO: isolate each test (own database, table prefix, collection or key prefix) and
        # remove what it created in the finally block.
        store = MysqlConversationStore(url=str(tmp_path / "mysql"))
        try:
            yield store
        finally:
            store.close()
