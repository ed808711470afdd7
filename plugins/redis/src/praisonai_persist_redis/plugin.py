"""Registers the redis state and knowledge stores with praisonai-persist (the entry point's module).

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

_P = "praisonai_persist_redis"


@hookimpl
def persist_register_stores(registries: Mapping[str, StoreRegistry]) -> None:
    """Register state `redis` (alias valkey; its async twin `async_redis`) and knowledge `redis`."""
    state = registries["state"]
    state.register_store(
        "redis",
        f"{_P}.store:RedisStateStore",
        aliases=("valkey",),
        schemes=("redis", "rediss", "valkey", "valkeys", "unix"),
        async_variant="async_redis",
    )
    state.register_store(
        "async_redis",
        f"{_P}.async_store:AsyncRedisStateStore",
        aliases=("redis_async", "async_valkey"),
        sync_variant="redis",
    )
    registries["knowledge"].register_store(
        "redis",
        f"{_P}.knowledge:RedisKnowledgeStore",
        schemes=("redis", "rediss"),
        async_variant="async_redis",
    )
    registries["knowledge"].register_store(
        "async_redis",
        f"{_P}.async_knowledge:AsyncRedisKnowledgeStore",
        aliases=("redis_async",),
        sync_variant="redis",
    )
