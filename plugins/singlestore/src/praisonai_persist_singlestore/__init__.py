"""praisonai-persist-singlestore: the singlestore conversation store for praisonai-persist.

Importing this package imports no client library: the store class is loaded on first access.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .store import SingleStoreConversationStore

__all__ = ["SingleStoreConversationStore"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # Lazy so that plugin discovery, which imports this package, stays cheap.
    if name == "SingleStoreConversationStore":
        from .store import SingleStoreConversationStore

        return SingleStoreConversationStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
