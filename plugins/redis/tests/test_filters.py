"""Unit tests of the filter translation: tokens, the quoting functions, both target languages."""

from __future__ import annotations

import pytest

from praisonai_persist import UnsupportedFilterError
from praisonai_persist.filters import parse_filter
from praisonai_persist_redis.filters import (
    document_tokens,
    ft_query,
    number_literal,
    numeric_fields,
    quote_token,
    token,
    vectorset_expression,
)


def test_tokens_are_typed_and_hex() -> None:
    assert token("n", 1) == token("n", 1.0)
    assert token("flag", True) != token("flag", 1)
    assert token("tag", "1") != token("tag", 1)
    assert token("a", None) != token("a", "")
    assert token("k", "x") != token("kx", "")
    for t in (token("k", "x\"' OR 1=1"), token("ключ", "😀")):
        assert quote_token(t) == f'"{t}"'


@pytest.mark.parametrize("bad", ['abc"', "ABCDEF12", "xyz", "", "0" * 65, "00000000 or 1", 12])
def test_quote_token_refuses_anything_but_hex(bad: object) -> None:
    with pytest.raises(ValueError):
        quote_token(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(("value", "text"), [(3, "3.0"), (-2.5, "-2.5"), (1e300, "1e+300"), (0.1, "0.1")])
def test_number_literal(value: float, text: str) -> None:
    assert number_literal(value) == text


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), True, "3", None])
def test_number_literal_refuses_non_numbers(bad: object) -> None:
    with pytest.raises(UnsupportedFilterError):
        number_literal(bad)


def test_document_tokens_and_numeric_fields() -> None:
    meta = {"n": 2, "tag": "a", "flag": False, "nested": {"x": 1}, "bad key": 3, "nan": float("nan")}
    tokens = document_tokens(meta)
    assert token("n", 2) in tokens and token("tag", "a") in tokens and token("flag", False) in tokens
    assert len(tokens) == 6  # n (+ its "is a number" token), tag, flag, "bad key" (+ number token)
    assert numeric_fields(meta) == {"n": 2.0}


def test_vectorset_expression_holds_only_tokens_fields_and_numbers() -> None:
    hostile = 'x" or 1'
    tree = parse_filter({"$or": [{"tag": hostile}, {"n": {"$gte": 2, "$lt": 4.5}}], "flag": {"$ne": True}})
    assert tree is not None
    expr = vectorset_expression(tree, {"n"})
    assert hostile not in expr and "or 1" not in expr
    hostile_token = token("tag", hostile)
    assert f'"{hostile_token}" in .ptags' in expr
    assert ".pn_n >= 2.0" in expr and ".pn_n < 4.5" in expr
    assert f'(not ("{token("flag", True)}" in .ptags))' in expr


def test_range_on_a_key_that_never_held_a_number_matches_nothing() -> None:
    tree = parse_filter({"n": {"$gt": 1}})
    assert tree is not None
    assert vectorset_expression(tree, set()) == '("00000000" in .ptags)'
    assert ft_query(tree, set()) == "@ptags:{00000000}"


def test_ft_query() -> None:
    tree = parse_filter({"tag": {"$in": ["a", "b"]}, "n": {"$gt": 1}, "k": {"$nin": []}})
    assert tree is not None
    q = ft_query(tree, {"n"})
    assert q == f"(@ptags:{{{token('tag', 'a')} | {token('tag', 'b')}}} @pn_n:[(1.0 +inf] (-@ptags:{{00000000}}))"
    assert ft_query(None, set()) == "*"


@pytest.mark.parametrize(
    "filters",
    [{"tag') OR 1=1 --": "a"}, {'tag" || true': "a"}, {"n": {"$gt": "a"}}, {"a-b": 1}, {"ключ": 1}],
)
def test_unrepresentable_filters_raise(filters: dict[str, object]) -> None:
    tree = parse_filter(filters)
    assert tree is not None
    with pytest.raises(UnsupportedFilterError):
        vectorset_expression(tree, {"n"})
    with pytest.raises(UnsupportedFilterError):
        ft_query(tree, {"n"})
