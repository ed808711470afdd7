"""The testkit's conformance suite against the machine's PostgreSQL 15, sync and async.

Every test gets its own schema, dropped afterwards.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio

from praisonai_persist_postgres import AsyncPostgresConversationStore, PostgresConversationStore
from praisonai_persist_testkit import AsyncConversationStoreTests, ConversationStoreTests
from praisonai_persist_testkit.engines import tcp_answers

PG_URL = os.environ.get("PRAISONAI_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")

ENGINE = "PostgreSQL 15 server"
SKIP = "PostgreSQL is not answering at 127.0.0.1:5432 (start the machine's server or set PRAISONAI_TEST_POSTGRES_URL)"


class TestPostgresConversationStore(ConversationStoreTests):
    """Every contract test of the testkit, sync, each in a fresh schema."""

    backend = "postgres"
    engine = ENGINE
    required_in_ci = True
    skip_reason = None if tcp_answers("127.0.0.1", 5432) or "PRAISONAI_TEST_POSTGRES_URL" in os.environ else SKIP

    @pytest.fixture
    def store(self, schema: str) -> Iterator[PostgresConversationStore]:
        store = PostgresConversationStore(PG_URL, schema=schema)
        try:
            yield store
        finally:
            store.close()


class TestAsyncPostgresConversationStore(AsyncConversationStoreTests):
    """Every contract test of the testkit, async, each in a fresh schema."""

    backend = "async_postgres"
    engine = ENGINE
    required_in_ci = True
    skip_reason = None if tcp_answers("127.0.0.1", 5432) or "PRAISONAI_TEST_POSTGRES_URL" in os.environ else SKIP

    @pytest_asyncio.fixture
    async def store(self, schema: str) -> AsyncIterator[AsyncPostgresConversationStore]:
        store = AsyncPostgresConversationStore(PG_URL, schema=schema)
        try:
            yield store
        finally:
            await store.close()
