"""Portable filters as Milvus boolean expressions: a template with ``{pN}`` placeholders plus values.

Milvus servers (2.5+) bind the values themselves (``filter_params``), so user values never enter
the expression text. Milvus Lite 2.5 does not parse templates; for it :func:`render` writes each
value as a literal through :func:`quote_literal`, which escapes strings per Milvus' grammar and
refuses anything it cannot represent. Metadata keys are validated identifiers in both modes.

Shapes are chosen for what the Milvus JSON engine evaluates correctly: ``!=`` and ``not in`` are
true for a missing key (the portable semantics), comparisons are type-strict, and ``in`` lists
hold one JSON kind each (a mixed list is split into an ``or`` of homogeneous lists).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from praisonai_persist.errors import UnsupportedFilterError
from praisonai_persist.filters import And, Comparison, FilterNode, parse_filter

__all__ = ["MilvusFilter", "quote_literal", "render", "translate_filter"]

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_ESCAPES = {"\\": "\\\\", '"': '\\"'}
_INT64 = (-(2**63), 2**63 - 1)
_SYMBOLS = {"$eq": "==", "$ne": "!=", "$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}


@dataclass
class MilvusFilter:
    """An expression template and the values of its placeholders."""

    template: str
    params: dict[str, Any] = field(default_factory=dict)


def quote_literal(value: Any) -> str:
    """``value`` as a Milvus expression literal; raises UnsupportedFilterError for what has none.

    Strings are double-quoted with ``\\`` and ``"`` escaped; control characters (newline and tab
    included) are refused: Milvus Lite matches no escape of them against stored JSON strings. Numbers must be finite (integers within int64); lists hold literals.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if not _INT64[0] <= value <= _INT64[1]:
            raise UnsupportedFilterError(f"Milvus filters compare 64-bit integers; {value} is out of range.")
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise UnsupportedFilterError(f"Milvus filters cannot compare with {value!r}.")
        return repr(value)
    if isinstance(value, str):
        out = []
        for char in value:
            if char in _ESCAPES:
                out.append(_ESCAPES[char])
            elif ord(char) < 0x20 or ord(char) == 0x7F:
                raise UnsupportedFilterError(f"Milvus filter strings cannot hold the control character {char!r}.")
            else:
                out.append(char)
        return '"' + "".join(out) + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(quote_literal(v) for v in value) + "]"
    raise UnsupportedFilterError(f"Milvus filters cannot compare with a {type(value).__name__}.")


def _field(key: str) -> str:
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise UnsupportedFilterError(
            f"Invalid metadata key {key!r} in a Milvus filter: use letters, digits and underscores "
            "(not starting with a digit)."
        )
    return f'metadata["{key}"]'


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return "string"


class _Builder:
    def __init__(self) -> None:
        self.params: dict[str, Any] = {}

    def bind(self, value: Any) -> str:
        quote_literal(value)  # the same values are accepted in template and literal mode
        name = f"p{len(self.params)}"
        self.params[name] = value
        return "{" + name + "}"

    def node(self, node: FilterNode) -> str:
        if isinstance(node, Comparison):
            return self.comparison(node)
        joiner = " and " if isinstance(node, And) else " or "
        return "(" + joiner.join(self.node(child) for child in node.children) + ")"

    def comparison(self, node: Comparison) -> str:
        target = _field(node.key)
        values = node.value if node.op in ("$in", "$nin") else (node.value,)
        if any(v is None for v in values):
            raise UnsupportedFilterError(f"Milvus filters cannot compare metadata key {node.key!r} with null.")
        if node.op in ("$in", "$nin"):
            return self.membership(target, node.op, list(values))
        return f"{target} {_SYMBOLS[node.op]} {self.bind(node.value)}"

    def membership(self, target: str, op: str, values: list[Any]) -> str:
        negate = op == "$nin"
        if not values:
            return "(1 == 1)" if negate else "(1 == 0)"
        groups: dict[str, list[Any]] = {}
        for value in values:
            groups.setdefault(_kind(value), []).append(value)
        if any(isinstance(v, float) for v in groups.get("number", [])):
            # Milvus Lite fails on lists mixing int and float; 1.0 still equals a stored 1.
            groups["number"] = [float(v) for v in groups["number"]]
        keyword = "not in" if negate else "in"
        parts = [f"{target} {keyword} {self.bind(group)}" for group in groups.values()]
        if len(parts) == 1:
            return parts[0]
        return "(" + (" and " if negate else " or ").join(parts) + ")"


def translate_filter(filters: dict[str, Any] | None) -> MilvusFilter | None:
    """The Milvus expression template of a portable filter (None for no filter)."""
    tree = parse_filter(filters)
    if tree is None:
        return None
    builder = _Builder()
    return MilvusFilter(builder.node(tree), builder.params)


def render(expression: MilvusFilter) -> str:
    """The template with every placeholder replaced by its quoted literal (for Milvus Lite)."""
    return _PLACEHOLDER.sub(lambda m: quote_literal(expression.params[m.group(1)]), expression.template)
