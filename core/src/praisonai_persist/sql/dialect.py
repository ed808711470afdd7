"""SQL dialects: the few facts that differ between engines, as plain data.

A plugin for a new SQL engine picks (or derives with :func:`dataclasses.replace`) one of
these and supplies connection handling; every statement text comes from
:mod:`praisonai_persist.sql.statements`. Nothing here imports a driver.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MYSQL", "POSTGRES", "SQLITE", "Dialect"]


@dataclass(frozen=True)
class Dialect:
    """How one SQL engine spells the parts of our schema and queries that differ."""

    #: Short name, for messages ("sqlite", "postgres", "mysql").
    name: str
    #: Bound-parameter style: ``"qmark"`` (``?``), ``"format"`` (``%s``) or ``"numeric"`` (``$1``).
    paramstyle: str = "qmark"
    #: Column types (PraisonAI's ``_id_type``, ``_json_type``, ``_float_type``).
    id_type: str = "TEXT"
    json_type: str = "TEXT"
    float_type: str = "REAL"
    text_type: str = "TEXT"
    #: Column that breaks ties on ``created_at`` in insertion order ("rowid" in SQLite).
    tiebreak_column: str = "rowid"
    #: DDL of that column when it must be created (``None``: the engine has it implicitly).
    seq_column_ddl: str | None = None
    #: "Insert ignoring an existing primary key": ``{prefix} table (...) VALUES (...){suffix}``;
    #: ``{key}`` in the suffix is replaced by the key column.
    insert_ignore_prefix: str = "INSERT OR IGNORE INTO"
    insert_ignore_suffix: str = ""
    #: Identifier quoting and case folding (PostgreSQL folds unquoted names to lower case,
    #: so names are folded before quoting to open tables other tools made unquoted).
    quote_char: str = '"'
    fold_lower: bool = False
    #: Longest identifier the engine keeps (index names are cut to it, as the engine would).
    max_identifier_length: int = 1024
    #: ``CREATE INDEX IF NOT EXISTS`` is understood.
    create_index_if_not_exists: bool = True
    #: Appended to ``CREATE TABLE (...)`` (engine, charset).
    table_options: str = ""
    #: ``LIMIT ? OFFSET ?`` spelled for this engine (placeholders written as ``?``).
    limit_offset: str = "LIMIT ? OFFSET ?"
    limit_only: str = "LIMIT ?"
    #: SQL expression of the connection's current schema, put where introspection queries say
    #: ``{schema}`` when the store names no schema; ``None``: the engine has no schemas here.
    schema_expr: str | None = None
    #: Introspection: one ``?`` parameter, the table name; one column of names per row.
    #: ``{schema}`` is replaced by the store's schema (a quoted literal) or ``schema_expr``.
    columns_query: str = "SELECT name FROM pragma_table_info(?)"
    indexes_query: str = "SELECT name FROM pragma_index_list(?)"
    #: ``ALTER TABLE {table} ADD COLUMN {column}`` form.
    add_column: str = "ALTER TABLE {table} ADD COLUMN {column} {type}"

    def quote(self, identifier: str) -> str:
        """Quoted (and case-folded) identifier; callers validate identifiers first."""
        name = identifier.lower() if self.fold_lower else identifier
        q = self.quote_char
        return f"{q}{name}{q}"

    def stored_name(self, identifier: str) -> str:
        """The name as the catalog stores it (for introspection queries)."""
        return identifier.lower() if self.fold_lower else identifier


SQLITE = Dialect(name="sqlite")

POSTGRES = Dialect(
    name="postgres",
    paramstyle="format",
    id_type="VARCHAR(255)",
    json_type="JSONB",
    float_type="DOUBLE PRECISION",
    text_type="TEXT",
    tiebreak_column="seq",
    seq_column_ddl="seq BIGSERIAL",
    insert_ignore_prefix="INSERT INTO",
    insert_ignore_suffix=" ON CONFLICT ({key}) DO NOTHING",
    quote_char='"',
    fold_lower=True,
    max_identifier_length=63,
    schema_expr="current_schema()",
    columns_query="SELECT column_name FROM information_schema.columns WHERE table_schema = {schema} AND table_name = ?",
    indexes_query="SELECT indexname FROM pg_indexes WHERE schemaname = {schema} AND tablename = ?",
)

MYSQL = Dialect(
    name="mysql",
    paramstyle="format",
    id_type="VARCHAR(255)",
    json_type="JSON",
    float_type="DOUBLE",
    # TEXT holds 64 KB in MySQL; messages may be far larger.
    text_type="LONGTEXT",
    tiebreak_column="seq",
    seq_column_ddl="seq BIGINT NOT NULL AUTO_INCREMENT UNIQUE",
    # Not INSERT IGNORE: IGNORE also turns "data too long" (and other errors) into warnings and
    # truncates silently. This no-op assignment ignores only the duplicate key: 1 affected row
    # for an insert, 0 for a duplicate, as long as the driver does not set CLIENT_FOUND_ROWS
    # (PyMySQL and aiomysql do not by default; with it a duplicate would report 1).
    insert_ignore_prefix="INSERT INTO",
    insert_ignore_suffix=" ON DUPLICATE KEY UPDATE {key} = {key}",
    quote_char="`",
    max_identifier_length=64,
    create_index_if_not_exists=False,
    table_options=" ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
    schema_expr="DATABASE()",
    columns_query="SELECT column_name FROM information_schema.columns WHERE table_schema = {schema} AND table_name = ?",
    indexes_query=(
        "SELECT DISTINCT index_name FROM information_schema.statistics WHERE table_schema = {schema} AND table_name = ?"
    ),
)
