"""Registers the MongoDB state and knowledge stores with praisonai-persist (the entry point's module).

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

_P = "praisonai_persist_mongodb"


@hookimpl
def persist_register_stores(registries: Mapping[str, StoreRegistry]) -> None:
    """Register state `mongodb` / `async_mongodb` (motor, mongodb_async) and knowledge `mongodb_vector`."""
    state = registries["state"]
    state.register_store(
        "mongodb",
        f"{_P}.store:MongoDBStateStore",
        schemes=("mongodb", "mongodb+srv"),
        async_variant="async_mongodb",
    )
    state.register_store(
        "async_mongodb",
        f"{_P}.async_store:AsyncMongoDBStateStore",
        aliases=("motor", "mongodb_async"),
        sync_variant="mongodb",
    )
    registries["knowledge"].register_store(
        "mongodb_vector",
        f"{_P}.vector:MongoDBVectorStore",
        aliases=("mongodb_atlas", "mongo_vector"),
        schemes=("mongodb+srv",),
    )
