"""The testkit's knowledge contract on the ClickHouse store, against chDB (the ClickHouse engine in-process).

One chDB data directory serves the module (chDB keeps one engine per process); each test has its
own database, dropped afterwards. The async class runs the sync store offloaded to a worker
thread (``praisonai_persist.as_async``): chDB has no async API.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from praisonai_persist import as_async
from praisonai_persist_clickhouse import ClickhouseKnowledgeStore
from praisonai_persist_clickhouse.engine import ChdbExecutor
from praisonai_persist_testkit import AsyncKnowledgeStoreTests, KnowledgeStoreTests

ENGINE = "chDB 4 (ClickHouse 26 engine in-process)"


@pytest.fixture(scope="module")
def chdb_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("chdb")
    keeper = ChdbExecutor(str(path))  # keeps the engine open for the whole module
    try:
        yield path
    finally:
        keeper.close()


@pytest.fixture
def database(chdb_path: Path) -> Iterator[str]:
    name = f"t_{uuid.uuid4().hex[:16]}"
    try:
        yield name
    finally:
        executor = ChdbExecutor(str(chdb_path))
        try:
            executor.command(f"DROP DATABASE IF EXISTS `{name}`")
        finally:
            executor.close()


class TestClickhouseKnowledgeStore(KnowledgeStoreTests):
    """Every contract test on the sync store; each test has its own database."""

    backend = "clickhouse"
    engine = ENGINE

    @pytest.fixture
    def store(self, chdb_path: Path, database: str) -> Iterator[ClickhouseKnowledgeStore]:
        store = ClickhouseKnowledgeStore(f"chdb://{chdb_path}", database=database)
        try:
            yield store
        finally:
            store.close()


class TestAsyncClickhouseKnowledgeStore(AsyncKnowledgeStoreTests):
    """The same contract on the sync store offloaded to threads (as_async)."""

    backend = "clickhouse (as_async)"
    engine = ENGINE

    @pytest.fixture
    async def store(self, chdb_path: Path, database: str) -> AsyncIterator[Any]:
        store = ClickhouseKnowledgeStore(f"chdb://{chdb_path}", database=database)
        try:
            yield as_async(store)
        finally:
            store.close()
