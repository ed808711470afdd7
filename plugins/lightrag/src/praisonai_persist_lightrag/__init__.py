"""praisonai-persist-lightrag: knowledge collections kept in a LightRAG instance's storages.

Importing this package imports no client library: the store classes are loaded on first access.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .store import AsyncLightragKnowledgeStore, LightragKnowledgeStore

__all__ = ["AsyncLightragKnowledgeStore", "LightragKnowledgeStore"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # Lazy so that plugin discovery, which imports this package, stays cheap.
    if name in __all__:
        from . import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
