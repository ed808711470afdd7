"""make_vector and unique_name: deterministic vectors and identifiers every backend accepts."""

from __future__ import annotations

import math

import pytest

from praisonai_persist.identifiers import validate_identifier
from praisonai_persist_testkit import make_vector, unique_name


def test_make_vector_is_deterministic_and_unit_length() -> None:
    a = make_vector(7, 16)
    assert a == make_vector(7, 16)
    assert a != make_vector(8, 16)
    assert len(a) == 16
    assert math.isclose(math.sqrt(sum(x * x for x in a)), 1.0, abs_tol=1e-5)
    assert all(round(x, 6) == x for x in a)


def test_make_vector_rejects_empty_dimension() -> None:
    with pytest.raises(ValueError):
        make_vector(1, 0)


def test_unique_name_is_a_valid_fresh_identifier() -> None:
    names = {unique_name("coll") for _ in range(100)}
    assert len(names) == 100
    for name in names:
        assert name.startswith("coll_")
        assert validate_identifier(name) == name


def test_unique_name_rejects_unsafe_prefix() -> None:
    with pytest.raises(ValueError):
        unique_name("a-b")
    with pytest.raises(ValueError):
        unique_name("x" * 40)
