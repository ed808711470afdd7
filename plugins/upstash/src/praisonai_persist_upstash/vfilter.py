"""Portable filters → Upstash Vector metadata filter strings (Upstash accepts only a string).

The string is built only from validated identifiers (metadata keys) and literals produced by
:func:`literal`, which refuses what it cannot represent safely: strings holding both quote
characters, a backslash or a control character; ``None``; non-finite numbers. Upstash's missing
keys satisfy no comparison, so ``$ne``/``$nin`` add ``HAS NOT FIELD key`` to keep the portable
semantics (a missing key satisfies only ``$ne``/``$nin``).
"""

from __future__ import annotations

import math
from typing import Any

from praisonai_persist import InvalidIdentifierError, UnsupportedFilterError
from praisonai_persist.filters import And, Comparison, FilterNode, Or, parse_filter
from praisonai_persist.identifiers import validate_identifier

__all__ = ["literal", "quote_string", "to_upstash_filter"]

_RANGE = {"$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}


def quote_string(value: str) -> str:
    """A string literal in single quotes (double quotes if it holds a single quote).

    Upstash documents no escape sequence, so a string with both quote kinds, a backslash or a
    control character cannot be represented and raises UnsupportedFilterError.
    """
    if "\\" in value or any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise UnsupportedFilterError(
            f"Upstash filters cannot express the string {value!r} (backslash or control character)."
        )
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    raise UnsupportedFilterError(f"Upstash filters cannot express a string holding both quote characters: {value!r}.")


def literal(value: Any) -> str:
    """Literal for a filter operand: a quoted string, ``true``/``false`` or a finite number."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return quote_string(value)
    if isinstance(value, (int, float)) and math.isfinite(value):
        return repr(value) if isinstance(value, int) else repr(float(value))
    raise UnsupportedFilterError(f"Upstash filters cannot compare with {value!r}.")


def _key(key: str) -> str:
    try:
        return validate_identifier(key, "metadata key in a filter")
    except InvalidIdentifierError as exc:
        raise UnsupportedFilterError(str(exc)) from None


def _node(node: FilterNode) -> str:
    if isinstance(node, (And, Or)):
        joiner = " AND " if isinstance(node, And) else " OR "
        return "(" + joiner.join(_node(c) for c in node.children) + ")"
    return _comparison(node)


def _comparison(node: Comparison) -> str:
    key, op = _key(node.key), node.op
    if op == "$eq":
        return f"{key} = {literal(node.value)}"
    if op == "$ne":
        return f"(HAS NOT FIELD {key} OR {key} != {literal(node.value)})"
    if op in ("$in", "$nin"):
        if not node.value:
            return (
                f"(HAS FIELD {key} AND HAS NOT FIELD {key})"
                if op == "$in"
                else f"(HAS FIELD {key} OR HAS NOT FIELD {key})"
            )
        items = ", ".join(literal(v) for v in node.value)
        return f"{key} IN ({items})" if op == "$in" else f"(HAS NOT FIELD {key} OR {key} NOT IN ({items}))"
    if isinstance(node.value, str):
        raise UnsupportedFilterError(f"{op} on key {key!r} with a string bound: Upstash compares numbers only.")
    return f"{key} {_RANGE[op]} {literal(node.value)}"


def to_upstash_filter(filters: dict[str, Any] | None) -> str:
    """The Upstash filter string for a portable filter (``""`` for none)."""
    tree = parse_filter(filters)
    return "" if tree is None else _node(tree)
