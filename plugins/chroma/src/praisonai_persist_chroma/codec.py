"""Documents to Chroma records and back, collection names and shapes, distances to scores.

Chroma metadata is flat (str, number, bool). Each record holds a filterable copy of the
document's top-level scalar values, numbers as floats (see :mod:`.filters`), plus one internal
key, ``_pp``: a small JSON object with the content hash (``h``), the creation time (``t``), the
keys whose values were integers (``i``), and the whole metadata (``m``) only when the flat copy
cannot give it back exactly (nested values, nulls, huge integers, None metadata).
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from praisonai_persist.errors import DimensionMismatchError, DocumentExistsError
from praisonai_persist.identifiers import validate_dimension, validate_identifier
from praisonai_persist.knowledge import check_limit
from praisonai_persist.models import CollectionInfo, KnowledgeDocument
from praisonai_persist.scores import normalize_distance, similarity_from_squared_euclidean

__all__ = [
    "INCLUDE_GET",
    "INCLUDE_QUERY",
    "Shape",
    "check_limit",
    "check_query",
    "chunks",
    "collection_info",
    "collection_spec",
    "docs_from_get",
    "docs_from_query",
    "native_name",
    "visible_names",
    "repeated_ids",
    "shape_of",
    "to_records",
    "unique_ids",
]

_META, _INTERNAL = "_pp_meta", "_pp"
_EXACT_INT = 2**53
_DIMENSION, _DISTANCE = "pp_dimension", "pp_distance"
_SPACES = {"cosine": "cosine", "euclidean": "l2", "dot": "ip"}
_FROM_SPACE = {v: k for k, v in _SPACES.items()}
_CHROMA_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_]{1,510}[A-Za-z0-9]")
_WRAP = ("pp-", "-pp")
INCLUDE_GET = ["embeddings", "documents", "metadatas"]
INCLUDE_QUERY = ["embeddings", "documents", "metadatas", "distances"]


@dataclass(frozen=True)
class Shape:
    """Dimension (None for a collection made elsewhere and still empty) and canonical distance."""

    dimension: int | None
    distance: str


def native_name(prefix: str, name: str) -> str:
    """The Chroma collection name for ``prefix + name``.

    Chroma wants 3+ characters that start and end with a letter or digit; a valid identifier that
    is not such a name (``"s0"``, ``"_x"``) is wrapped as ``pp-<name>-pp``. Identifiers never
    contain ``-``, so the wrapping cannot collide with a plain name and is undone by
    :func:`visible_names`.
    """
    full = prefix + validate_identifier(name, "collection name")
    return full if _CHROMA_NAME.fullmatch(full) else f"{_WRAP[0]}{full}{_WRAP[1]}"


def visible_names(prefix: str, native_names: Sequence[str]) -> list[str]:
    """User-facing names of this store's collections (prefix stripped, wrapping undone)."""
    out = []
    for native in native_names:
        full = native
        if native.startswith(_WRAP[0]) and native.endswith(_WRAP[1]):
            full = native[len(_WRAP[0]) : -len(_WRAP[1])]
        elif "-" in native:
            continue  # not a name this package made
        if full.startswith(prefix) and len(full) > len(prefix):
            out.append(full[len(prefix) :])
    return sorted(out)


def collection_spec(dimension: int, distance: str, metadata: Mapping[str, Any] | None) -> tuple[Shape, dict[str, Any]]:
    """Shape and the collection metadata that records it (user metadata kept as JSON)."""
    shape = Shape(validate_dimension(dimension), normalize_distance(distance))
    tags: dict[str, Any] = {_DIMENSION: shape.dimension, _DISTANCE: shape.distance}
    if metadata:
        tags[_META] = json.dumps(dict(metadata))
    return shape, tags


def collection_info(name: str, dimension: int, distance: str, tags: Mapping[str, Any] | None) -> CollectionInfo:
    """What ``describe_collection`` reports; the user's creation metadata is the JSON kept in ``tags``."""
    raw = (tags or {}).get(_META)
    return CollectionInfo(name, dimension, distance, json.loads(raw) if isinstance(raw, str) else {})


def space_of(distance: str) -> str:
    return _SPACES[distance]


def shape_of(collection: Any) -> Shape:
    """The Shape of an existing collection from its metadata (or its HNSW space when made elsewhere)."""
    tags = collection.metadata or {}
    distance = tags.get(_DISTANCE)
    if distance is None:
        configuration = collection.configuration or {}
        hnsw = configuration.get("hnsw") or configuration.get("spann") or {}
        distance = _FROM_SPACE.get(str(hnsw.get("space", "l2")), "euclidean")
    dimension = tags.get(_DIMENSION)
    return Shape(int(dimension) if dimension is not None else None, normalize_distance(str(distance)))


def to_score(distance: str, raw: float) -> float:
    """Chroma reports cosine as 1 - cos, ip as 1 - dot and l2 as the squared distance."""
    if distance == "euclidean":
        return similarity_from_squared_euclidean(raw)
    return 1.0 - float(raw)


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def unique_ids(ids: Sequence[str] | str) -> list[str]:
    return list(dict.fromkeys([ids] if isinstance(ids, str) else ids))


def check_query(collection: str, shape: Shape, query: Sequence[float]) -> list[float]:
    vector = [float(x) for x in query]
    if shape.dimension is not None and len(vector) != shape.dimension:
        raise DimensionMismatchError(collection, shape.dimension, len(vector))
    return vector


def repeated_ids(collection: str, documents: Sequence[KnowledgeDocument]) -> None:
    """Raise DocumentExistsError when one insert batch names an id twice."""
    seen: set[str] = set()
    repeated = [d.id for d in documents if d.id in seen or seen.add(d.id)]  # type: ignore[func-returns-value]
    if repeated:
        raise DocumentExistsError(collection, list(dict.fromkeys(repeated)))


def _encode(metadata: Mapping[str, Any] | None, content_hash: str | None, created_at: float) -> dict[str, Any]:
    """The Chroma metadata of one document: the filterable copy plus the ``_pp`` key."""
    flat: dict[str, Any] = {}
    ints: list[str] = []
    exact = metadata is not None
    for key, value in (metadata or {}).items():
        if not isinstance(key, str) or key == _INTERNAL:
            exact = False
        elif isinstance(value, (bool, str)):
            flat[key] = value
        elif isinstance(value, int) and -_EXACT_INT <= value <= _EXACT_INT:
            flat[key] = float(value)
            ints.append(key)
        elif isinstance(value, float) and math.isfinite(value):
            flat[key] = value
        else:
            exact = False
            if isinstance(value, (int, float)) and math.isfinite(value):
                flat[key] = float(value)  # still filterable, approximately
    internal: dict[str, Any] = {"t": float(created_at)}
    if content_hash is not None:
        internal["h"] = content_hash
    if ints:
        internal["i"] = ints
    if not exact:
        internal["m"] = metadata
    flat[_INTERNAL] = json.dumps(internal, separators=(",", ":"))
    return flat


def to_records(
    collection: str, shape: Shape, documents: Sequence[KnowledgeDocument]
) -> tuple[list[str], Any, list[str], list[dict[str, Any]]]:
    """ids, embeddings (one float32 matrix), documents and metadatas; every document is checked first."""
    ids: list[str] = []
    vectors: list[Sequence[float]] = []
    contents: list[str] = []
    metadatas: list[dict[str, Any]] = []
    for doc in documents:
        if not doc.id:
            raise ValueError(f"Chroma needs a non-empty document id (collection {collection!r}).")
        if doc.embedding is None:
            raise ValueError(f"Document {doc.id!r} has no embedding; embed it before adding it to {collection!r}.")
        if shape.dimension is not None and len(doc.embedding) != shape.dimension:
            raise DimensionMismatchError(collection, shape.dimension, len(doc.embedding))
        if shape.dimension is None and vectors and len(doc.embedding) != len(vectors[0]):
            raise DimensionMismatchError(collection, len(vectors[0]), len(doc.embedding))
        meta = _encode(doc.metadata, doc.content_hash, doc.created_at)
        ids.append(doc.id)
        vectors.append(doc.embedding)
        contents.append(doc.content)
        metadatas.append(meta)
    # One C-level conversion instead of a Python float() per value; Chroma stores float32 anyway.
    matrix = np.asarray(vectors, dtype=np.float32) if vectors else np.zeros((0, shape.dimension or 0), np.float32)
    return ids, matrix, contents, metadatas


def _document(
    doc_id: str, content: Any, embedding: Any, meta: Mapping[str, Any] | None, score: float | None
) -> KnowledgeDocument:
    meta = dict(meta or {})
    raw = meta.pop(_INTERNAL, None)
    internal: dict[str, Any] = json.loads(raw) if isinstance(raw, str) else {}
    if "m" in internal:
        metadata = internal["m"]
    elif raw is None:  # a record written by another tool: its flat metadata is all there is
        metadata = meta or None
    else:
        ints = set(internal.get("i", ()))
        metadata = {k: int(v) if k in ints else v for k, v in meta.items()}
    created = internal.get("t")
    return KnowledgeDocument(
        id=doc_id,
        content=content or "",
        embedding=None if embedding is None else [float(x) for x in embedding],
        metadata=metadata,
        content_hash=internal.get("h"),
        created_at=float(created) if created is not None else time.time(),
        score=score,
    )


def _column(result: Mapping[str, Any], name: str, n: int) -> list[Any]:
    values = result.get(name)
    return [None] * n if values is None else list(values)


def docs_from_get(result: Mapping[str, Any]) -> list[KnowledgeDocument]:
    ids = list(result["ids"])
    n = len(ids)
    columns = zip(
        ids,
        _column(result, "documents", n),
        _column(result, "embeddings", n),
        _column(result, "metadatas", n),
        strict=True,
    )
    return [_document(i, c, e, m, None) for i, c, e, m in columns]


def docs_from_query(result: Mapping[str, Any], distance: str) -> list[KnowledgeDocument]:
    """Documents of the first (only) query of a Chroma query result, with scores."""
    ids = list(result["ids"][0]) if result["ids"] else []
    n = len(ids)

    def first(name: str) -> list[Any]:
        values = result.get(name)
        return [None] * n if values is None or not len(values) else list(values[0])

    columns = zip(ids, first("documents"), first("embeddings"), first("metadatas"), first("distances"), strict=True)
    return [_document(i, c, e, m, to_score(distance, d)) for i, c, e, m, d in columns]
