"""The conformance suite of praisonai-persist-testkit through the singlestore store, on MariaDB.

MariaDB stands in for SingleStore on the wire: every statement of the store runs, with the
SingleStore layout (shard-key-compatible keys, no foreign key, duplicate-key no-op inserts)
minus the clauses only SingleStore parses (checked in test_dialect.py).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import pytest_asyncio

from praisonai_persist import as_async
from praisonai_persist_singlestore import SingleStoreConversationStore
from praisonai_persist_testkit import AsyncConversationStoreTests, ConversationStoreTests
from praisonai_persist_testkit.engines import tcp_answers

_SERVER = urlsplit(os.environ.get("PERSIST_MYSQL_TEST_URL", "mysql://root@127.0.0.1:3306/test"))
_SKIP = (
    None
    if tcp_answers(_SERVER.hostname or "127.0.0.1", _SERVER.port or 3306)
    else "MariaDB is not running at 127.0.0.1:3306: start it with `tools/engines.sh up mariadb`"
)


def _url(database: str) -> str:
    return f"singlestore://{_SERVER.username or 'root'}@{_SERVER.hostname}:{_SERVER.port}/{database}"


class TestSingleStoreConversationStore(ConversationStoreTests):
    """Every contract test, each in a database of its own on MariaDB (rowstore layout)."""

    backend = "singlestore"
    engine = "MariaDB 10.11 server (SingleStore wire stand-in)"
    required_in_ci = True
    skip_reason = _SKIP

    @pytest.fixture
    def store(self, database: str) -> Iterator[SingleStoreConversationStore]:
        store = SingleStoreConversationStore(_url(database), password=_SERVER.password)
        try:
            assert store.native is False
            yield store
        finally:
            store.close()


class TestAsyncSingleStoreConversationStore(AsyncConversationStoreTests):
    """Every contract test on the async form (``mode="async"``), with the columnstore layout."""

    backend = "singlestore (async)"
    engine = "MariaDB 10.11 server (SingleStore wire stand-in)"
    required_in_ci = True
    skip_reason = _SKIP

    @pytest_asyncio.fixture
    async def store(self, database: str) -> AsyncIterator[Any]:
        store = as_async(SingleStoreConversationStore(_url(database), table_type="columnstore"))
        try:
            yield store
        finally:
            await store.close()
