"""praisonai-persist-surrealdb: SurrealDB conversation and knowledge stores for praisonai-persist.

Importing this package imports no client library: the store classes are loaded on first access.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .conversation import AsyncSurrealConversationStore, SurrealConversationStore
    from .knowledge import AsyncSurrealKnowledgeStore, SurrealKnowledgeStore

__all__ = [
    "AsyncSurrealConversationStore",
    "AsyncSurrealKnowledgeStore",
    "SurrealConversationStore",
    "SurrealKnowledgeStore",
]
__version__ = "0.1.0"

_MODULES = {
    "SurrealKnowledgeStore": "knowledge",
    "AsyncSurrealKnowledgeStore": "knowledge",
    "SurrealConversationStore": "conversation",
    "AsyncSurrealConversationStore": "conversation",
}


def __getattr__(name: str) -> Any:
    # Lazy so that plugin discovery, which imports this package, stays cheap.
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{module}"), name)
