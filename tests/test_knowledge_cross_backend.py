"""The same documents and queries on every installed knowledge backend give the same answers.

1,000 documents (seeded random 64-dimensional unit vectors with metadata) and 20 queries, half
with portable filters, on each backend of ``knowledge_backends.BACKENDS``. The in-memory store's
brute-force answer is the reference: an exact backend must return the same top-5 ids with scores
within 1e-3; an approximate one (declared ``exact=False``) must reach a recall@5 of at least 0.9.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

import pytest
from knowledge_backends import BACKENDS, KnowledgeBackend

from praisonai_persist.models import KnowledgeDocument
from praisonai_persist_testkit import make_vector
from praisonai_persist_testkit.engines import engine_skip_reason

DIM = 64
N_DOCS = 1000
TOP = 5
COLLECTION = "cross_backend"
GROUPS = ("alpha", "beta", "gamma", "delta")

FILTERS: list[dict[str, Any] | None] = [
    None,
    {"group": "beta"},
    {"rank": {"$gte": 500}},
    {"group": {"$in": ["alpha", "gamma"]}},
    {"$and": [{"rank": {"$lt": 300}}, {"group": {"$ne": "delta"}}]},
    {"$or": [{"group": "delta"}, {"rank": {"$lte": 50}}]},
    {"even": True},
    {"group": "gamma", "rank": {"$gt": 100}},
    {"rank": {"$nin": [1, 2, 3, 4, 5]}},
    {"weight": {"$gte": 0.25, "$lt": 0.75}},
]


def documents() -> list[KnowledgeDocument]:
    return [
        KnowledgeDocument(
            id=f"doc-{i:04d}",
            content=f"document {i}",
            embedding=make_vector(10_000 + i, DIM),
            metadata={
                "group": GROUPS[i % len(GROUPS)],
                "rank": i,
                "even": i % 2 == 0,
                "weight": round((i * 37 % 1000) / 1000, 3),
            },
        )
        for i in range(N_DOCS)
    ]


def queries() -> list[tuple[list[float], dict[str, Any] | None]]:
    """20 queries: each filter of FILTERS (and no filter) twice, with different vectors."""
    out: list[tuple[list[float], dict[str, Any] | None]] = []
    for round_ in range(2):
        for j, flt in enumerate(FILTERS):
            out.append((make_vector(90_000 + round_ * 100 + j, DIM), flt))
    return out


def answers(store: Any) -> list[list[tuple[str, float]]]:
    store.create_collection(COLLECTION, DIM, distance="cosine")
    docs = documents()
    for start in range(0, len(docs), 250):
        store.insert(COLLECTION, docs[start : start + 250])
    assert store.count(COLLECTION) == N_DOCS
    result = []
    for vector, flt in queries():
        hits = store.search(COLLECTION, vector, limit=TOP, filters=flt)
        result.append([(h.id, float(h.score)) for h in hits])
    return result


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> list[list[tuple[str, float]]]:
    with BACKENDS["memory"].factory(tmp_path_factory.mktemp("memory")) as store:
        return answers(store)


def _unavailable(entry: KnowledgeBackend) -> str | None:
    if entry.module and importlib.util.find_spec(entry.module) is None:
        return f"{entry.name}: plugin not installed (module {entry.module} missing)"
    if entry.engine:
        return engine_skip_reason(entry.engine)
    return None


@pytest.mark.parametrize("name", sorted(n for n in BACKENDS if n != "memory"))
def test_same_answers_as_brute_force(name: str, reference: list[list[tuple[str, float]]], tmp_path: Path) -> None:
    entry = BACKENDS[name]
    reason = _unavailable(entry)
    if reason:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes") and entry.engine:
            pytest.fail(f"CI=true: {reason}")
        pytest.skip(reason)
    with entry.factory(tmp_path) as store:
        got = answers(store)
    assert len(got) == len(reference)
    if entry.exact:
        for q, (want, have) in enumerate(zip(reference, got, strict=True)):
            assert [i for i, _ in have] == [i for i, _ in want], f"query {q} ({queries()[q][1]}): ids differ"
            for (doc, w), (_, h) in zip(want, have, strict=True):
                assert h == pytest.approx(w, abs=1e-3), f"query {q}: score of {doc} {h} != {w}"
    else:
        found = sum(len({i for i, _ in have} & {i for i, _ in want}) for want, have in zip(reference, got, strict=True))
        total = sum(len(want) for want in reference)
        assert found / total >= 0.9, f"{name} recall@{TOP} {found / total:.3f} < 0.9 (approximate engine)"


def test_reference_is_sane(reference: list[list[tuple[str, float]]]) -> None:
    """The brute-force reference returns full, best-first pages, so the comparison means something."""
    assert all(len(page) == TOP for page in reference)
    for page in reference:
        scores = [s for _, s in page]
        assert scores == sorted(scores, reverse=True)
