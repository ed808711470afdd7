"""Names, aliases, URL schemes and mode= through the registry (discovery of the installed plugin)."""

from __future__ import annotations

import asyncio
from typing import Any

from praisonai_persist import create_conversation_store
from praisonai_persist_mysql import AsyncMySQLConversationStore, MySQLConversationStore

from .conftest import url_for


def _close(store: Any) -> None:
    result = store.close()
    if asyncio.iscoroutine(result):
        asyncio.run(result)


def test_names_aliases_schemes_and_modes(database: str) -> None:
    url = url_for(database)
    cases = [
        (("mysql",), {}, MySQLConversationStore),
        (("mariadb",), {}, MySQLConversationStore),
        (("planetscale",), {}, MySQLConversationStore),
        (("async_mysql",), {}, AsyncMySQLConversationStore),
        (("aiomysql",), {}, AsyncMySQLConversationStore),
        (("mysql_async",), {}, AsyncMySQLConversationStore),
        (("mysql",), {"mode": "async"}, AsyncMySQLConversationStore),
        (("async_mysql",), {"mode": "sync"}, MySQLConversationStore),
    ]
    for args, kwargs, expected in cases:
        store = create_conversation_store(*args, url=url, **kwargs)
        try:
            assert type(store) is expected, (args, kwargs)
        finally:
            _close(store)
    by_url = create_conversation_store(url)
    try:
        assert type(by_url) is MySQLConversationStore
    finally:
        _close(by_url)
    by_mariadb_url = create_conversation_store(url.replace("mysql://", "mariadb://"), table_prefix="m_")
    try:
        assert type(by_mariadb_url) is MySQLConversationStore and by_mariadb_url.table_prefix == "m_"
    finally:
        _close(by_mariadb_url)
