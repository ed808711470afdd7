"""Portable filters (DESIGN §3.2) translated into Chroma ``where`` dicts (native filter objects).

Chroma compares an integer field with a fractional bound after truncating the bound (``n >= 1.5``
matches ``n == 1``), so the store keeps every number of the filterable metadata as a float and
this module sends every numeric operand as a float. Chroma orders numbers only: a string range
raises UnsupportedFilterError, as does a comparison with ``None`` (Chroma stores no nulls).
"""

from __future__ import annotations

from typing import Any

from praisonai_persist.errors import InvalidIdentifierError, UnsupportedFilterError
from praisonai_persist.filters import And, Comparison, FilterNode, Or, parse_filter
from praisonai_persist.identifiers import validate_identifier

__all__ = ["operand", "to_chroma_where"]


def _key(key: str) -> str:
    try:
        return validate_identifier(key, "metadata key in a filter", max_length=128)
    except InvalidIdentifierError as exc:
        raise UnsupportedFilterError(str(exc)) from exc


def operand(value: Any, op: str, key: str) -> Any:
    """The Chroma operand for a filter value (numbers as floats; booleans and strings as they are)."""
    if value is None:
        raise UnsupportedFilterError(f"{op} with null on key {key!r}: Chroma metadata has no null values.")
    if isinstance(value, (bool, str)):
        return value
    return float(value)


def _all(parts: list[dict[str, Any]]) -> dict[str, Any]:
    return parts[0] if len(parts) == 1 else {"$and": parts}


def _any(parts: list[dict[str, Any]]) -> dict[str, Any]:
    return parts[0] if len(parts) == 1 else {"$or": parts}


def _never(key: str) -> dict[str, Any]:
    return {"$and": [{key: {"$in": [""]}}, {key: {"$nin": [""]}}]}


def _always(key: str) -> dict[str, Any]:
    return {"$or": [{key: {"$in": [""]}}, {key: {"$nin": [""]}}]}


def _membership(key: str, op: str, values: tuple[Any, ...]) -> dict[str, Any]:
    if not values:
        return _never(key) if op == "$in" else _always(key)
    items = [operand(v, op, key) for v in values]
    kinds = {type(v) for v in items}
    if len(kinds) == 1:
        return {key: {op: items}}
    # Chroma wants one type per list: split into one test per value.
    single = "$eq" if op == "$in" else "$ne"
    parts = [{key: {single: v}} for v in items]
    return _any(parts) if op == "$in" else _all(parts)


def _comparison(node: Comparison) -> dict[str, Any]:
    key = _key(node.key)
    op, value = node.op, node.value
    if op in ("$in", "$nin"):
        return _membership(key, op, value)
    if op in ("$gt", "$gte", "$lt", "$lte") and isinstance(value, str):
        raise UnsupportedFilterError(f"{op} on key {key!r} compares strings; Chroma orders numbers only.")
    return {key: {op: operand(value, op, key)}}


def _node(node: FilterNode) -> dict[str, Any]:
    if isinstance(node, And):
        return _all([_node(c) for c in node.children])
    if isinstance(node, Or):
        return _any([_node(c) for c in node.children])
    return _comparison(node)


def to_chroma_where(filters: dict[str, Any] | None) -> dict[str, Any] | None:
    """The Chroma ``where`` dict for a portable filter (``None`` when there is none)."""
    tree = parse_filter(filters)
    return None if tree is None else _node(tree)
