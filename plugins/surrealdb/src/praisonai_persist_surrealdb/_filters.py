"""Portable filters (DESIGN §3.2) as a SurrealQL condition whose every key and value is a bound variable.

The condition text holds only fixed operators and generated variable names (``$f0``, ``$f1`` …);
metadata keys are validated identifiers and are bound too (``metadata[$f0]``), values are bound.
Ranges are guarded by a type check so that, as in the portable semantics, numbers compare only
with numbers and strings only with strings. SurrealDB drops ``null`` members of objects, so a
stored null cannot be told from a missing key: comparisons with ``None`` raise
``UnsupportedFilterError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from praisonai_persist.errors import InvalidIdentifierError, UnsupportedFilterError
from praisonai_persist.filters import And, Comparison, FilterNode, Or, parse_filter
from praisonai_persist.identifiers import validate_identifier

__all__ = ["surreal_condition"]

_FIELD = "metadata"
_SIMPLE = {"$eq": "=", "$ne": "!=", "$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}


class _Builder:
    def __init__(self) -> None:
        self.vars: dict[str, Any] = {}

    def bind(self, value: Any) -> str:
        name = f"f{len(self.vars)}"
        self.vars[name] = value
        return "$" + name

    def node(self, node: FilterNode) -> str:
        if isinstance(node, And):
            return "(" + " AND ".join(self.node(c) for c in node.children) + ")"
        if isinstance(node, Or):
            return "(" + " OR ".join(self.node(c) for c in node.children) + ")"
        return self.comparison(node)

    def comparison(self, node: Comparison) -> str:
        try:
            validate_identifier(node.key, "metadata key")
        except InvalidIdentifierError as exc:
            raise UnsupportedFilterError(f"Filter key {node.key!r} is not a plain metadata key: {exc}") from None
        values = node.value if node.op in ("$in", "$nin") else (node.value,)
        if any(v is None for v in values):
            raise UnsupportedFilterError(
                f"{node.op} with null on key {node.key!r}: SurrealDB does not keep null object members, "
                "so a null value cannot be told from a missing key."
            )
        field = f"{_FIELD}[{self.bind(node.key)}]"
        if node.op == "$in":
            return f"({field} IN {self.bind(list(values))})"
        if node.op == "$nin":
            return f"({field} NOT IN {self.bind(list(values))})"
        value = node.value
        if node.op in ("$eq", "$ne"):
            # SurrealDB already keeps booleans apart from numbers and treats 1 = 1.0 as equal.
            return f"({field} {_SIMPLE[node.op]} {self.bind(value)})"
        guard = "type::is::string" if isinstance(value, str) else "type::is::number"
        return f"({guard}({field}) AND {field} {_SIMPLE[node.op]} {self.bind(value)})"


def surreal_condition(filters: Mapping[str, Any] | None) -> tuple[str | None, dict[str, Any]]:
    """``(condition, vars)`` for a WHERE clause, or ``(None, {})`` when there is no filter."""
    tree = parse_filter(filters)
    if tree is None:
        return None, {}
    builder = _Builder()
    return builder.node(tree), builder.vars
