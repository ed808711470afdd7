"""Registers the pgvector knowledge store with praisonai-persist (the module named by the entry point).

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
    """Register the `pgvector` knowledge backend (sync) and its native async form `async_pgvector`."""
    registries["knowledge"].register_store(
        "pgvector",
        "praisonai_persist_pgvector.store:PgvectorKnowledgeStore",
        aliases=(),
        schemes=("postgres", "postgresql"),
        async_variant="async_pgvector",
    )
    registries["knowledge"].register_store(
        "async_pgvector",
        "praisonai_persist_pgvector.async_store:AsyncPgvectorKnowledgeStore",
        aliases=("pgvector_async",),
        sync_variant="pgvector",
    )
