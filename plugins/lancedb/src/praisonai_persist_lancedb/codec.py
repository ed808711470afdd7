"""Documents to Arrow tables and back, the table schema, and LanceDB distances to scores.

A collection is one Lance table: ``id``, ``content``, ``vector`` (fixed-size float32 list),
``metadata`` (JSON), ``content_hash``, ``created_at`` (float64). Its distance and any
collection metadata live in the schema's metadata, so a reopened table knows how to score.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from lancedb.expr import col
from lancedb.query import ColumnOrdering

from praisonai_persist.errors import DimensionMismatchError, DocumentExistsError
from praisonai_persist.identifiers import validate_dimension
from praisonai_persist.knowledge import check_limit
from praisonai_persist.models import CollectionInfo, KnowledgeDocument
from praisonai_persist.scores import normalize_distance, similarity_from_squared_euclidean

from .sql import METADATA_COLUMN

__all__ = [
    "COLUMNS",
    "DISTANCE_COLUMN",
    "ID_CHUNK",
    "SCROLL_ORDER",
    "Shape",
    "collection_info",
    "scroll_after",
    "check_limit",
    "ids_expr",
    "ids_sql",
    "unique_ids",
    "chunks",
    "docs_from_arrow",
    "lance_metric",
    "make_schema",
    "check_query",
    "shape_of",
    "to_arrow",
    "to_score",
    "repeated_ids",
]

_DISTANCE_KEY = b"praisonai_persist.distance"
_META_KEY = b"praisonai_persist.metadata"
_METRICS = {"cosine": "cosine", "euclidean": "l2", "dot": "dot"}
DISTANCE_COLUMN = "_distance"
COLUMNS = ["id", "content", "vector", "metadata", "content_hash", "created_at"]
ID_CHUNK = 4096


def ids_expr(ids: Sequence[str]) -> Any:
    """``id IN (...)`` as a LanceDB expression object (values bound, never formatted by us)."""
    return col("id").isin(list(ids))


def ids_sql(ids: Sequence[str]) -> str:
    """``id IN (...)`` rendered by LanceDB's own expression builder (it quotes the values)."""
    return str(col("id").isin(list(ids)).to_sql())


#: Scroll order: by id, ascending. With a limit LanceDB runs a top-k sort (bounded memory).
SCROLL_ORDER = [ColumnOrdering(column_name="id", ascending=True)]


def scroll_after(cursor: str | None) -> Any:
    """``id > cursor`` as a LanceDB expression (the value bound by LanceDB, not formatted by us)."""
    if cursor is None:
        return None
    if not isinstance(cursor, str):
        raise ValueError(f"scroll cursor must be a string returned by scroll, got {cursor!r}.")
    return col("id") > cursor


def unique_ids(ids: Sequence[str] | str) -> list[str]:
    return list(dict.fromkeys([ids] if isinstance(ids, str) else ids))


@dataclass(frozen=True)
class Shape:
    """Dimension and canonical distance of a collection, with its Arrow schema."""

    dimension: int
    distance: str
    schema: pa.Schema


def make_schema(dimension: int, distance: str, metadata: dict[str, Any] | None = None) -> Shape:
    dim = validate_dimension(dimension)
    kind = normalize_distance(distance)
    tags = {_DISTANCE_KEY: kind.encode()}
    if metadata:
        tags[_META_KEY] = json.dumps(metadata).encode()
    schema = pa.schema(
        [
            pa.field("id", pa.string(), nullable=False),
            pa.field("content", pa.string()),
            pa.field("vector", pa.list_(pa.float32(), dim)),
            pa.field(METADATA_COLUMN, pa.json_()),
            pa.field("content_hash", pa.string()),
            pa.field("created_at", pa.float64()),
        ],
        metadata=tags,
    )
    return Shape(dim, kind, schema)


def shape_of(schema: pa.Schema) -> Shape:
    """The Shape of an existing table (tables made elsewhere default to cosine).

    Its ``schema`` is the one to write with (JSON as ``pa.json_()``, which LanceDB stores as
    JSONB), not the table's read schema.
    """
    vector = schema.field("vector").type
    distance = (schema.metadata or {}).get(_DISTANCE_KEY, b"cosine").decode()
    return make_schema(int(vector.list_size), distance)


def collection_info(name: str, schema: pa.Schema) -> CollectionInfo:
    """What ``describe_collection`` reports, read from a table's schema (metadata from its tags)."""
    shape = shape_of(schema)
    raw = (schema.metadata or {}).get(_META_KEY)
    return CollectionInfo(name, shape.dimension, shape.distance, json.loads(raw) if raw else {})


def lance_metric(distance: str) -> str:
    return _METRICS[distance]


def to_score(distance: str, raw: float) -> float:
    """LanceDB reports cosine as 1 - cos, dot as 1 - dot, and L2 as the squared distance."""
    if distance == "euclidean":
        return similarity_from_squared_euclidean(raw)
    return 1.0 - float(raw)


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def repeated_ids(collection: str, documents: Sequence[KnowledgeDocument]) -> None:
    """Raise DocumentExistsError when one insert batch names an id twice."""
    seen: set[str] = set()
    repeated = [d.id for d in documents if d.id in seen or seen.add(d.id)]  # type: ignore[func-returns-value]
    if repeated:
        raise DocumentExistsError(collection, list(dict.fromkeys(repeated)))


def to_arrow(collection: str, shape: Shape, documents: Sequence[KnowledgeDocument]) -> pa.Table:
    """An Arrow table of ``documents``; every embedding is checked before anything is written."""
    vectors: list[float] = []
    for doc in documents:
        if doc.embedding is None:
            raise ValueError(f"Document {doc.id!r} has no embedding; embed it before adding it to {collection!r}.")
        if len(doc.embedding) != shape.dimension:
            raise DimensionMismatchError(collection, shape.dimension, len(doc.embedding))
        vectors.extend(doc.embedding)
    flat = pa.array(vectors, type=pa.float32())
    columns = [
        pa.array([d.id for d in documents], type=pa.string()),
        pa.array([d.content for d in documents], type=pa.string()),
        pa.FixedSizeListArray.from_arrays(flat, shape.dimension),
        pa.array([None if d.metadata is None else json.dumps(d.metadata) for d in documents], type=pa.json_()),
        pa.array([d.content_hash for d in documents], type=pa.string()),
        pa.array([float(d.created_at) for d in documents], type=pa.float64()),
    ]
    return pa.Table.from_arrays(columns, schema=shape.schema)


def check_query(collection: str, shape: Shape, query: Sequence[float]) -> list[float]:
    vector = [float(x) for x in query]
    if len(vector) != shape.dimension:
        raise DimensionMismatchError(collection, shape.dimension, len(vector))
    return vector


def docs_from_arrow(table: pa.Table, distance: str | None = None) -> list[KnowledgeDocument]:
    """KnowledgeDocuments from a query result (with ``_distance`` → score when ``distance`` is set)."""
    cols = table.to_pydict()
    scores = cols.get(DISTANCE_COLUMN) if distance is not None else None
    out = []
    for i, doc_id in enumerate(cols["id"]):
        raw_meta = cols[METADATA_COLUMN][i]
        out.append(
            KnowledgeDocument(
                id=doc_id,
                content=cols["content"][i] or "",
                embedding=[float(x) for x in cols["vector"][i]],
                metadata=None if raw_meta is None else json.loads(raw_meta),
                content_hash=cols["content_hash"][i],
                created_at=cols["created_at"][i],
                score=None if scores is None or distance is None else to_score(distance, scores[i]),
            )
        )
    return out
