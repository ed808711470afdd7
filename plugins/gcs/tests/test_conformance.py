"""The conformance suite of praisonai-persist-testkit, run against the gcs state store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from praisonai_persist_gcs import GcsStateStore
from praisonai_persist_testkit import StateStoreTests


class TestGcsStateStore(StateStoreTests):
    """Every contract test of the testkit, on an empty store isolated for each test."""

    backend = "gcs"
    # TODO: the real engine the tests talk to, shown in the end-of-run report ("Redis 7 server").
    engine = "Gcs"

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[GcsStateStore]:
        # TODO: isolate each test (own database, table prefix, collection or key prefix) and
        # remove what it created in the finally block.
        store = GcsStateStore(url=str(tmp_path / "gcs"))
        try:
            yield store
        finally:
            store.close()
