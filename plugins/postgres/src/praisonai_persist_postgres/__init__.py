"""praisonai-persist-postgres: the postgres and async_postgres conversation stores (psycopg 3).

Importing this package imports no client library: the store classes are loaded on first access.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .async_store import AsyncPostgresConversationStore
    from .store import PostgresConversationStore

__all__ = ["AsyncPostgresConversationStore", "PostgresConversationStore"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # Lazy so that plugin discovery, which imports this package, stays cheap.
    if name == "PostgresConversationStore":
        from .store import PostgresConversationStore

        return PostgresConversationStore
    if name == "AsyncPostgresConversationStore":
        from .async_store import AsyncPostgresConversationStore

        return AsyncPostgresConversationStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
