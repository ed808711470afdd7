"""praisonai-persist-lancedb: the lancedb knowledge store (sync and native async) for praisonai-persist.

Importing this package imports no client library: the store classes are loaded on first access.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .async_store import AsyncLancedbKnowledgeStore
    from .store import LancedbKnowledgeStore

__all__ = ["AsyncLancedbKnowledgeStore", "LancedbKnowledgeStore"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # Lazy so that plugin discovery, which imports this package, stays cheap.
    if name == "LancedbKnowledgeStore":
        from .store import LancedbKnowledgeStore

        return LancedbKnowledgeStore
    if name == "AsyncLancedbKnowledgeStore":
        from .async_store import AsyncLancedbKnowledgeStore

        return AsyncLancedbKnowledgeStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
