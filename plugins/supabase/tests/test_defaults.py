"""Supabase's defaults: the URL from the environment, TLS, the pooler without prepared statements."""

from __future__ import annotations

import os

import pytest

from praisonai_persist import StoreConnectionError, create_conversation_store, get_default_registry
from praisonai_persist_postgres.connection import resolve_settings
from praisonai_persist_supabase import AsyncSupabaseConversationStore, SupabaseConversationStore
from praisonai_persist_supabase.store import ENV_URL, supabase_url

LOCAL_URL = os.environ.get("PRAISONAI_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
POOLER = "postgresql://postgres.abcdefgh:Secr3t-pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres"
DIRECT = "postgresql://postgres:Secr3t-pw@db.abcdefgh.supabase.co:5432/postgres"


def test_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_URL, POOLER)
    assert supabase_url(None) == POOLER
    assert supabase_url(DIRECT) == DIRECT


def test_missing_url_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_URL, raising=False)
    with pytest.raises(StoreConnectionError, match=ENV_URL):
        SupabaseConversationStore()


def test_pooler_and_direct_defaults() -> None:
    pooled = resolve_settings(POOLER)
    assert pooled.behind_pooler and pooled.prepare_threshold is None
    assert pooled.kwargs["sslmode"] == "require" and pooled.kwargs["connect_timeout"] == 30
    direct = resolve_settings(DIRECT)
    assert not direct.behind_pooler and direct.prepare_threshold == 5
    assert direct.kwargs["sslmode"] == "require"
    assert "Secr3t-pw" not in pooled.display and "Secr3t-pw" not in repr(pooled)


def test_store_from_environment_on_the_local_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_URL, LOCAL_URL)
    store = SupabaseConversationStore(schema="pp_supabase_env_check", auto_create_tables=False)
    try:
        assert store.settings.kwargs["application_name"] == "praisonai-persist-supabase"
        assert store.pending_migrations()  # nothing was created: the schema does not exist
    finally:
        store.close()


def test_registry_names_and_modes(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = get_default_registry("conversation")
    assert registry.resolve("supabase") is SupabaseConversationStore
    monkeypatch.setenv(ENV_URL, LOCAL_URL)
    store = create_conversation_store(
        "supabase", mode="async", schema="pp_supabase_env_check", auto_create_tables=False
    )
    assert isinstance(store, AsyncSupabaseConversationStore)
