"""praisonai-persist-mongodb: MongoDB state stores (sync and native async) and Atlas vector search.

Importing this package imports no client library: each store class is loaded on first access.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .async_store import AsyncMongoDBStateStore
    from .store import MongoDBStateStore
    from .vector import MongoDBVectorStore

__all__ = ["AsyncMongoDBStateStore", "MongoDBStateStore", "MongoDBVectorStore"]
__version__ = "0.1.0"

_MODULES = {
    "MongoDBStateStore": ".store",
    "AsyncMongoDBStateStore": ".async_store",
    "MongoDBVectorStore": ".vector",
}


def __getattr__(name: str) -> Any:
    # Lazy so that plugin discovery, which imports this package, stays cheap.
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(module, __name__), name)
