"""praisonai-persist-redis: the redis state store for praisonai-persist.

Importing this package imports no client library: the store class is loaded on first access.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .store import RedisStateStore

__all__ = ["RedisStateStore"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # Lazy so that plugin discovery, which imports this package, stays cheap.
    if name == "RedisStateStore":
        from .store import RedisStateStore

        return RedisStateStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
