"""The conformance suite through the ``supabase`` backend.

Here it runs against the machine's PostgreSQL 15 (a Supabase database is a PostgreSQL
connection; this verifies the backend's code path, not Supabase's hosting). With
``SUPABASE_DB_URL`` set it also runs against that live project. Each test uses its own
schema, dropped afterwards.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio

from praisonai_persist_supabase import AsyncSupabaseConversationStore, SupabaseConversationStore
from praisonai_persist_testkit import AsyncConversationStoreTests, ConversationStoreTests
from praisonai_persist_testkit.engines import tcp_answers
from praisonai_persist_testkit.servers import postgres_schema

LOCAL_URL = os.environ.get("PRAISONAI_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
LIVE_URL = os.environ.get("SUPABASE_DB_URL")
LOCAL_SKIP = (
    None
    if tcp_answers("127.0.0.1", 5432) or "PRAISONAI_TEST_POSTGRES_URL" in os.environ
    else (
        "PostgreSQL is not answering at 127.0.0.1:5432 (start the machine's server or set PRAISONAI_TEST_POSTGRES_URL)"
    )
)
LOCAL_ENGINE = "PostgreSQL 15 server (local stand-in for Supabase)"


class TestSupabaseConversationStore(ConversationStoreTests):
    """Sync contract through the supabase backend, on the local PostgreSQL."""

    backend = "supabase"
    engine = LOCAL_ENGINE
    required_in_ci = True
    skip_reason = LOCAL_SKIP
    url = LOCAL_URL

    @pytest.fixture
    def store(self) -> Iterator[SupabaseConversationStore]:
        with postgres_schema(self.url) as schema:
            store = SupabaseConversationStore(self.url, schema=schema)
            try:
                yield store
            finally:
                store.close()


class TestAsyncSupabaseConversationStore(AsyncConversationStoreTests):
    """Async contract through the supabase backend, on the local PostgreSQL."""

    backend = "async_supabase"
    engine = LOCAL_ENGINE
    required_in_ci = True
    skip_reason = LOCAL_SKIP
    url = LOCAL_URL

    @pytest_asyncio.fixture
    async def store(self) -> AsyncIterator[AsyncSupabaseConversationStore]:
        with postgres_schema(self.url) as schema:
            store = AsyncSupabaseConversationStore(self.url, schema=schema)
            try:
                yield store
            finally:
                await store.close()


class TestLiveSupabaseConversationStore(TestSupabaseConversationStore):
    """Sync contract against a real Supabase project, when its URL is in the environment."""

    backend = "supabase (live)"
    engine = "Supabase (live project)"
    required_in_ci = False
    skip_reason = None if LIVE_URL else "SUPABASE_DB_URL is not set: no live Supabase project to test against"
    url = LIVE_URL or ""
