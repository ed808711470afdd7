"""praisonai-persist-chroma: the chroma knowledge store (sync and async) for praisonai-persist.

Importing this package imports no client library: the store classes are loaded on first access.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .async_store import AsyncChromaKnowledgeStore
    from .store import ChromaKnowledgeStore

__all__ = ["AsyncChromaKnowledgeStore", "ChromaKnowledgeStore"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # Lazy so that plugin discovery, which imports this package, stays cheap.
    if name == "ChromaKnowledgeStore":
        from .store import ChromaKnowledgeStore

        return ChromaKnowledgeStore
    if name == "AsyncChromaKnowledgeStore":
        from .async_store import AsyncChromaKnowledgeStore

        return AsyncChromaKnowledgeStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
