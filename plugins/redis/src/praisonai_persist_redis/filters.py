"""Portable filters → Redis vector-set FILTER expressions and Query Engine queries.

No user value is ever written into an expression. Each scalar metadata value is stored as a
*token* (a hex digest of the key and the type-tagged value) in a tag list on the document; equality,
``$in``, ``$ne`` and ``$nin`` test token membership, so a missing key satisfies only ``$ne``/``$nin``
and ``True`` never equals ``1``. Ranges compare numeric fields named after the metadata key, which
must be a validated identifier, against numbers formatted by :func:`number_literal`. The only
quoting function, :func:`quote_token`, accepts nothing but hex tokens.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Collection, Iterator, Mapping
from typing import Any

from praisonai_persist import InvalidIdentifierError, UnsupportedFilterError
from praisonai_persist.filters import And, Comparison, FilterNode, Or
from praisonai_persist.identifiers import validate_identifier

__all__ = [
    "NUMERIC_FIELD_PREFIX",
    "TAG_FIELD",
    "document_tokens",
    "ft_query",
    "number_literal",
    "numeric_fields",
    "quote_token",
    "token",
    "vectorset_expression",
]

#: Hash field (Query Engine) and attribute (vector sets) that hold a document's value tokens.
TAG_FIELD = "ptags"
#: Numeric metadata value ``k`` is kept as ``pn_k`` for range queries.
NUMERIC_FIELD_PREFIX = "pn_"
_HEX = re.compile(r"[0-9a-f]{8,64}")
#: A token no document carries: a comparison that can match nothing becomes a test for it.
_NEVER = "00000000"
_RANGE_OPS = {"$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}


def _canonical(value: Any) -> str:
    """Type-tagged text of a scalar; ``1`` and ``1.0`` agree, ``True`` and ``1`` do not."""
    if value is None:
        return "z"
    if isinstance(value, bool):
        return "b:1" if value else "b:0"
    if isinstance(value, (int, float)):
        number = float(value)
        if isinstance(value, int) and abs(value) > 2**53:
            return f"i:{value}"
        return f"n:{number!r}"
    if isinstance(value, str):
        return "s:" + value
    raise TypeError(f"not a scalar: {type(value).__name__}")


def token(key: str, value: Any) -> str:
    """Hex token of ``key == value`` (32 hex digits)."""
    data = key.encode("utf-8", "surrogatepass") + b"\x00" + _canonical(value).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _numeric_token(key: str) -> str:
    """Token saying "``key`` holds a number" (guards range tests on vector sets)."""
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass") + b"\x00#num", digest_size=16).hexdigest()


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_identifier(key: str) -> bool:
    try:
        validate_identifier(key, "metadata key")
    except InvalidIdentifierError:
        return False
    return True


def document_tokens(metadata: Mapping[str, Any] | None) -> list[str]:
    """Tokens of a document's top-level scalar metadata values (dicts and lists are not filterable)."""
    out: list[str] = []
    for key, value in (metadata or {}).items():
        if value is None or isinstance(value, (str, bool, int, float)):
            if isinstance(value, float) and not math.isfinite(value):
                continue
            out.append(token(key, value))
            if _is_number(value):
                out.append(_numeric_token(key))
    return out


def numeric_fields(metadata: Mapping[str, Any] | None) -> dict[str, float]:
    """Numeric metadata values under identifier keys: the fields range filters compare."""
    return {k: float(v) for k, v in (metadata or {}).items() if _is_number(v) and _is_identifier(k)}


def quote_token(value: str) -> str:
    """A token as a double-quoted literal; anything but 8-64 lowercase hex digits is refused."""
    if not isinstance(value, str) or not _HEX.fullmatch(value):
        raise ValueError(f"not a filter token: {value!r}")
    return f'"{value}"'


def number_literal(value: Any) -> str:
    """A finite int or float as a decimal literal both filter languages parse; nothing else."""
    if not _is_number(value):
        raise UnsupportedFilterError(f"Range filters compare finite numbers, got {value!r}.")
    text = repr(float(value))
    if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?(e[+-]?[0-9]+)?", text):
        raise UnsupportedFilterError(f"Cannot represent {value!r} in a filter.")
    return text


def _check_key(key: str) -> str:
    """Metadata keys in filters are identifiers (the key also names a numeric field)."""
    try:
        return validate_identifier(key, "metadata key in a filter")
    except InvalidIdentifierError as exc:
        raise UnsupportedFilterError(str(exc)) from None


def _range_operand(node: Comparison, engine: str) -> str:
    if isinstance(node.value, str):
        raise UnsupportedFilterError(
            f"{node.op} on key {node.key!r} with a string bound: Redis {engine} compare numbers only."
        )
    return number_literal(node.value)


# -- vector sets ------------------------------------------------------------------------------


def vectorset_expression(node: FilterNode, numeric_keys: Collection[str]) -> str:
    """FILTER expression for VSIM. ``numeric_keys``: keys every element carries as a number field.

    A vector-set expression that reads a field an element lacks rejects that element as a whole,
    so ranges only read fields in ``numeric_keys`` (present on every element, ``null`` where the
    document has no number) and are guarded by the "holds a number" token.
    """
    return "".join(_vs(node, frozenset(numeric_keys)))


def _vs_member(tokens: list[str]) -> str:
    if not tokens:
        return f"({quote_token(_NEVER)} in .{TAG_FIELD})"
    return "(" + " or ".join(f"{quote_token(t)} in .{TAG_FIELD}" for t in tokens) + ")"


def _vs(node: FilterNode, numeric: frozenset[str]) -> Iterator[str]:
    if isinstance(node, (And, Or)):
        joiner = " and " if isinstance(node, And) else " or "
        yield "(" + joiner.join("".join(_vs(c, numeric)) for c in node.children) + ")"
        return
    key = _check_key(node.key)
    op = node.op
    if op in ("$eq", "$ne"):
        test = _vs_member([token(key, node.value)])
        yield test if op == "$eq" else f"(not {test})"
    elif op in ("$in", "$nin"):
        test = _vs_member([token(key, v) for v in node.value])
        yield test if op == "$in" else f"(not {test})"
    else:
        bound = _range_operand(node, "vector sets")
        field = NUMERIC_FIELD_PREFIX + key
        if key not in numeric:
            yield _vs_member([])  # no document ever held a number under this key
        else:
            yield f"({quote_token(_numeric_token(key))} in .{TAG_FIELD} and .{field} {_RANGE_OPS[op]} {bound})"


# -- Query Engine -----------------------------------------------------------------------------


def ft_query(node: FilterNode | None, numeric_keys: Collection[str]) -> str:
    """Query Engine (FT.SEARCH, DIALECT 2) query string; ``*`` without a filter."""
    if node is None:
        return "*"
    return _ft(node, frozenset(numeric_keys))


def _ft_member(tokens: list[str]) -> str:
    body = " | ".join(tokens or [_NEVER])
    for t in tokens:
        quote_token(t)  # tokens are hex by construction; refuse anything else
    return f"@{TAG_FIELD}:{{{body}}}"


def _ft(node: FilterNode, numeric: frozenset[str]) -> str:
    if isinstance(node, And):
        return "(" + " ".join(_ft(c, numeric) for c in node.children) + ")"
    if isinstance(node, Or):
        return "(" + " | ".join(_ft(c, numeric) for c in node.children) + ")"
    key = _check_key(node.key)
    op = node.op
    if op in ("$eq", "$in"):
        return _ft_member([token(key, v) for v in (node.value if op == "$in" else (node.value,))])
    if op in ("$ne", "$nin"):
        values = node.value if op == "$nin" else (node.value,)
        return f"(-{_ft_member([token(key, v) for v in values])})"
    bound = _range_operand(node, "Query Engine numeric fields")
    if key not in numeric:
        return _ft_member([])
    field = NUMERIC_FIELD_PREFIX + key
    lo, hi = {
        "$gt": (f"({bound}", "+inf"),
        "$gte": (bound, "+inf"),
        "$lt": ("-inf", f"({bound}"),
        "$lte": ("-inf", bound),
    }[op]
    return f"@{field}:[{lo} {hi}]"
