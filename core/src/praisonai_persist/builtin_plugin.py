"""Core's own plugin: registers the built-in backends through the same hook as any plugin."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .hookspecs import hookimpl

if TYPE_CHECKING:
    from .registry import StoreRegistry

PERSIST_API_VERSION = 1

_B = "praisonai_persist.backends"


@hookimpl
def persist_register_stores(registries: Mapping[str, StoreRegistry]) -> None:
    conversation = registries["conversation"]
    conversation.register_store(
        "sqlite", f"{_B}.sqlite:SQLiteConversationStore", schemes=("sqlite",), async_variant="async_sqlite"
    )
    conversation.register_store(
        "sync_sqlite", f"{_B}.sqlite:SyncSQLiteConversationStore", aliases=("sqlite_sync",),
        async_variant="async_sqlite",
    )
    conversation.register_store(
        "async_sqlite", f"{_B}.async_sqlite:AsyncSQLiteConversationStore",
        aliases=("aiosqlite", "sqlite_async"), sync_variant="sqlite",
    )
    conversation.register_store("json", f"{_B}.json_store:JSONConversationStore", schemes=("json",))
    registries["state"].register_store("memory", f"{_B}.memory_state:MemoryStateStore", schemes=("memory",))
    registries["knowledge"].register_store(
        "memory", f"{_B}.memory_knowledge:MemoryKnowledgeStore", schemes=("memory",)
    )
