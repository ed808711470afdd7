"""Portable filters (DESIGN §3.2) translated into Qdrant ``models.Filter`` objects.

Values travel inside the filter objects, never inside a string, so they cannot change the
query. Metadata lives under the ``metadata`` payload key, hence ``metadata.<key>`` paths;
the key is a validated identifier, so it cannot reach into another payload field.
"""

from __future__ import annotations

from typing import Any

from qdrant_client import models

from praisonai_persist.errors import InvalidIdentifierError, UnsupportedFilterError
from praisonai_persist.filters import And, Comparison, FilterNode, Or, parse_filter
from praisonai_persist.identifiers import validate_identifier

__all__ = ["METADATA_FIELD", "NEVER", "metadata_path", "to_qdrant_filter"]

METADATA_FIELD = "metadata"

#: A condition no point satisfies (an empty ``$in``).
NEVER = models.HasIdCondition(has_id=[])

_RANGE_ARGS = {"$gt": "gt", "$gte": "gte", "$lt": "lt", "$lte": "lte"}


def metadata_path(key: str) -> str:
    """``metadata.<key>``; a key that is not ``[A-Za-z0-9_]`` raises UnsupportedFilterError."""
    try:
        validate_identifier(key, "metadata key in a filter", max_length=128)
    except InvalidIdentifierError as exc:
        raise UnsupportedFilterError(str(exc)) from exc
    return f"{METADATA_FIELD}.{key}"


def to_qdrant_filter(filters: dict[str, Any] | None) -> models.Filter | None:
    """The Qdrant filter for a portable filter dict (``None`` when there is none)."""
    tree = parse_filter(filters)
    if tree is None:
        return None
    node = _node(tree)
    return node if isinstance(node, models.Filter) else models.Filter(must=[node])


def _node(node: FilterNode) -> Any:
    if isinstance(node, And):
        return models.Filter(must=[_node(c) for c in node.children])
    if isinstance(node, Or):
        return models.Filter(should=[_node(c) for c in node.children])
    return _comparison(node)


def _comparison(node: Comparison) -> Any:
    path = metadata_path(node.key)
    op, value = node.op, node.value
    if op == "$eq":
        return _equals(path, value)
    if op == "$ne":
        return models.Filter(must_not=[_equals(path, value)])
    if op == "$in":
        return _any_of(path, value)
    if op == "$nin":
        return models.Filter(must_not=[_any_of(path, value)])
    if isinstance(value, str):
        raise UnsupportedFilterError(
            f"{op} on key {node.key!r} compares strings; Qdrant orders numbers only (use $eq/$in for strings)."
        )
    return models.FieldCondition(key=path, range=models.Range(**{_RANGE_ARGS[op]: float(value)}))


def _equals(path: str, value: Any) -> Any:
    if value is None:
        return models.IsNullCondition(is_null=models.PayloadField(key=path))
    if isinstance(value, (bool, str)):
        return models.FieldCondition(key=path, match=models.MatchValue(value=value))
    # Numbers compare by value whatever their type (2 == 2.0), as the portable semantics say.
    number = float(value)
    return models.FieldCondition(key=path, range=models.Range(gte=number, lte=number))


def _any_of(path: str, values: tuple[Any, ...]) -> Any:
    if not values:
        return NEVER
    if all(isinstance(v, str) for v in values):
        return models.FieldCondition(key=path, match=models.MatchAny(any=list(values)))
    return models.Filter(should=[_equals(path, v) for v in values])
