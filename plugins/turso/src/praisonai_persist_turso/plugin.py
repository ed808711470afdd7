"""Registers the turso conversation store with praisonai-persist (the module named by the entry point).

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
    """Register `turso` (alias `libsql`, URL scheme `libsql://`); `mode="async"` adapts it with as_async."""
    registries["conversation"].register_store(
        "turso",
        "praisonai_persist_turso.store:TursoConversationStore",
        aliases=("libsql",),
        schemes=("libsql",),
    )
