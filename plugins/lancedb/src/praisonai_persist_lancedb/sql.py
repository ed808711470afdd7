"""Portable filters (DESIGN §3.2) rendered as LanceDB ``where`` SQL, with a strict literal quoter.

LanceDB's typed expression builder (``lancedb.expr``) cannot call the JSON functions that
reach into the metadata column, so filters on metadata must be SQL text. That text is built
only from fixed templates, metadata keys that passed
:func:`praisonai_persist.identifiers.validate_identifier`, and literals rendered by
:func:`sql_literal`, which rejects every value it cannot represent exactly (NUL and other
characters outside valid Unicode text, NaN, infinities, integers beyond 64 bits).

Metadata is a JSON column; ``json_extract(metadata, '$.key')`` yields the value's JSON text
(``NULL`` when the key is missing), which decides its type. Strings are compared as JSON text:
the literal is the value encoded by ``json.dumps(value, ensure_ascii=False)``, which is the text
LanceDB produces (tests/test_sql.py checks this on the engine for every character class), so
only a string value equal to it matches. ``true``/``false``/``null`` compare as text; numbers go
through ``TRY_CAST(... AS DOUBLE)`` (NULL for anything else), so ``2 == 2.0`` and strings never
equal numbers, as in the reference implementation. Ordering operators take numbers only
(``json_get_string`` fails on rows whose value is an object or array), so a string range raises
UnsupportedFilterError.
"""

from __future__ import annotations

import json
import math
from typing import Any

from praisonai_persist.errors import InvalidIdentifierError, UnsupportedFilterError
from praisonai_persist.filters import And, Comparison, FilterNode, Or, parse_filter
from praisonai_persist.identifiers import validate_identifier

__all__ = ["METADATA_COLUMN", "filter_sql", "quote_string", "sql_literal", "where_clause"]

METADATA_COLUMN = "metadata"
_INT64 = (-(2**63), 2**63 - 1)
_SQL_OPS = {"$eq": "=", "$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}


def quote_string(value: str) -> str:
    """``value`` as a single-quoted SQL string literal; quotes are doubled, backslashes are literal.

    NUL and lone surrogates cannot be stored or compared faithfully, so they raise
    UnsupportedFilterError instead of being altered.
    """
    if not isinstance(value, str):
        raise UnsupportedFilterError(f"Expected a string literal, got {type(value).__name__}.")
    if "\x00" in value:
        raise UnsupportedFilterError("Filter strings cannot contain NUL characters.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise UnsupportedFilterError("Filter strings must be valid Unicode text (no lone surrogates).") from exc
    return "'" + value.replace("'", "''") + "'"


def sql_literal(value: Any) -> str:
    """A SQL literal for a filter value: string, bool, finite float, or 64-bit int."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if not _INT64[0] <= value <= _INT64[1]:
            raise UnsupportedFilterError(f"Integer {value} is outside the 64-bit range LanceDB filters accept.")
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise UnsupportedFilterError(f"Filter numbers must be finite, got {value!r}.")
        return repr(value)
    if isinstance(value, str):
        return quote_string(value)
    raise UnsupportedFilterError(f"Cannot use {type(value).__name__} {value!r} as a filter value.")


def _key(key: str) -> str:
    try:
        return validate_identifier(key, "metadata key in a filter", max_length=128)
    except InvalidIdentifierError as exc:
        raise UnsupportedFilterError(str(exc)) from exc


def _raw(key: str) -> str:
    return f"json_extract({METADATA_COLUMN}, {quote_string('$.' + _key(key))})"


def _number(key: str) -> str:
    return f"TRY_CAST({_raw(key)} AS DOUBLE)"


def _compare(key: str, op: str, value: Any) -> str:
    """``key op value`` for $eq and the ordering operators; NULL (never true) on a type mismatch."""
    if op != "$eq" and isinstance(value, str):
        raise UnsupportedFilterError(f"{op} on key {key!r} compares strings; LanceDB filters here order numbers only.")
    if value is None:
        return f"({_raw(key)} = 'null')"
    if isinstance(value, bool):
        return f"({_raw(key)} = {quote_string('true' if value else 'false')})"
    if isinstance(value, str):
        return f"({_raw(key)} = {quote_string(json.dumps(value, ensure_ascii=False))})"
    return f"({_number(key)} {_SQL_OPS[op]} {sql_literal(float(value))})"


def _any_of(key: str, values: tuple[Any, ...]) -> str:
    if not values:
        return "false"
    return "(" + " OR ".join(_compare(key, "$eq", v) for v in values) + ")"


def _node(node: FilterNode) -> str:
    if isinstance(node, And):
        return "(" + " AND ".join(_node(c) for c in node.children) + ")"
    if isinstance(node, Or):
        return "(" + " OR ".join(_node(c) for c in node.children) + ")"
    return _comparison(node)


def _comparison(node: Comparison) -> str:
    op, value = node.op, node.value
    if op == "$ne":
        return f"({_compare(node.key, '$eq', value)} IS NOT TRUE)"
    if op == "$in":
        return _any_of(node.key, value)
    if op == "$nin":
        return f"({_any_of(node.key, value)} IS NOT TRUE)"
    return _compare(node.key, op, value)


def filter_sql(filters: dict[str, Any] | None) -> str | None:
    """The ``where`` SQL for a portable filter, or None when there is no filter."""
    tree = parse_filter(filters)
    return None if tree is None else _node(tree)


def where_clause(ids_sql: str | None, filters_sql: str | None) -> str | None:
    """AND of an id restriction (rendered by LanceDB's own expression builder) and a filter."""
    parts = [p for p in (ids_sql, filters_sql) if p]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else "(" + ") AND (".join(parts) + ")"
