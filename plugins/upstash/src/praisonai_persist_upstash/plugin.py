"""Registers the Upstash state and knowledge stores with praisonai-persist (the entry point's module).

It imports no client library: stores are registered as lazy "module:attr" strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from praisonai_persist import hookimpl

if TYPE_CHECKING:
    from praisonai_persist.registry import StoreRegistry

# Core refuses a plugin whose major API version differs from its own.
PERSIST_API_VERSION = 1

_P = "praisonai_persist_upstash"


@hookimpl
def persist_register_stores(registries: Mapping[str, StoreRegistry]) -> None:
    """Register state `upstash` (async twin `async_upstash`) and knowledge `upstash_vector` (upstash_v)."""
    registries["state"].register_store("upstash", f"{_P}.store:UpstashStateStore", async_variant="async_upstash")
    registries["state"].register_store(
        "async_upstash", f"{_P}.async_store:AsyncUpstashStateStore", aliases=("upstash_async",), sync_variant="upstash"
    )
    registries["knowledge"].register_store(
        "upstash_vector",
        f"{_P}.vector:UpstashVectorStore",
        aliases=("upstash_v",),
        async_variant="async_upstash_vector",
    )
    registries["knowledge"].register_store(
        "async_upstash_vector", f"{_P}.async_vector:AsyncUpstashVectorStore", sync_variant="upstash_vector"
    )
