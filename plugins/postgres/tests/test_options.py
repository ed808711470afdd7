"""Options: identifiers, poolers, serverless hosts, the registry's names and modes."""

from __future__ import annotations

import pytest

from praisonai_persist import InvalidIdentifierError, create_conversation_store, get_default_registry
from praisonai_persist.sql import retry_policy_for
from praisonai_persist_postgres import AsyncPostgresConversationStore, PostgresConversationStore
from praisonai_persist_postgres.connection import resolve_settings

HOSTILE = ['x"; DROP TABLE t; --', "a b", "p-", "name'", "a.b", "", "x" * 49, "ünï"]


@pytest.mark.parametrize("bad", HOSTILE)
def test_injection_in_table_prefix_is_rejected(bad: str, pg_url: str) -> None:
    with pytest.raises(InvalidIdentifierError):
        PostgresConversationStore(pg_url, table_prefix=bad)
    with pytest.raises(InvalidIdentifierError):
        AsyncPostgresConversationStore(pg_url, table_prefix=bad)


@pytest.mark.parametrize("bad", HOSTILE)
def test_injection_in_schema_is_rejected(bad: str, pg_url: str) -> None:
    with pytest.raises(InvalidIdentifierError):
        PostgresConversationStore(pg_url, schema=bad)
    with pytest.raises(InvalidIdentifierError):
        AsyncPostgresConversationStore(pg_url, schema=bad)


@pytest.mark.parametrize(
    ("url", "options", "pooled"),
    [
        ("postgresql://u:p@db.example.com:5432/app", {}, False),
        ("postgresql://u:p@aws-0-eu.pooler.supabase.com:6543/postgres", {}, True),
        ("postgresql://u:p@bouncer.internal:6432/app?pgbouncer=true&sslmode=disable", {}, True),
        ("postgresql://u:p@bouncer.internal:6432/app?pgbouncer=false", {}, False),
        ("postgresql://u:p@bouncer.internal:6432/app", {"pgbouncer": True}, True),
        ("postgresql://u:p@h:6543/app", {"pgbouncer": False}, False),
    ],
)
def test_transaction_pooler_switches_prepared_statements_off(url: str, options: dict[str, bool], pooled: bool) -> None:
    settings = resolve_settings(url, **options)  # type: ignore[arg-type]
    assert settings.behind_pooler is pooled
    assert (settings.prepare_threshold is None) is pooled
    assert "pgbouncer" not in settings.conninfo  # libpq would reject the flag
    assert resolve_settings(url, prepare_threshold=0, **options).prepare_threshold == 0  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "host", ["ep-cool-1.us-east-2.aws.neon.tech", "db.abc.supabase.co", "x.cockroachlabs.cloud", "w.xata.sh"]
)
def test_serverless_hosts_get_tls_longer_timeouts_and_retries(host: str) -> None:
    settings = resolve_settings(f"postgresql://u:secret@{host}/db")
    assert settings.serverless
    assert settings.kwargs["sslmode"] == "require"
    assert settings.kwargs["connect_timeout"] == 30
    assert retry_policy_for(settings.display).max_retries >= 5
    assert resolve_settings(f"postgresql://u:secret@{host}/db?sslmode=verify-full").kwargs.get("sslmode") is None
    local = resolve_settings("postgresql://u:secret@127.0.0.1/db")
    assert "sslmode" not in local.kwargs and local.kwargs["connect_timeout"] == 10


def test_bad_scheme_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="postgresql://"):
        resolve_settings("mysql://u:secret@h/db")


def test_prepared_statements_really_off_behind_a_pooler(schema: str, pg_url: str) -> None:
    def prepared(store: PostgresConversationStore) -> int:
        from praisonai_persist import ConversationMessage, ConversationSession

        store.create_session(ConversationSession(session_id="s"))
        for _ in range(8):
            store.add_message("s", ConversationMessage(role="user", content="x"))
            store.get_messages("s", limit=2)
        with store._pool.connection() as conn:
            return int(conn.execute("SELECT count(*) FROM pg_prepared_statements").fetchone()[0])

    pooled = PostgresConversationStore(pg_url, schema=schema, pgbouncer=True, pool_size=1, table_prefix="a_")
    direct = PostgresConversationStore(pg_url, schema=schema, pool_size=1, table_prefix="b_")
    try:
        assert prepared(pooled) == 0
        assert prepared(direct) > 0
    finally:
        pooled.close()
        direct.close()


def test_registry_names_aliases_schemes_and_modes(schema: str, pg_url: str) -> None:
    registry = get_default_registry("conversation")
    for alias in ("postgres", "neon", "cockroachdb", "crdb", "cockroach", "xata"):
        assert registry.resolve(alias) is PostgresConversationStore
    for alias in ("async_postgres", "asyncpg", "postgres_async"):
        assert registry.resolve(alias) is AsyncPostgresConversationStore
    store = create_conversation_store(pg_url, schema=schema)
    assert isinstance(store, PostgresConversationStore)
    store.close()
    astore = create_conversation_store(
        "postgres", url=pg_url.replace("postgresql://", "postgres://"), mode="async", schema=schema
    )
    assert isinstance(astore, AsyncPostgresConversationStore)
    sstore = create_conversation_store("asyncpg", url=pg_url, mode="sync", schema=schema)
    assert isinstance(sstore, PostgresConversationStore)
    sstore.close()
