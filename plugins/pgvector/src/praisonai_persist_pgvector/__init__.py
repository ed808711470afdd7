"""praisonai-persist-pgvector: the pgvector knowledge stores (sync and async) for praisonai-persist.

Importing this package imports no client library: the store classes are loaded on first access.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .async_store import AsyncPgvectorKnowledgeStore
    from .store import PgvectorKnowledgeStore

__all__ = ["AsyncPgvectorKnowledgeStore", "PgvectorKnowledgeStore"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # Lazy so that plugin discovery, which imports this package, stays cheap.
    if name == "PgvectorKnowledgeStore":
        from .store import PgvectorKnowledgeStore

        return PgvectorKnowledgeStore
    if name == "AsyncPgvectorKnowledgeStore":
        from .async_store import AsyncPgvectorKnowledgeStore

        return AsyncPgvectorKnowledgeStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
