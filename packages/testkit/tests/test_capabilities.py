"""Capability declarations: defaults are the full contract; mistakes fail loudly."""

from __future__ import annotations

import pytest

from praisonai_persist_testkit import DEFAULT_CAPABILITIES, describe_capabilities, resolve_capabilities
from praisonai_persist_testkit.capabilities import ALL_DISTANCES, ALL_FILTER_OPERATORS


def test_defaults_are_the_full_contract() -> None:
    caps = resolve_capabilities("knowledge", {})
    assert caps["distances"] == ALL_DISTANCES
    assert caps["filter_operators"] == ALL_FILTER_OPERATORS
    assert resolve_capabilities("state", None) == DEFAULT_CAPABILITIES["state"]
    assert describe_capabilities("knowledge", caps) == "full contract"


def test_declared_values_override_defaults() -> None:
    caps = resolve_capabilities("knowledge", {"distances": ["cosine"], "score_tolerance": 1e-4})
    assert caps["distances"] == frozenset({"cosine"})
    assert caps["score_tolerance"] == 1e-4
    assert caps["nested_metadata"] is True
    assert describe_capabilities("knowledge", caps) == "distances=cosine (not dot,euclidean); score_tolerance=0.0001"


@pytest.mark.parametrize(
    ("kind", "declared", "message"),
    [
        ("state", {"ttls": False}, "Unknown state capability 'ttls'"),
        ("state", {"ttl": "no"}, "must be True or False"),
        ("knowledge", {"distances": "cosine"}, "must be a set of names"),
        ("knowledge", {"distances": {"manhattan"}}, "unknown values ['manhattan']"),
        ("knowledge", {"filter_operators": {"$regex"}}, "unknown values ['$regex']"),
        ("state", {"expiry_grace_seconds": -1}, "non-negative number"),
        ("conversation", {"auto_create_session": 1}, "must be True or False"),
    ],
)
def test_invalid_declarations_raise(kind: str, declared: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError) as raised:
        resolve_capabilities(kind, declared, "TestX")
    assert message in str(raised.value)
    assert "TestX.capabilities" in str(raised.value)
