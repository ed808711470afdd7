"""Registers the MySQL conversation stores with praisonai-persist (the module named by the entry point).

It imports no client library: the stores are registered as lazy "module:attr" strings.
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
    """Register `mysql` (PyMySQL) and `async_mysql` (aiomysql), with PraisonAI's aliases and URL schemes."""
    conversation = registries["conversation"]
    conversation.register_store(
        "mysql",
        "praisonai_persist_mysql.store:MySQLConversationStore",
        aliases=("mariadb", "planetscale"),
        schemes=("mysql", "mariadb", "mysql+pymysql", "mariadb+pymysql"),
        async_variant="async_mysql",
    )
    conversation.register_store(
        "async_mysql",
        "praisonai_persist_mysql.async_store:AsyncMySQLConversationStore",
        aliases=("aiomysql", "mysql_async"),
        schemes=("mysql+aiomysql",),
        sync_variant="mysql",
    )
