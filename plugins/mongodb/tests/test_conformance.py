"""The conformance suite of praisonai-persist-testkit, run against the mongodb state store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from praisonai_persist_mongodb import MongodbStateStore
from praisonai_persist_testkit import StateStoreTests


class TestMongodbStateStore(StateStoreTests):
    """Every contract test of the testkit, on an empty store isolated for each test."""

    backend = "mongodb"
    # TODO: the real engine the tests talk to, shown in the end-of-run report ("Redis 7 server").
    engine = "Mongodb"

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[MongodbStateStore]:
        # TODO: isolate each test (own database, table prefix, collection or key prefix) and
        # remove what it created in the finally block.
        store = MongodbStateStore(url=str(tmp_path / "mongodb"))
        try:
            yield store
        finally:
            store.close()
