"""Registers the postgres conversation store with praisonai-persist (the module named by the entry point).

It imports no client library: the store is registered as a lazy "module:attr" string.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from praisonai_persist import hookimpl

if TYPE_CHECKING:
    from praisonai_persist.registry import StoreRegistry

# Core refuses a plugin whose major API version differs from its own.
PERSIST_API_VERSION = 1


@hookimpl
def persist_register_stores(registries: Mapping[str, StoreRegistry]) -> None:
    """Register `postgres` and `async_postgres`, PraisonAI's aliases and the URL schemes."""
    conversation = registries["conversation"]
    conversation.register_store(
        "postgres",
        "praisonai_persist_postgres.store:PostgresConversationStore",
        aliases=("neon", "cockroachdb", "crdb", "cockroach", "xata"),
        schemes=("postgres", "postgresql"),
        async_variant="async_postgres",
    )
    conversation.register_store(
        "async_postgres",
        "praisonai_persist_postgres.async_store:AsyncPostgresConversationStore",
        aliases=("asyncpg", "postgres_async"),
        sync_variant="postgres",
    )
