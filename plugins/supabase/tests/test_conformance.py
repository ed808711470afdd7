"""The conformance suite of praisonai-persist-testkit, run against the supabase conversation store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from praisonai_persist_supabase import SupabaseConversationStore
from praisonai_persist_testkit import ConversationStoreTests


class TestSupabaseConversationStore(ConversationStoreTests):
    """Every contract test of the testkit, on an empty store isolated for each test."""

    backend = "supabase"
    # TODO: the real engine the tests talk to, shown in the end-of-run report ("Redis 7 server").
    engine = "Supabase"

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[SupabaseConversationStore]:
        # TODO: isolate each test (own database, table prefix, collection or key prefix) and
        # remove what it created in the finally block.
        store = SupabaseConversationStore(url=str(tmp_path / "supabase"))
        try:
            yield store
        finally:
            store.close()
