"""Benchmark praisonai-persist-redis against raw redis-py doing the same work, in the same run.

State (machine Redis, 127.0.0.1:6379): set then get of N small keys one call at a time (store vs
raw ``SET``/``GET`` with ``json.dumps``/``json.loads``), and pipelined (store ``set_many``/
``get_many`` vs a raw pipeline of ``SET`` and ``MGET``). Target: store ≤ 1.2 × raw.
Knowledge (Redis 8 from ``tools/engines.sh up redis8``, skipped if it is not running): insert of
D documents × 384 dims and S top-10 searches, on vector sets and on the Query Engine, against
raw commands writing the same hashes/elements and running the same VSIM / FT.SEARCH + HMGET.
Targets (issue 6): search ≤ 1.15 × raw, insert ≤ 1.2 × raw. Medians over --repeat runs.

    python tools/bench/bench_redis.py [--quick] [--repeat N] [--state-only]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import struct
import sys
import uuid
from typing import Any

import redis
from harness import shuffled_totals, verdict

from praisonai_persist import KnowledgeDocument
from praisonai_persist_redis import RedisKnowledgeStore, RedisStateStore
from praisonai_persist_redis.filters import TAG_FIELD, document_tokens

STATE_URL = "redis://127.0.0.1:6379/0"


def row(name: str, store_times: list[float], raw_times: list[float], target: float | None) -> None:
    s, r = statistics.median(store_times), statistics.median(raw_times)
    ratio = s / r if r else float("nan")
    outcome = "" if target is None else verdict(ratio, target)
    limit = "" if target is None else f"≤ {target:.2f}"
    print(f"{name:<44} {s * 1000:>10.1f} {r * 1000:>10.1f} {ratio:>7.2f}  {limit:<7} {outcome}")


def header(title: str) -> None:
    print(f"\n{title}\n{'measure':<44} {'store ms':>10} {'raw ms':>10} {'ratio':>7}  target")


def bench_state(n: int, repeat: int) -> None:
    header(f"state: {n} small keys, Redis at {STATE_URL}")
    raw = redis.Redis.from_url(STATE_URL, decode_responses=True)
    values = {f"user:{i}": {"turn": i, "name": f"n{i}", "ok": True} for i in range(n)}
    results: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in ("set", "get", "set_many", "get_many")}
    for run in range(repeat + 1):  # the first run warms connections and caches; it is not counted
        state_round(raw, values, results if run else None)
    row(f"set {n} keys, one call each", *results["set"], 1.2)
    row(f"get {n} keys, one call each", *results["get"], 1.2)
    row(f"set {n} keys pipelined (set_many)", *results["set_many"], 1.2)
    row(f"get {n} keys pipelined (get_many / MGET)", *results["get_many"], 1.2)
    raw.close()


def state_round(raw: Any, values: dict[str, Any], results: dict[str, tuple[list[float], list[float]]] | None) -> None:
    """One timed round of every state measure. The keys go in slices of 250 (set, get) or 1,000
    (pipelined); per slice, store and raw run in random order and their times are summed, so load
    drift on this shared machine hits both sides alike."""
    prefix = f"bench_{uuid.uuid4().hex[:8]}:"
    store = RedisStateStore(STATE_URL, key_prefix=prefix + "s:")
    rp = prefix + "r:"
    items = list(values.items())

    def store_set(part: list[tuple[str, Any]]) -> None:
        for k, v in part:
            store.set(k, v)

    def raw_set(part: list[tuple[str, Any]]) -> None:
        for k, v in part:
            raw.set(rp + k, json.dumps(v))

    def store_get(part: list[tuple[str, Any]]) -> None:
        for k, _ in part:
            store.get(k)

    def raw_get(part: list[tuple[str, Any]]) -> None:
        for k, _ in part:
            json.loads(raw.get(rp + k))

    def store_set_many(part: list[tuple[str, Any]]) -> None:
        store.set_many(dict(part))

    def raw_set_many(part: list[tuple[str, Any]]) -> None:
        pipe = raw.pipeline(transaction=False)
        for k, v in part:
            pipe.set(rp + k, json.dumps(v))
        pipe.execute()

    def store_get_many(part: list[tuple[str, Any]]) -> None:
        store.get_many([k for k, _ in part])

    def raw_get_many(part: list[tuple[str, Any]]) -> None:
        [json.loads(v) for v in raw.mget([rp + k for k, _ in part]) if v is not None]

    for name, size, s_fn, r_fn in (
        ("set", 250, store_set, raw_set),
        ("get", 250, store_get, raw_get),
        ("set_many", 1000, store_set_many, raw_set_many),
        ("get_many", 1000, store_get_many, raw_get_many),
    ):
        parts = [items[begin : begin + size] for begin in range(0, len(items), size)]
        store_total, raw_total = shuffled_totals(s_fn, r_fn, parts)
        if results is not None:
            results[name][0].append(store_total)
            results[name][1].append(raw_total)
    store.clear()
    cleaner = RedisStateStore(STATE_URL, key_prefix=rp)
    cleaner.clear()
    cleaner.close()
    store.close()


def vector(rng: random.Random, dim: int) -> list[float]:
    return [rng.uniform(-1.0, 1.0) for _ in range(dim)]


def bench_knowledge(url: str, engine: str, docs_n: int, searches: int, dim: int, repeat: int) -> None:
    header(f"knowledge ({engine}): {docs_n} docs x {dim} dims, {searches} top-10 searches")
    rng = random.Random(7)
    docs = [
        KnowledgeDocument(
            id=f"d{i}", content=f"document {i}", embedding=vector(rng, dim), metadata={"n": i % 10, "tag": "ab"[i % 2]}
        )
        for i in range(docs_n)
    ]
    queries = [vector(rng, dim) for _ in range(searches)]
    raw = redis.Redis.from_url(url)
    ins: tuple[list[float], list[float]] = ([], [])
    sea: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        knowledge_round(raw, url, engine, docs, queries, dim, ins, sea)
    row(f"insert {docs_n} docs", *ins, 1.2)
    row(f"{searches} top-10 searches", *sea, 1.15)
    raw.close()


def knowledge_round(
    raw: Any,
    url: str,
    engine: str,
    docs: list[KnowledgeDocument],
    queries: list[list[float]],
    dim: int,
    ins: tuple[list[float], list[float]],
    sea: tuple[list[float], list[float]],
) -> None:
    """One timed insert and search round of the store and of raw commands."""
    prefix = f"bench_{uuid.uuid4().hex[:8]}:"
    store = RedisKnowledgeStore(url, engine=engine, key_prefix=prefix)
    store.create_collection("s", dim)
    rp = prefix + "raw:"
    index = rp + "idx"
    if engine == "query_engine":
        raw.execute_command(
            "FT.CREATE", index, "ON", "HASH", "PREFIX", 1, rp + "d:", "SCHEMA", "vec", "VECTOR", "FLAT", 6,
            "TYPE", "FLOAT32", "DIM", dim, "DISTANCE_METRIC", "COSINE", TAG_FIELD, "TAG", "pn_n", "NUMERIC",
        )  # fmt: skip

    def raw_insert(chunk: list[KnowledgeDocument]) -> None:
        pipe = raw.pipeline(transaction=False)
        for d in chunk:
            assert d.embedding is not None
            blob = struct.pack(f"<{dim}f", *d.embedding)
            fields: dict[str, Any] = {
                "content": d.content, "metadata": json.dumps(d.metadata), "content_hash": d.content_hash or "",
                "created_at": repr(d.created_at), "vec": blob,
            }  # fmt: skip
            if engine == "query_engine":
                fields[TAG_FIELD] = ",".join(document_tokens(d.metadata))
                fields["pn_n"] = float((d.metadata or {})["n"])
                pipe.hset(rp + "d:" + d.id, mapping=fields)
            else:
                pipe.hset(rp + "d:" + d.id, mapping=fields)
                attrs = json.dumps({TAG_FIELD: document_tokens(d.metadata), "pn_n": (d.metadata or {})["n"]})
                pipe.execute_command("VADD", rp + "vs", "FP32", blob, d.id, "NOQUANT", "SETATTR", attrs)
        pipe.execute()

    # The raw searches run on the store's own vector set / index (one HNSW graph for both sides, so
    # graph-quality variance between two builds does not count) and build the same documents.
    store_vs, store_docs, store_index = prefix + "c:s:vs", prefix + "c:s:d:", prefix + "idx:s"

    def raw_search(q: list[float]) -> None:
        blob = struct.pack(f"<{dim}f", *q)
        if engine == "query_engine":
            reply = raw.execute_command(
                "FT.SEARCH", store_index, "*=>[KNN $K @vec $B AS __d]", "PARAMS", 4, "K", 10, "B", blob,
                "SORTBY", "__d", "ASC", "RETURN", 1, "__d", "LIMIT", 0, 10, "DIALECT", 2,
            )  # fmt: skip
            hits = [(r[b"id"], 1.0 - float(r[b"extra_attributes"][b"__d"])) for r in reply[b"results"]]
        else:
            reply = raw.execute_command("VSIM", store_vs, "FP32", blob, "WITHSCORES", "COUNT", 10)
            hits = [(store_docs.encode() + i, 2.0 * float(v) - 1.0) for i, v in reply.items()]
        pipe = raw.pipeline(transaction=False)
        for key, _ in hits:
            pipe.hmget(key, "content", "metadata", "content_hash", "created_at")
        rows = pipe.execute()
        [
            KnowledgeDocument(
                id=key.decode().rsplit(":", 1)[1],
                content=r[0].decode(),
                metadata=json.loads(r[1]),
                content_hash=r[2].decode(),
                created_at=float(r[3]),
                score=score,
            )
            for (key, score), r in zip(hits, rows, strict=True)
        ]

    # Inserts go in chunks of 1,000 documents, store and raw alternating in random order.
    chunks = [docs[begin : begin + 1000] for begin in range(0, len(docs), 1000)]
    spent = shuffled_totals(lambda chunk: store.insert("s", chunk), raw_insert, chunks)
    ins[0].append(spent[0])
    ins[1].append(spent[1])
    # Query by query, store and raw alternate in random order, so load drift hits both sides alike.
    totals = shuffled_totals(lambda q: store.search("s", q, limit=10), raw_search, queries)
    sea[0].append(totals[0])
    sea[1].append(totals[1])
    store.drop_all()
    store.close()
    if engine == "query_engine":
        raw.execute_command("FT.DROPINDEX", index)
    cleaner = RedisStateStore(url, key_prefix=rp)
    cleaner.clear()
    cleaner.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="2,000 keys; 5,000 docs / 200 searches")
    parser.add_argument("--repeat", type=int, default=None)
    parser.add_argument("--state-only", action="store_true")
    args = parser.parse_args()
    keys = 2_000 if args.quick else 10_000
    docs_n, searches = (5_000, 200) if args.quick else (50_000, 1_000)
    repeat = args.repeat or (3 if args.quick else 5)
    bench_state(keys, repeat)
    if args.state_only:
        return 0
    from praisonai_persist_testkit.engines import engine_port

    port = engine_port("redis8")
    if port is None:
        print("\nknowledge: skipped (start Redis 8 with `tools/engines.sh up redis8`)")
        return 0
    for engine in ("vectorset", "query_engine"):
        bench_knowledge(f"redis://127.0.0.1:{port}/0", engine, docs_n, searches, 384, 1 if not args.quick else repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
