"""ClickHouse SQL of the knowledge store, shared by the chDB and server paths.

Every value, metadata keys and the query vector included, is a server-side query parameter
(``{name:Type}``); only validated identifiers (database, table) and constants written here go
into the query text. Metadata is a JSON string column; filters test its JSON type before
comparing, so numbers compare with numbers, strings with strings and booleans with booleans.
"""

# ruff: noqa: S608  -- interpolated parts are validated identifiers and constants; values are parameters

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from praisonai_persist.errors import InvalidIdentifierError
from praisonai_persist.filters import And, Comparison, FilterNode, parse_filter
from praisonai_persist.identifiers import validate_identifier

__all__ = ["Query", "Statements", "translate_filter"]

COLUMNS = ("id", "content", "embedding", "metadata", "content_hash", "created_at")
_MAX_TABLE = 200
_NUMBER_TYPES = "('Int64', 'UInt64', 'Double')"
#: distance -> (SQL expression of the query vector that is lower for better matches)
_DISTANCE_SQL = {
    "cosine": "cosineDistance(embedding, {q:Array(Float32)})",
    "euclidean": "L2Distance(embedding, {q:Array(Float32)})",
    "dot": "-dotProduct(embedding, {q:Array(Float32)})",
}


@dataclass
class Query:
    """SQL text with ``{name:Type}`` placeholders and the values to bind."""

    sql: str
    params: dict[str, Any]


def score_of(distance: str, value: float) -> float:
    """The SQL distance as the common similarity scale."""
    if distance == "cosine":
        return 1.0 - float(value)
    if distance == "dot":
        return -float(value)
    return 1.0 / (1.0 + float(value))


class _Filter:
    def __init__(self) -> None:
        self.params: dict[str, Any] = {}

    def bind(self, value: Any, sql_type: str) -> str:
        name = f"f{len(self.params)}"
        self.params[name] = value
        return "{" + name + ":" + sql_type + "}"

    def node(self, node: FilterNode) -> str:
        if isinstance(node, Comparison):
            return self.comparison(node)
        joiner = " AND " if isinstance(node, And) else " OR "
        return "(" + joiner.join(self.node(child) for child in node.children) + ")"

    def equals(self, key: str, value: Any) -> str:
        """True when metadata[key] exists, has value's JSON type and equals it."""
        k = self.bind(key, "String")
        if value is None:
            return f"(JSONHas(metadata, {k}) AND JSONType(metadata, {k}) = 'Null')"
        if isinstance(value, bool):
            return f"(JSONType(metadata, {k}) = 'Bool' AND JSONExtractBool(metadata, {k}) = {self.bind(value, 'Bool')})"
        if isinstance(value, (int, float)):
            return (
                f"(JSONType(metadata, {k}) IN {_NUMBER_TYPES} "
                f"AND JSONExtractFloat(metadata, {k}) = {self.bind(float(value), 'Float64')})"
            )
        return (
            f"(JSONType(metadata, {k}) = 'String' AND JSONExtractString(metadata, {k}) = {self.bind(value, 'String')})"
        )

    def member(self, key: str, values: Sequence[Any]) -> str:
        """True when metadata[key] equals one of ``values`` (grouped by JSON type)."""
        strings = [v for v in values if isinstance(v, str)]
        numbers = [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
        others = [v for v in values if v is None or isinstance(v, bool)]
        parts = []
        if strings:
            k = self.bind(key, "String")
            parts.append(
                f"(JSONType(metadata, {k}) = 'String' AND JSONExtractString(metadata, {k}) IN "
                f"{self.bind(strings, 'Array(String)')})"
            )
        if numbers:
            k = self.bind(key, "String")
            parts.append(
                f"(JSONType(metadata, {k}) IN {_NUMBER_TYPES} AND JSONExtractFloat(metadata, {k}) IN "
                f"{self.bind(numbers, 'Array(Float64)')})"
            )
        parts += [self.equals(key, v) for v in others]
        return "(" + " OR ".join(parts) + ")" if parts else "0"

    def comparison(self, node: Comparison) -> str:
        key, op, value = node.key, node.op, node.value
        if op == "$eq":
            return self.equals(key, value)
        if op == "$ne":
            return f"NOT {self.equals(key, value)}"
        if op == "$in":
            return self.member(key, value)
        if op == "$nin":
            return f"NOT {self.member(key, value)}"
        symbol = {"$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}[op]
        k = self.bind(key, "String")
        if isinstance(value, str):
            return (
                f"(JSONType(metadata, {k}) = 'String' AND JSONExtractString(metadata, {k}) {symbol} "
                f"{self.bind(value, 'String')})"
            )
        return (
            f"(JSONType(metadata, {k}) IN {_NUMBER_TYPES} AND JSONExtractFloat(metadata, {k}) {symbol} "
            f"{self.bind(float(value), 'Float64')})"
        )


def translate_filter(filters: dict[str, Any] | None) -> Query | None:
    """A WHERE condition with its parameters (named ``f0``, ``f1`` ...) for a portable filter."""
    tree = parse_filter(filters)
    if tree is None:
        return None
    builder = _Filter()
    return Query(builder.node(tree), builder.params)


class Statements:
    """Statements for the tables ``{database}.{table_prefix}{collection}``."""

    def __init__(self, database: str, table_prefix: str) -> None:
        self.database = validate_identifier(database, "database")
        self.prefix = validate_identifier(table_prefix, "table prefix", allow_empty=True)

    def table_name(self, collection: str) -> str:
        validate_identifier(collection, "collection name")
        name = f"{self.prefix}{collection}"
        if len(name) > _MAX_TABLE:
            raise InvalidIdentifierError(f"Invalid collection name {collection!r}: the table name is too long.")
        return name

    def table(self, collection: str) -> str:
        return f"`{self.database}`.`{self.table_name(collection)}`"

    def create_database(self) -> str:
        return f"CREATE DATABASE IF NOT EXISTS `{self.database}`"

    def create_table(self, collection: str, dimension: int, distance: str) -> str:
        # The comment is built from a validated int and a canonical distance name only.
        comment = json.dumps({"praisonai_persist": 1, "dimension": int(dimension), "distance": distance})
        return (
            f"CREATE TABLE IF NOT EXISTS {self.table(collection)} (id String, content String, "
            f"embedding Array(Float32), metadata String, content_hash String, created_at Float64, "
            f"CONSTRAINT dimension CHECK length(embedding) = {int(dimension)}) "
            f"ENGINE = MergeTree ORDER BY id COMMENT '{comment}'"
        )

    def drop_table(self, collection: str) -> str:
        return f"DROP TABLE IF EXISTS {self.table(collection)}"

    def describe(self, collection: str) -> Query:
        return Query(
            "SELECT comment FROM system.tables WHERE database = {db:String} AND name = {name:String}",
            {"db": self.database, "name": self.table_name(collection)},
        )

    def list_tables(self) -> Query:
        return Query(
            "SELECT name, comment FROM system.tables WHERE database = {db:String} AND startsWith(name, {prefix:String}) "
            "ORDER BY name",
            {"db": self.database, "prefix": self.prefix},
        )

    def existing_ids(self, collection: str, ids: Sequence[str]) -> Query:
        return Query(f"SELECT id FROM {self.table(collection)} WHERE id IN {{ids:Array(String)}}", {"ids": list(ids)})

    def get(self, collection: str, ids: Sequence[str]) -> Query:
        return Query(
            f"SELECT {', '.join(COLUMNS)} FROM {self.table(collection)} WHERE id IN {{ids:Array(String)}}",
            {"ids": list(ids)},
        )

    def scroll(self, collection: str, limit: int, cursor: str | None) -> Query:
        """One scroll page: ``id > {cursor}`` (byte order, the table's sort key) ``ORDER BY id LIMIT``."""
        where = "" if cursor is None else " WHERE id > {cursor:String}"
        params: dict[str, Any] = {"lim": int(limit)}
        if cursor is not None:
            params["cursor"] = cursor
        return Query(
            f"SELECT {', '.join(COLUMNS)} FROM {self.table(collection)}{where} ORDER BY id ASC LIMIT {{lim:UInt32}}",
            params,
        )

    def search(
        self, collection: str, distance: str, vector: Sequence[float], limit: int, filters: dict[str, Any] | None
    ) -> Query:
        where = translate_filter(filters)
        condition = "" if where is None else f" WHERE {where.sql}"
        params: dict[str, Any] = {"q": [float(x) for x in vector], "lim": int(limit)}
        if where is not None:
            params.update(where.params)
        return Query(
            f"SELECT {', '.join(COLUMNS)}, {_DISTANCE_SQL[distance]} AS distance FROM {self.table(collection)}"
            f"{condition} ORDER BY distance ASC, id ASC LIMIT {{lim:UInt32}}",
            params,
        )

    def _where(self, ids: Sequence[str] | None, filters: dict[str, Any] | None) -> Query:
        clauses = []
        params: dict[str, Any] = {}
        if ids is not None:
            clauses.append("id IN {ids:Array(String)}")
            params["ids"] = list(ids)
        where = translate_filter(filters)
        if where is not None:
            clauses.append(where.sql)
            params.update(where.params)
        return Query(" AND ".join(clauses) or "1", params)

    def count_where(self, collection: str, ids: Sequence[str] | None, filters: dict[str, Any] | None) -> Query:
        where = self._where(ids, filters)
        return Query(f"SELECT count() FROM {self.table(collection)} WHERE {where.sql}", where.params)

    def delete_where(self, collection: str, ids: Sequence[str] | None, filters: dict[str, Any] | None) -> Query:
        where = self._where(ids, filters)
        return Query(f"DELETE FROM {self.table(collection)} WHERE {where.sql}", where.params)

    def count(self, collection: str) -> Query:
        return Query(f"SELECT count() FROM {self.table(collection)}", {})
