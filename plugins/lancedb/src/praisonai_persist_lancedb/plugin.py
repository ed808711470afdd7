"""Registers the lancedb knowledge store with praisonai-persist (the module named by the entry point).

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
    """Register the `lancedb` knowledge backend (sync) and its native async form `async_lancedb`."""
    knowledge = registries["knowledge"]
    knowledge.register_store(
        "lancedb",
        "praisonai_persist_lancedb.store:LancedbKnowledgeStore",
        aliases=(),
        schemes=("lancedb",),
        async_variant="async_lancedb",
    )
    knowledge.register_store(
        "async_lancedb",
        "praisonai_persist_lancedb.async_store:AsyncLancedbKnowledgeStore",
        aliases=("lancedb_async",),
        sync_variant="lancedb",
    )
