"""praisonai-persist-upstash: Upstash Redis state stores and the Upstash Vector knowledge store.

Importing this package imports no client library: each store class is loaded on first access.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .async_store import AsyncUpstashStateStore
    from .async_vector import AsyncUpstashVectorStore
    from .store import UpstashStateStore
    from .vector import UpstashVectorStore

__all__ = ["AsyncUpstashStateStore", "AsyncUpstashVectorStore", "UpstashStateStore", "UpstashVectorStore"]
__version__ = "0.1.0"

_MODULES = {
    "UpstashStateStore": ".store",
    "AsyncUpstashStateStore": ".async_store",
    "UpstashVectorStore": ".vector",
    "AsyncUpstashVectorStore": ".async_vector",
}


def __getattr__(name: str) -> Any:
    # Lazy so that plugin discovery, which imports this package, stays cheap.
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(module, __name__), name)
