"""The conformance suite of praisonai-persist-testkit, run against the firestore state store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from praisonai_persist_firestore import FirestoreStateStore
from praisonai_persist_testkit import StateStoreTests


class TestFirestoreStateStore(StateStoreTests):
    """Every contract test of the testkit, on an empty store isolated for each test."""

    backend = "firestore"
    # TODO: the real engine the tests talk to, shown in the end-of-run report ("Redis 7 server").
    engine = "Firestore"

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[FirestoreStateStore]:
        # TODO: isolate each test (own database, table prefix, collection or key prefix) and
        # remove what it created in the finally block.
        store = FirestoreStateStore(url=str(tmp_path / "firestore"))
        try:
            yield store
        finally:
            store.close()
