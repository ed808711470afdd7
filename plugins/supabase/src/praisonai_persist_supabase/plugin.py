"""Registers the supabase conversation store with praisonai-persist (the module named by the entry point).

It imports no client library: the store is registered as a lazy "module:attr" string.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from praisonai_persist import hookimpl

if TYPE_CHECKING:
    from praisonai_persist.registry import StoreRegistry

# Core refuses a plugin whose major API version differs from its own.
PERSIST_API_VERSION = 1


@hookimpl
def persist_register_stores(registries: Mapping[str, StoreRegistry]) -> None:
    """Register `supabase` (and its native async form for ``mode="async"``).

    No URL scheme: a Supabase URL is a ``postgresql://`` URL, which selects `postgres`
    (the same code without the Supabase defaults); ask for `supabase` by name.
    """
    conversation = registries["conversation"]
    conversation.register_store(
        "supabase",
        "praisonai_persist_supabase.store:SupabaseConversationStore",
        async_variant="async_supabase",
    )
    conversation.register_store(
        "async_supabase",
        "praisonai_persist_supabase.store:AsyncSupabaseConversationStore",
        sync_variant="supabase",
    )
