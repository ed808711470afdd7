"""Registers the SurrealDB conversation and knowledge stores with praisonai-persist.

It imports no client library: the stores are registered as lazy "module:attr" strings. Each
kind has a sync backend and its native-async twin (``async_<name>``), linked so that
``mode="sync"``/``mode="async"`` pick the right one without adapting.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from praisonai_persist import hookimpl

if TYPE_CHECKING:
    from praisonai_persist.registry import StoreRegistry

# Core refuses a plugin whose major API version differs from its own.
PERSIST_API_VERSION = 1
_PKG = "praisonai_persist_surrealdb"


@hookimpl
def persist_register_stores(registries: Mapping[str, StoreRegistry]) -> None:
    """Register `surrealdb` (conversation) and `surrealdb_vector` [surrealdb_v] (knowledge), with async twins."""
    conversation = registries["conversation"]
    conversation.register_store(
        "surrealdb",
        f"{_PKG}.conversation:SurrealConversationStore",
        schemes=("surrealdb",),
        async_variant="async_surrealdb",
    )
    conversation.register_store(
        "async_surrealdb",
        f"{_PKG}.conversation:AsyncSurrealConversationStore",
        aliases=("surrealdb_async",),
        sync_variant="surrealdb",
    )
    knowledge = registries["knowledge"]
    knowledge.register_store(
        "surrealdb_vector",
        f"{_PKG}.knowledge:SurrealKnowledgeStore",
        aliases=("surrealdb_v",),
        schemes=("mem", "surrealkv"),
        async_variant="async_surrealdb_vector",
    )
    knowledge.register_store(
        "async_surrealdb_vector",
        f"{_PKG}.knowledge:AsyncSurrealKnowledgeStore",
        aliases=("surrealdb_vector_async",),
        sync_variant="surrealdb_vector",
    )
