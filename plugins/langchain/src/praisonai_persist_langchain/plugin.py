"""Registers the langchain knowledge store with praisonai-persist (the module named by the entry point).

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
    """Register the `langchain` knowledge backend and its aliases."""
    registries["knowledge"].register_store(
        "langchain",
        "praisonai_persist_langchain.store:LangchainKnowledgeStore",
        aliases=("langchain_adapter",),
    )
