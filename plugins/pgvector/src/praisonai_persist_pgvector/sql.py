"""SQL of the pgvector stores: table names, statements and the portable-filter translation.

Identifiers (schema, table prefix, collection) are validated and quoted with ``psycopg.sql``;
every value, metadata keys included, is a bound parameter. Shared by the sync and async stores.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from praisonai_persist.errors import InvalidIdentifierError, UnsupportedFilterError
from praisonai_persist.filters import And, Comparison, FilterNode, Or, parse_filter
from praisonai_persist.identifiers import validate_identifier
from praisonai_persist.knowledge import page_after
from praisonai_persist.models import KnowledgeDocument
from praisonai_persist.scores import normalize_distance

from .common import client_modules

client_modules()  # a missing psycopg/pgvector is reported with the install line, not a bare ImportError

from psycopg import sql  # noqa: E402
from psycopg.types.json import Jsonb  # noqa: E402

__all__ = [
    "COLUMNS",
    "COPY_TYPES",
    "Collection",
    "Jsonb",
    "Statements",
    "document_from_row",
    "document_row",
    "score_of",
    "scroll_page",
    "translate_filter",
]

#: PostgreSQL truncates longer identifiers silently, which could make two collections one table.
_PG_MAX_IDENTIFIER = 63

COLUMNS = ("id", "content", "embedding", "metadata", "content_hash", "created_at")
#: PostgreSQL types of COLUMNS, for binary COPY.
COPY_TYPES = ("text", "text", "vector", "jsonb", "text", "float8")

#: distance -> (pgvector operator, HNSW operator class)
_OPERATORS = {
    "cosine": ("<=>", "vector_cosine_ops"),
    "euclidean": ("<->", "vector_l2_ops"),
    "dot": ("<#>", "vector_ip_ops"),
}


@dataclass(frozen=True)
class Collection:
    """What the registry table records about a collection."""

    name: str
    dimension: int
    distance: str


def score_of(distance: str, value: float) -> float:
    """The engine's distance as the common similarity (``<#>`` is the negated inner product)."""
    if distance == "cosine":
        return 1.0 - float(value)
    if distance == "dot":
        return -float(value)
    return 1.0 / (1.0 + float(value))


def _comparison(node: Comparison) -> tuple[sql.Composable, list[Any]]:
    key, op, value = node.key, node.op, node.value
    field = sql.SQL("(metadata -> %s)")
    if op == "$eq":
        return sql.SQL("{} = %s").format(field), [key, Jsonb(value)]
    if op == "$ne":
        return sql.SQL("{} IS DISTINCT FROM %s").format(field), [key, Jsonb(value)]
    if op in ("$in", "$nin"):
        values = [json.dumps(v) for v in value]
        test = sql.SQL("{} = ANY(%s::jsonb[])").format(field)
        if op == "$in":
            return test, [key, values]
        return sql.SQL("NOT COALESCE({}, false)").format(test), [key, values]
    # Ranges compare numbers with numbers and strings with strings, never across JSON types.
    kind = "string" if isinstance(value, str) else "number"
    symbol = {"$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}[op]
    return (
        sql.SQL("(jsonb_typeof({f}) = %s AND {f} {s} %s)").format(f=field, s=sql.SQL(symbol)),
        [key, kind, key, Jsonb(value)],
    )


def _node(node: FilterNode) -> tuple[sql.Composable, list[Any]]:
    if isinstance(node, Comparison):
        return _comparison(node)
    parts = [_node(child) for child in node.children]
    joiner = sql.SQL(" AND " if isinstance(node, And) else " OR ")
    params = [p for _, ps in parts for p in ps]
    return sql.SQL("({})").format(joiner.join(part for part, _ in parts)), params


def translate_filter(filters: dict[str, Any] | None) -> tuple[sql.Composable, list[Any]] | None:
    """A WHERE condition and its parameters for a portable filter (None for no filter)."""
    tree = parse_filter(filters)
    if tree is None:
        return None
    if not isinstance(tree, (Comparison, And, Or)):  # pragma: no cover - parse_filter's contract
        raise UnsupportedFilterError(f"Unsupported filter {filters!r}.")
    return _node(tree)


class Statements:
    """Statements for one ``(schema, table_prefix)`` namespace."""

    def __init__(self, schema: str, table_prefix: str) -> None:
        self.schema = validate_identifier(schema, "schema")
        self.prefix = validate_identifier(table_prefix, "table prefix", allow_empty=True)
        self.registry = sql.Identifier(self.schema, f"{self.prefix}collections")

    def table_name(self, collection: str) -> str:
        """The table of ``collection`` (validated; never longer than PostgreSQL keeps)."""
        validate_identifier(collection, "collection name")
        name = f"{self.prefix}col_{collection}"
        if len(name) > _PG_MAX_IDENTIFIER:
            raise InvalidIdentifierError(
                f"Invalid collection name {collection!r}: with the table prefix {self.prefix!r} the table name "
                f"would exceed PostgreSQL's {_PG_MAX_IDENTIFIER} characters."
            )
        return name

    def table(self, collection: str) -> sql.Identifier:
        return sql.Identifier(self.schema, self.table_name(collection))

    # -- schema ------------------------------------------------------------------------------
    def setup(self) -> list[sql.Composable]:
        return [
            sql.SQL("CREATE EXTENSION IF NOT EXISTS vector"),
            sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(self.schema)),
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} (name TEXT PRIMARY KEY, dimension INTEGER NOT NULL, "
                "distance TEXT NOT NULL, metadata JSONB, created_at DOUBLE PRECISION NOT NULL)"
            ).format(self.registry),
        ]

    def create_table(self, collection: str, dimension: int) -> sql.Composable:
        return sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (id TEXT PRIMARY KEY, content TEXT NOT NULL, "
            "embedding vector({}) NOT NULL, metadata JSONB, content_hash TEXT, created_at DOUBLE PRECISION NOT NULL)"
        ).format(self.table(collection), sql.Literal(int(dimension)))

    def create_hnsw_index(self, collection: str, distance: str) -> sql.Composable:
        return sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} USING hnsw (embedding {})").format(
            sql.Identifier(f"{self.table_name(collection)}_hnsw"),
            self.table(collection),
            sql.SQL(_OPERATORS[distance][1]),
        )

    def register(self) -> sql.Composable:
        return sql.SQL(
            "INSERT INTO {} (name, dimension, distance, metadata, created_at) VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (name) DO NOTHING"
        ).format(self.registry)

    def lookup(self) -> sql.Composable:
        return sql.SQL("SELECT name, dimension, distance FROM {} WHERE name = %s").format(self.registry)

    def describe(self) -> sql.Composable:
        return sql.SQL("SELECT name, dimension, distance, metadata FROM {} WHERE name = %s").format(self.registry)

    def list_names(self) -> sql.Composable:
        return sql.SQL("SELECT name FROM {} ORDER BY name").format(self.registry)

    def drop_table(self, collection: str) -> sql.Composable:
        return sql.SQL("DROP TABLE IF EXISTS {}").format(self.table(collection))

    def unregister(self) -> sql.Composable:
        return sql.SQL("DELETE FROM {} WHERE name = %s").format(self.registry)

    # -- documents ---------------------------------------------------------------------------
    def insert(self, collection: str, *, upsert: bool) -> sql.Composable:
        statement = sql.SQL(
            "INSERT INTO {} (id, content, embedding, metadata, content_hash, created_at) VALUES (%s, %s, %s, %s, %s, %s)"
        ).format(self.table(collection))
        if not upsert:
            return statement
        return statement + sql.SQL(
            " ON CONFLICT (id) DO UPDATE SET content = EXCLUDED.content, embedding = EXCLUDED.embedding, "
            "metadata = EXCLUDED.metadata, content_hash = EXCLUDED.content_hash, created_at = EXCLUDED.created_at"
        )

    def copy(self, collection: str) -> sql.Composable:
        """Binary COPY of new rows (insert): the fastest bulk path, still one transaction."""
        return sql.SQL(
            "COPY {} (id, content, embedding, metadata, content_hash, created_at) FROM STDIN (FORMAT BINARY)"
        ).format(self.table(collection))

    def existing_ids(self, collection: str) -> sql.Composable:
        return sql.SQL("SELECT id FROM {} WHERE id = ANY(%s)").format(self.table(collection))

    def get(self, collection: str) -> sql.Composable:
        return sql.SQL(
            "SELECT id, content, embedding, metadata, content_hash, created_at FROM {} WHERE id = ANY(%s)"
        ).format(self.table(collection))

    def scroll(self, collection: str, limit: int, *, after: bool) -> sql.Composable:
        """One scroll page (``limit`` rows; callers ask one more to see whether a next page exists).

        Ordered by the primary key in the column's own (deterministic) collation on both the
        ``WHERE`` and the ``ORDER BY``, so the primary-key index serves the page; with ``after``
        the cursor (the last id of the previous page) is a bound parameter.
        """
        where = sql.SQL(" WHERE id > %s") if after else sql.SQL("")
        return sql.SQL(
            "SELECT id, content, embedding, metadata, content_hash, created_at FROM {table}{where} "
            "ORDER BY id LIMIT {limit}"
        ).format(table=self.table(collection), where=where, limit=sql.Literal(int(limit)))

    def search(
        self, collection: str, distance: str, filters: dict[str, Any] | None, limit: int
    ) -> tuple[sql.Composable, list[Any]]:
        """Exact (or HNSW, when the table has that index) nearest neighbours; params after the vector."""
        where = translate_filter(filters)
        operator = sql.SQL(_OPERATORS[distance][0])
        condition, params = (sql.SQL(""), []) if where is None else (sql.SQL(" WHERE ") + where[0], where[1])
        statement = sql.SQL(
            "SELECT id, content, embedding, metadata, content_hash, created_at, embedding {op} %s AS distance "
            "FROM {table}{where} ORDER BY distance, id LIMIT {limit}"
        ).format(op=operator, table=self.table(collection), where=condition, limit=sql.Literal(int(limit)))
        return statement, params

    def delete(
        self, collection: str, ids: Sequence[str] | None, filters: dict[str, Any] | None
    ) -> tuple[sql.Composable, list[Any]]:
        clauses: list[sql.Composable] = []
        params: list[Any] = []
        if ids is not None:
            clauses.append(sql.SQL("id = ANY(%s)"))
            params.append(list(ids))
        where = translate_filter(filters)
        if where is not None:
            clauses.append(where[0])
            params.extend(where[1])
        statement = sql.SQL("DELETE FROM {}").format(self.table(collection))
        if clauses:
            statement += sql.SQL(" WHERE ") + sql.SQL(" AND ").join(clauses)
        return statement, params

    def count(self, collection: str) -> sql.Composable:
        return sql.SQL("SELECT count(*) FROM {}").format(self.table(collection))


def document_row(doc: KnowledgeDocument, vector: Any) -> tuple[Any, ...]:
    """Parameters of one INSERT row."""
    return (
        doc.id,
        doc.content,
        vector,
        None if doc.metadata is None else Jsonb(doc.metadata),
        doc.content_hash,
        float(doc.created_at),
    )


def document_from_row(row: Sequence[Any], distance: str | None = None) -> KnowledgeDocument:
    """A document from ``SELECT id, content, embedding, metadata, content_hash, created_at[, distance]``."""
    embedding = row[2]
    if embedding is not None:
        # pgvector >= 0.4 loads a Vector; older releases a numpy array.
        values = embedding.to_list() if hasattr(embedding, "to_list") else embedding.tolist()
    return KnowledgeDocument(
        id=row[0],
        content=row[1],
        embedding=None if embedding is None else [float(x) for x in values],
        metadata=row[3],
        content_hash=row[4],
        created_at=float(row[5]),
        score=None if distance is None else score_of(distance, row[6]),
    )


def scroll_page(rows: Sequence[Sequence[Any]], limit: int) -> tuple[list[KnowledgeDocument], str | None]:
    """``scroll``'s page from up to ``limit + 1`` rows: the extra row only says a next page exists."""
    return page_after([document_from_row(row) for row in rows], limit)


def canonical_distance(distance: str) -> str:
    return normalize_distance(distance)
