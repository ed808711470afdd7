"""Optional capabilities a backend declares, their defaults (the full contract) and their display.

A contract subclass sets ``capabilities = {...}`` with only the keys where its backend does
less than the full contract; every other key keeps its default. The testkit then checks the
declared behaviour instead (an undeclared distance must be refused, an undeclared filter
operator must raise ``UnsupportedFilterError``) and the end-of-run report shows the limits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "ALL_DISTANCES",
    "ALL_FILTER_OPERATORS",
    "DEFAULT_CAPABILITIES",
    "describe_capabilities",
    "resolve_capabilities",
]

ALL_DISTANCES: frozenset[str] = frozenset({"cosine", "euclidean", "dot"})
ALL_FILTER_OPERATORS: frozenset[str] = frozenset(
    {"$eq", "$ne", "$in", "$nin", "$gt", "$gte", "$lt", "$lte", "$and", "$or"}
)

#: Every capability of every kind with its default. Sets list what is supported; booleans say
#: whether a feature exists; numbers are tolerances or time limits.
DEFAULT_CAPABILITIES: dict[str, dict[str, Any]] = {
    "conversation": {
        # DESIGN §3.2 allows a backend to create the session on add_message instead of raising
        # SessionNotFoundError; it must then really create it (never an orphan message).
        "auto_create_session": False,
    },
    "knowledge": {
        "distances": ALL_DISTANCES,
        "filter_operators": ALL_FILTER_OPERATORS,
        # Metadata values that are dicts or lists of dicts (some engines keep flat metadata only).
        "nested_metadata": True,
        # Document ids holding a single quote. False only where the engine cannot delete them (Milvus
        # Lite formats primary keys into its internal SQL unescaped); insert must then refuse them
        # with ValueError instead of storing documents that can never be deleted.
        "single_quote_ids": True,
        # Absolute tolerance on scores and on embeddings read back (float32 engines need ~1e-4).
        "score_tolerance": 1e-6,
        "embedding_tolerance": 1e-6,
    },
    "state": {
        "ttl": True,
        "hashes": True,
        # Seconds an expired key may take to become invisible (polled, never slept in full).
        "expiry_grace_seconds": 5.0,
    },
}

_SET_CAPABILITIES = {"distances": ALL_DISTANCES, "filter_operators": ALL_FILTER_OPERATORS}


def resolve_capabilities(kind: str, declared: Mapping[str, Any] | None, owner: str = "") -> dict[str, Any]:
    """Defaults of ``kind`` updated with ``declared``; unknown keys or values raise ``ValueError``."""
    defaults = DEFAULT_CAPABILITIES[kind]
    result = dict(defaults)
    where = f" in {owner}.capabilities" if owner else ""
    for key, value in (declared or {}).items():
        if key not in defaults:
            raise ValueError(
                f"Unknown {kind} capability {key!r}{where}; known: {', '.join(sorted(defaults))}."
            )
        default = defaults[key]
        if key in _SET_CAPABILITIES:
            if isinstance(value, str) or not isinstance(value, (set, frozenset, list, tuple)):
                raise ValueError(f"Capability {key!r}{where} must be a set of names, got {value!r}.")
            unknown = set(value) - _SET_CAPABILITIES[key]
            if unknown:
                raise ValueError(
                    f"Capability {key!r}{where} names unknown values {sorted(unknown)}; "
                    f"known: {sorted(_SET_CAPABILITIES[key])}."
                )
            result[key] = frozenset(value)
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise ValueError(f"Capability {key!r}{where} must be True or False, got {value!r}.")
            result[key] = value
        else:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f"Capability {key!r}{where} must be a non-negative number, got {value!r}.")
            result[key] = float(value)
    return result


def describe_capabilities(kind: str, capabilities: Mapping[str, Any]) -> str:
    """One line for the report: ``full contract`` or what differs from it."""
    defaults = DEFAULT_CAPABILITIES[kind]
    parts: list[str] = []
    for key in sorted(defaults):
        value = capabilities.get(key, defaults[key])
        if key in _SET_CAPABILITIES:
            value = frozenset(value)
            if value != defaults[key]:
                missing = sorted(defaults[key] - value)
                parts.append(f"{key}={','.join(sorted(value)) or 'none'} (not {','.join(missing)})")
        elif value != defaults[key]:
            parts.append(f"{key}={value}")
    return "full contract" if not parts else "; ".join(parts)
