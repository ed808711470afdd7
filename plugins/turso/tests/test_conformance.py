"""The conformance suite of praisonai-persist-testkit, run against libSQL files through the turso store."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from praisonai_persist import as_async
from praisonai_persist_testkit import AsyncConversationStoreTests, ConversationStoreTests, unique_name
from praisonai_persist_turso import TursoConversationStore


class TestTursoConversationStore(ConversationStoreTests):
    """Every contract test on a local libSQL file of its own."""

    backend = "turso"
    engine = "libSQL file (libsql client)"

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[TursoConversationStore]:
        store = TursoConversationStore(path=tmp_path / "conv.db", table_prefix=unique_name("t") + "_")
        try:
            yield store
        finally:
            store.close()


class TestAsyncTursoConversationStore(AsyncConversationStoreTests):
    """Every contract test on the async form (``mode="async"``: the store through ``as_async``)."""

    backend = "turso (async)"
    engine = "libSQL file (libsql client)"

    @pytest_asyncio.fixture
    async def store(self, tmp_path: Path) -> AsyncIterator[Any]:
        store = as_async(TursoConversationStore(path=tmp_path / "conv.db"))
        try:
            yield store
        finally:
            await store.close()
