"""praisonai-persist-redis: Redis/Valkey state stores and Redis vector knowledge stores.

Importing this package imports no client library: each store class is loaded on first access.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .async_knowledge import AsyncRedisKnowledgeStore
    from .async_store import AsyncRedisStateStore
    from .knowledge import RedisKnowledgeStore
    from .store import RedisStateStore

__all__ = ["AsyncRedisKnowledgeStore", "AsyncRedisStateStore", "RedisKnowledgeStore", "RedisStateStore"]
__version__ = "0.1.0"

_MODULES = {
    "RedisStateStore": ".store",
    "AsyncRedisStateStore": ".async_store",
    "RedisKnowledgeStore": ".knowledge",
    "AsyncRedisKnowledgeStore": ".async_knowledge",
}


def __getattr__(name: str) -> Any:
    # Lazy so that plugin discovery, which imports this package, stays cheap.
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(module, __name__), name)
