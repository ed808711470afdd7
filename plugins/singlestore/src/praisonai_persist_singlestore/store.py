"""The ``singlestore`` conversation store: the MySQL store with SingleStore's DDL and inserts.

SingleStore speaks the MySQL wire protocol, so connections, pooling, retry, TLS and settings
are those of praisonai-persist-mysql; the differences live in :mod:`.dialect`. On connect the
store asks the server what it is (``@@memsql_version``): on SingleStore it uses the native DDL
(shard keys, rowstore/columnstore, no foreign keys); on MySQL/MariaDB the same layout without
the SingleStore-only clauses, which is how it is tested here.
"""

from __future__ import annotations

from typing import Any, ClassVar

from praisonai_persist.sql.common import Cursor
from praisonai_persist.sql.dialect import Dialect
from praisonai_persist_mysql.store import MySQLConversationStore

from .dialect import ROWSTORE, SINGLESTORE, TABLE_TYPES, singlestore_statements

__all__ = ["FLAVORS", "SingleStoreConversationStore"]

DISTRIBUTION = "praisonai-persist-singlestore"
FLAVORS = ("auto", "singlestore", "mysql")


class SingleStoreConversationStore(MySQLConversationStore):
    """ConversationStore on SingleStore (MySQL protocol, PyMySQL); options as the mysql store plus
    ``table_type`` (``"rowstore"`` or ``"columnstore"`` for messages) and ``flavor``."""

    dialect: ClassVar[Dialect] = SINGLESTORE
    backend_name = "singlestore"
    engine_label: ClassVar[str] = "SingleStore"
    distribution: ClassVar[str] = DISTRIBUTION

    def __init__(
        self, url: str | None = None, *, table_type: str = ROWSTORE, flavor: str = "auto", **options: Any
    ) -> None:
        if table_type not in TABLE_TYPES:
            raise ValueError(f"table_type must be one of {', '.join(TABLE_TYPES)}, got {table_type!r}.")
        if flavor not in FLAVORS:
            raise ValueError(f"flavor must be one of {', '.join(FLAVORS)}, got {flavor!r}.")
        self.table_type = table_type
        self.flavor = flavor
        #: True once connected to a real SingleStore server (native DDL in use).
        self.native: bool | None = None
        super().__init__(url, **options)

    def _connect(self) -> None:
        """Find out whether the server is SingleStore, and pick the statements accordingly."""
        native = self.flavor == "singlestore"
        if self.flavor == "auto":

            def probe(cur: Cursor) -> bool:
                cur.execute("SHOW VARIABLES LIKE 'memsql_version'", ())
                return bool(cur.fetchall())

            native = self._read(probe)
        self.native = native
        self._sql = singlestore_statements(self.table_prefix, self.table_type, native)
