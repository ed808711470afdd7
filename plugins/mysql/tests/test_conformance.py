"""The conformance suite of praisonai-persist-testkit, run against MariaDB through both MySQL stores."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlsplit

import pytest
import pytest_asyncio

from praisonai_persist_mysql import AsyncMySQLConversationStore, MySQLConversationStore
from praisonai_persist_testkit import AsyncConversationStoreTests, ConversationStoreTests
from praisonai_persist_testkit.engines import tcp_answers

_SERVER = urlsplit(os.environ.get("PERSIST_MYSQL_TEST_URL", "mysql://root@127.0.0.1:3306/test"))
_SKIP = (
    None
    if tcp_answers(_SERVER.hostname or "127.0.0.1", _SERVER.port or 3306)
    else "MariaDB is not running at 127.0.0.1:3306: start it with `tools/engines.sh up mariadb`"
)


class TestMySQLConversationStore(ConversationStoreTests):
    """Every contract test on the sync store (PyMySQL), each in a database of its own."""

    backend = "mysql"
    engine = "MariaDB 10.11 server"
    required_in_ci = True
    skip_reason = _SKIP

    @pytest.fixture
    def store(self, database: str) -> Iterator[MySQLConversationStore]:
        url = f"mysql://{_SERVER.username or 'root'}@{_SERVER.hostname}:{_SERVER.port}/{database}"
        store = MySQLConversationStore(url, password=_SERVER.password)
        try:
            yield store
        finally:
            store.close()


class TestAsyncMySQLConversationStore(AsyncConversationStoreTests):
    """Every contract test on the async store (aiomysql), each in a database of its own."""

    backend = "async_mysql"
    engine = "MariaDB 10.11 server"
    required_in_ci = True
    skip_reason = _SKIP

    @pytest_asyncio.fixture
    async def store(self, database: str) -> AsyncIterator[AsyncMySQLConversationStore]:
        url = f"mysql://{_SERVER.username or 'root'}@{_SERVER.hostname}:{_SERVER.port}/{database}"
        store = AsyncMySQLConversationStore(url, password=_SERVER.password)
        try:
            yield store
        finally:
            await store.close()
