"""Translation for Atlas Vector Search: portable filters → MQL documents, and the aggregation
pipeline of a search. Pure functions (no client), unit-tested without a server.

Values go into MQL as BSON values, never as query text, so no quoting is involved. Metadata lives
in the ``metadata`` sub-document, so filter key ``k`` becomes path ``metadata.k``; keys must be
identifiers (no dots or ``$``). MQL already has the portable semantics: ``$ne``/``$nin`` match a
missing key, ``True`` never equals ``1``, ``1 == 1.0``, ranges compare within a type.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from praisonai_persist import InvalidIdentifierError, UnsupportedFilterError
from praisonai_persist.filters import And, Comparison, FilterNode, Or, parse_filter
from praisonai_persist.identifiers import validate_identifier

__all__ = [
    "INDEX_NAME",
    "SIMILARITY",
    "filter_keys",
    "index_definition",
    "score_from_atlas",
    "scroll_query",
    "search_pipeline",
    "to_mql",
]

INDEX_NAME = "praison_vector_index"
#: Our distance names → Atlas Vector Search similarity names.
SIMILARITY = {"cosine": "cosine", "euclidean": "euclidean", "dot": "dotProduct"}


def _path(key: str) -> str:
    try:
        return "metadata." + validate_identifier(key, "metadata key in a filter")
    except InvalidIdentifierError as exc:
        raise UnsupportedFilterError(str(exc)) from None


def to_mql(node: FilterNode | None) -> dict[str, Any]:
    """MQL filter document for a parsed portable filter (``{}`` for no filter)."""
    if node is None:
        return {}
    if isinstance(node, And):
        return {"$and": [to_mql(c) for c in node.children]}
    if isinstance(node, Or):
        return {"$or": [to_mql(c) for c in node.children]}
    value = list(node.value) if node.op in ("$in", "$nin") else node.value
    return {_path(node.key): {node.op: value}}


def filter_keys(node: FilterNode | None) -> set[str]:
    """Metadata keys a filter reads (Atlas needs each declared as a ``filter`` field)."""
    if node is None:
        return set()
    if isinstance(node, Comparison):
        return {node.key}
    return set().union(*(filter_keys(c) for c in node.children))


def index_definition(dimension: int, distance: str, filter_fields: Sequence[str]) -> dict[str, Any]:
    """``vectorSearch`` index definition: the embedding plus the metadata keys filters may use."""
    fields: list[dict[str, Any]] = [
        {"type": "vector", "path": "embedding", "numDimensions": dimension, "similarity": SIMILARITY[distance]}
    ]
    fields += [{"type": "filter", "path": _path(k)} for k in sorted(set(filter_fields))]
    return {"fields": fields}


def search_pipeline(
    query: Sequence[float],
    limit: int,
    filters: dict[str, Any] | None,
    *,
    exact: bool,
    num_candidates: int | None,
    declared: Sequence[str] | None,
) -> list[dict[str, Any]]:
    """``$vectorSearch`` + score projection. ``declared``: the index's filter fields, checked first."""
    tree = parse_filter(filters)
    stage: dict[str, Any] = {
        "index": INDEX_NAME,
        "path": "embedding",
        "queryVector": [float(x) for x in query],
        "limit": limit,
    }
    if exact:
        stage["exact"] = True
    else:
        stage["numCandidates"] = num_candidates or min(max(limit * 20, 100), 10_000)
    if tree is not None:
        missing = filter_keys(tree) - set(declared or ())
        if declared is not None and missing:
            raise UnsupportedFilterError(
                f"Atlas Vector Search filters only on fields declared in the index; {sorted(missing)} are not. "
                "Pass filter_fields=[...] to the store (or create_collection(metadata={'filter_fields': [...]}))."
            )
        stage["filter"] = to_mql(tree)
    return [
        {"$vectorSearch": stage},
        {"$project": {"embedding": 0, "score": {"$meta": "vectorSearchScore"}}},
    ]


def score_from_atlas(distance: str, score: float) -> float:
    """Atlas reports cosine and dotProduct as (1 + x) / 2 and euclidean as 1 / (1 + d)."""
    if distance == "euclidean":
        return float(score)
    return 2.0 * float(score) - 1.0


def scroll_query(limit: int, cursor: str | None) -> tuple[dict[str, Any], list[tuple[str, int]], int]:
    """``find`` arguments of one ``scroll`` page: (filter, sort, limit), ordered by ``_id``.

    The page resumes after the cursor (the previous page's last id) with ``_id > cursor`` on the
    ``_id`` index, and fetches one row more than ``limit`` to tell whether another page follows.
    ``_id`` strings compare by their UTF-8 bytes (the collection has the default, simple collation).
    """
    if cursor is not None and not isinstance(cursor, str):  # a dict here would be an operator
        raise TypeError(f"scroll cursor must be a string or None, got {type(cursor).__name__}.")
    where: dict[str, Any] = {} if cursor is None else {"_id": {"$gt": cursor}}
    return where, [("_id", 1)], limit + 1
