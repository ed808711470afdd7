"""The testkit's knowledge contract on the pgvector stores (sync and async), each test in its own schema
on the PostgreSQL 16 + pgvector server that tools/engines.d/pgvector.sh starts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from praisonai_persist_pgvector import AsyncPgvectorKnowledgeStore, PgvectorKnowledgeStore
from praisonai_persist_testkit import AsyncKnowledgeStoreTests, KnowledgeStoreTests
from praisonai_persist_testkit.engines import engine_port, engine_skip_reason
from praisonai_persist_testkit.servers import postgres_schema

ENGINE = "PostgreSQL 16 + pgvector 0.6 (pgserver wheel, tools/engines.sh up pgvector)"
SKIP_REASON = engine_skip_reason("pgvector", "PostgreSQL 16 with pgvector")


def server_url() -> str:
    """URL of the pgvector engine (trust authentication on loopback)."""
    return f"postgresql://postgres@127.0.0.1:{engine_port('pgvector')}/postgres"


@pytest.fixture
def pg_url() -> str:
    if SKIP_REASON:
        pytest.skip(SKIP_REASON)
    return server_url()


@pytest.fixture
def pg_schema(pg_url: str) -> Iterator[str]:
    """A schema of this test's own, dropped with everything in it afterwards."""
    with postgres_schema(pg_url) as name:
        yield name


class TestPgvectorKnowledgeStore(KnowledgeStoreTests):
    """Every contract test on the sync store (psycopg 3), each test in its own schema."""

    backend = "pgvector"
    engine = ENGINE
    required_in_ci = True
    skip_reason = SKIP_REASON

    @pytest.fixture
    def store(self, pg_url: str, pg_schema: str) -> Iterator[PgvectorKnowledgeStore]:
        store = PgvectorKnowledgeStore(pg_url, schema=pg_schema)
        try:
            yield store
        finally:
            store.close()


class TestAsyncPgvectorKnowledgeStore(AsyncKnowledgeStoreTests):
    """The same contract through psycopg 3's native AsyncConnection."""

    backend = "async_pgvector"
    engine = ENGINE
    required_in_ci = True
    skip_reason = SKIP_REASON

    @pytest.fixture
    async def store(self, pg_url: str, pg_schema: str) -> AsyncIterator[AsyncPgvectorKnowledgeStore]:
        store = AsyncPgvectorKnowledgeStore(pg_url, schema=pg_schema)
        try:
            yield store
        finally:
            await store.close()
