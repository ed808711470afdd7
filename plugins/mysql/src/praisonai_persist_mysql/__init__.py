"""praisonai-persist-mysql: the mysql and async_mysql conversation stores for praisonai-persist.

Importing this package imports no client library: the store classes are loaded on first access.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .async_store import AsyncMySQLConversationStore
    from .store import MySQLConversationStore

__all__ = ["AsyncMySQLConversationStore", "MySQLConversationStore"]
__version__ = "0.1.0"

_LAZY = {
    "MySQLConversationStore": "store",
    "AsyncMySQLConversationStore": "async_store",
}


def __getattr__(name: str) -> Any:
    # Lazy so that plugin discovery, which imports this package, stays cheap.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{module}"), name)
