"""The ``supabase`` conversation store: a PostgreSQL connection with Supabase's defaults.

Supabase is PostgreSQL, so this is praisonai-persist-postgres's store with what Supabase
needs decided for you: the URL from ``SUPABASE_DB_URL`` when none is given, TLS
(``sslmode=require``), prepared statements off behind the transaction-mode pooler
(Supavisor on port 6543) and the longer connect timeout and retries of a serverless host.
"""

from __future__ import annotations

import os
from typing import Any

from praisonai_persist import StoreConnectionError
from praisonai_persist_postgres.async_store import AsyncPostgresConversationStore
from praisonai_persist_postgres.store import PostgresConversationStore

__all__ = ["ENV_URL", "AsyncSupabaseConversationStore", "SupabaseConversationStore", "supabase_url"]

#: Environment variable read when no URL is given (the "Connect" dialog of a Supabase project).
ENV_URL = "SUPABASE_DB_URL"


def supabase_url(url: str | None) -> str:
    """``url``, else ``$SUPABASE_DB_URL``; neither is a clear error."""
    chosen = url or os.environ.get(ENV_URL)
    if not chosen:
        raise StoreConnectionError(
            f"No Supabase database URL: pass url=... or set {ENV_URL} to the connection string of your "
            "project (Project Settings > Database), e.g. "
            "postgresql://postgres.<ref>:<password>@aws-0-<region>.pooler.supabase.com:6543/postgres."
        )
    return chosen


def _defaults(options: dict[str, Any]) -> dict[str, Any]:
    options.setdefault("application_name", "praisonai-persist-supabase")
    return options


class SupabaseConversationStore(PostgresConversationStore):
    """Conversation store in a Supabase project's PostgreSQL (direct connection or pooler).

    Options are those of :class:`~praisonai_persist_postgres.PostgresConversationStore`.
    """

    backend_name = "supabase"

    def __init__(self, url: str | None = None, **options: Any) -> None:
        super().__init__(supabase_url(url), **_defaults(options))


class AsyncSupabaseConversationStore(AsyncPostgresConversationStore):
    """Async twin of :class:`SupabaseConversationStore` (``mode="async"``)."""

    backend_name = "async_supabase"

    def __init__(self, url: str | None = None, **options: Any) -> None:
        super().__init__(supabase_url(url), **_defaults(options))
