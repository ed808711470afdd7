"""The MySQL dialect this plugin uses, and the in-place widening of columns PraisonAI made narrow.

The dialect is core's ``MYSQL``: a duplicate key is ignored with ``ON DUPLICATE KEY UPDATE key =
key`` (affected rows: 1 inserted, 0 already there), never ``INSERT IGNORE``, which also turns
"data too long" into a warning and truncates silently. That count is only reliable without the
FOUND_ROWS client flag, which this plugin therefore does not set; the SQL base's UPDATEs always
change ``updated_at``, so they report 1.
"""

from __future__ import annotations

from praisonai_persist.sql.dialect import MYSQL
from praisonai_persist.sql.statements import Statements

__all__ = ["COLUMN_TYPES_QUERY", "MYSQL_DIALECT", "WIDEN_COLUMNS", "columns_query", "widen_statements"]

#: Core's dialect (kept under this name for the SingleStore plugin and existing imports).
MYSQL_DIALECT = MYSQL

#: (table suffix, column, column definition, data types already wide enough).
WIDEN_COLUMNS = (
    ("messages", "content", "LONGTEXT", ("longtext",)),
    ("messages", "role", "VARCHAR(255) NOT NULL", None),
)
_VARCHAR_TARGET = 255


#: Column name, data type and maximum length of one table of the current database (``%s``: the table).
COLUMN_TYPES_QUERY = (
    "SELECT column_name, data_type, character_maximum_length FROM information_schema.columns "
    "WHERE table_schema = DATABASE() AND table_name = %s"
)


def columns_query(stmts: Statements) -> str:
    """The query listing column types of ``stmts``' tables (the store's database)."""
    return COLUMN_TYPES_QUERY


def widen_statements(stmts: Statements, columns: dict[str, tuple[str, int | None]]) -> list[str]:
    """``ALTER TABLE ... MODIFY`` for each column of the messages table narrower than ours.

    ``columns`` maps a lower-cased column name to (data type, maximum length). Widening keeps
    every row; it is needed to store what the contract promises (1 MB content) in tables made by
    PraisonAI (``content TEXT``, ``role VARCHAR(50)``).
    """
    table = stmts.dialect.quote(stmts.messages_table)
    out: list[str] = []
    for _suffix, column, definition, wide_types in WIDEN_COLUMNS:
        have = columns.get(column)
        if have is None:
            continue
        data_type, length = have[0].lower(), have[1]
        if wide_types is not None:
            if data_type in wide_types:
                continue
        elif data_type not in ("varchar", "char") or (length or 0) >= _VARCHAR_TARGET:
            continue
        out.append(f"ALTER TABLE {table} MODIFY {column} {definition}")
    return out
