"""Portable metadata filters: parsing into a small tree, and evaluation in Python.

Syntax (DESIGN §3.2): ``{"key": value}`` is equality; ``{"key": {"$op": value}}`` with
``$eq $ne $in $nin $gt $gte $lt $lte``; ``{"$and": [...]}``, ``{"$or": [...]}``; several
keys in one dict are ANDed. Keys are top-level metadata keys. Backends translate the tree
from :func:`parse_filter` into their native filter objects or bound parameters; an
operator they cannot express raises :class:`UnsupportedFilterError`, never a silent drop.

A missing key never satisfies ``$eq``/``$in``/ranges and always satisfies ``$ne``/``$nin``
(MongoDB semantics).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import UnsupportedFilterError

__all__ = [
    "COMPARISON_OPERATORS",
    "And",
    "Comparison",
    "FilterNode",
    "Or",
    "matches",
    "parse_filter",
]

COMPARISON_OPERATORS = frozenset({"$eq", "$ne", "$in", "$nin", "$gt", "$gte", "$lt", "$lte"})
_SCALARS = (str, int, float, bool)


@dataclass(frozen=True)
class Comparison:
    """``key op value``; for ``$in``/``$nin`` the value is a tuple of scalars."""

    key: str
    op: str
    value: Any


@dataclass(frozen=True)
class And:
    children: tuple[FilterNode, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[FilterNode, ...]


FilterNode = Comparison | And | Or


def parse_filter(filters: Mapping[str, Any] | None) -> FilterNode | None:
    """Validate a portable filter and return its tree (``None`` for no filter)."""
    if filters is None:
        return None
    if not isinstance(filters, Mapping):
        raise UnsupportedFilterError(f"filters must be a dict, got {type(filters).__name__}.")
    if not filters:
        return None
    return _parse_mapping(filters)


def _parse_mapping(filters: Mapping[str, Any]) -> FilterNode:
    parts: list[FilterNode] = []
    for key, value in filters.items():
        if not isinstance(key, str) or not key:
            raise UnsupportedFilterError(f"Filter keys must be non-empty strings, got {key!r}.")
        if key in ("$and", "$or"):
            if not isinstance(value, (list, tuple)) or not value:
                raise UnsupportedFilterError(f"{key} takes a non-empty list of filters, got {value!r}.")
            children = tuple(_parse_mapping(_require_mapping(c, key)) for c in value)
            parts.append(And(children) if key == "$and" else Or(children))
        elif key.startswith("$"):
            raise UnsupportedFilterError(
                f"Unsupported filter operator {key!r} at the top level; portable combinators are $and and $or."
            )
        elif isinstance(value, Mapping):
            if not value:
                raise UnsupportedFilterError(f"Empty operator dict for key {key!r}.")
            for op, operand in value.items():
                parts.append(_comparison(key, op, operand))
        else:
            parts.append(_comparison(key, "$eq", value))
    return parts[0] if len(parts) == 1 else And(tuple(parts))


def _require_mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping) or not value:
        raise UnsupportedFilterError(f"Each item of {where} must be a non-empty dict, got {value!r}.")
    return value


def _comparison(key: str, op: str, operand: Any) -> Comparison:
    if op not in COMPARISON_OPERATORS:
        raise UnsupportedFilterError(
            f"Unsupported filter operator {op!r} on key {key!r}; portable operators are "
            + ", ".join(sorted(COMPARISON_OPERATORS))
            + "."
        )
    if op in ("$in", "$nin"):
        if not isinstance(operand, (list, tuple, set, frozenset)):
            raise UnsupportedFilterError(f"{op} on key {key!r} takes a list, got {operand!r}.")
        items = tuple(operand)
        for item in items:
            _check_scalar(key, op, item)
        return Comparison(key, op, items)
    _check_scalar(key, op, operand)
    if op in ("$gt", "$gte", "$lt", "$lte") and (operand is None or isinstance(operand, bool)):
        raise UnsupportedFilterError(f"{op} on key {key!r} needs a number or a string, got {operand!r}.")
    return Comparison(key, op, operand)


def _check_scalar(key: str, op: str, value: Any) -> None:
    if value is not None and not isinstance(value, _SCALARS):
        raise UnsupportedFilterError(
            f"{op} on key {key!r} compares with a string, number, boolean or null, got {type(value).__name__}."
        )


def _same_kind(a: Any, b: Any) -> bool:
    """Ordering is defined between numbers, or between strings; never across kinds."""
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    numbers = (int, float)
    return (isinstance(a, numbers) and isinstance(b, numbers)) or (isinstance(a, str) and isinstance(b, str))


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)


_MISSING = object()


def _eval(node: FilterNode, metadata: Mapping[str, Any]) -> bool:
    if isinstance(node, And):
        return all(_eval(c, metadata) for c in node.children)
    if isinstance(node, Or):
        return any(_eval(c, metadata) for c in node.children)
    value = metadata.get(node.key, _MISSING)
    op, operand = node.op, node.value
    if value is _MISSING:
        return op in ("$ne", "$nin")
    if op == "$eq":
        return _equal(value, operand)
    if op == "$ne":
        return not _equal(value, operand)
    if op == "$in":
        return any(_equal(value, o) for o in operand)
    if op == "$nin":
        return not any(_equal(value, o) for o in operand)
    if not _same_kind(value, operand):
        return False
    if op == "$gt":
        return bool(value > operand)
    if op == "$gte":
        return bool(value >= operand)
    if op == "$lt":
        return bool(value < operand)
    return bool(value <= operand)


def matches(filters: Mapping[str, Any] | FilterNode | None, metadata: Mapping[str, Any] | None) -> bool:
    """True if ``metadata`` satisfies the filter (dict or parsed tree)."""
    node = filters if isinstance(filters, (Comparison, And, Or)) else parse_filter(filters)
    if node is None:
        return True
    return _eval(node, metadata or {})
