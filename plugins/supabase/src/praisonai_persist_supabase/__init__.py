"""praisonai-persist-supabase: the supabase conversation store for praisonai-persist.

Importing this package imports no client library: the store class is loaded on first access.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .store import SupabaseConversationStore

__all__ = ["SupabaseConversationStore"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # Lazy so that plugin discovery, which imports this package, stays cheap.
    if name == "SupabaseConversationStore":
        from .store import SupabaseConversationStore

        return SupabaseConversationStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
