"""The conformance suite of praisonai-persist-testkit, run against the upstash state store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from praisonai_persist_testkit import StateStoreTests
from praisonai_persist_upstash import UpstashStateStore


class TestUpstashStateStore(StateStoreTests):
    """Every contract test of the testkit, on an empty store isolated for each test."""

    backend = "upstash"
    # TODO: the real engine the tests talk to, shown in the end-of-run report ("Redis 7 server").
    engine = "Upstash"

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[UpstashStateStore]:
        # TODO: isolate each test (own database, table prefix, collection or key prefix) and
        # remove what it created in the finally block.
        store = UpstashStateStore(url=str(tmp_path / "upstash"))
        try:
            yield store
        finally:
            store.close()
