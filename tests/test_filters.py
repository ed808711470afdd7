"""Portable filters: parsing errors and reference semantics (what every backend must match)."""

from __future__ import annotations

import pytest

from praisonai_persist import UnsupportedFilterError
from praisonai_persist.filters import And, Comparison, Or, matches, parse_filter

DOC = {"kind": "a", "n": 5, "f": 1.5, "flag": True, "tag": None}


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        ({"kind": "a"}, True),
        ({"kind": "b"}, False),
        ({"n": {"$eq": 5}}, True),
        ({"n": {"$ne": 5}}, False),
        ({"n": {"$gt": 4}}, True),
        ({"n": {"$gt": 5}}, False),
        ({"n": {"$gte": 5}}, True),
        ({"n": {"$lt": 5.5}}, True),
        ({"n": {"$lte": 4}}, False),
        ({"kind": {"$in": ["a", "c"]}}, True),
        ({"kind": {"$nin": ["a", "c"]}}, False),
        ({"missing": {"$ne": 1}}, True),
        ({"missing": {"$nin": [1]}}, True),
        ({"missing": 1}, False),
        ({"missing": {"$gt": 0}}, False),
        ({"flag": True}, True),
        ({"flag": 1}, False),
        ({"n": {"$gt": "4"}}, False),
        ({"kind": "a", "n": 6}, False),
        ({"$or": [{"kind": "b"}, {"n": {"$gte": 5}}]}, True),
        ({"$and": [{"kind": "a"}, {"$or": [{"n": 1}, {"f": 1.5}]}]}, True),
        ({"n": {"$gt": 1, "$lt": 5}}, False),
    ],
)
def test_reference_semantics(flt: dict, expected: bool) -> None:
    assert matches(flt, DOC) is expected


def test_tree_shape() -> None:
    assert parse_filter({"a": 1, "$or": [{"b": {"$in": [1, 2]}}, {"c": {"$lt": 3}}]}) == And((
        Comparison("a", "$eq", 1),
        Or((Comparison("b", "$in", (1, 2)), Comparison("c", "$lt", 3))),
    ))
    assert parse_filter(None) is None and parse_filter({}) is None


@pytest.mark.parametrize(
    "bad",
    [
        {"a": {"$regex": "x.*"}},
        {"$not": {"a": 1}},
        {"$or": []},
        {"$and": "a"},
        {"a": {"$in": "abc"}},
        {"a": {"$gt": [1]}},
        {"a": {"$gt": None}},
        {"a": {}},
        {"a": {"nested": 1}},
        ["a"],
    ],
)
def test_unsupported_filters_raise(bad: object) -> None:
    with pytest.raises(UnsupportedFilterError):
        parse_filter(bad)  # type: ignore[arg-type]
