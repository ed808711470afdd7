"""praisonai-persist-qdrant: the qdrant knowledge store (sync and native async) for praisonai-persist.

Importing this package imports no client library: the store classes are loaded on first access.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .async_store import AsyncQdrantKnowledgeStore
    from .store import QdrantKnowledgeStore

__all__ = ["AsyncQdrantKnowledgeStore", "QdrantKnowledgeStore"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # Lazy so that plugin discovery, which imports this package, stays cheap.
    if name == "QdrantKnowledgeStore":
        from .store import QdrantKnowledgeStore

        return QdrantKnowledgeStore
    if name == "AsyncQdrantKnowledgeStore":
        from .async_store import AsyncQdrantKnowledgeStore

        return AsyncQdrantKnowledgeStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
