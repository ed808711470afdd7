"""Measuring and reporting shared by the ``bench_*.py`` scripts: timers, medians, alternation, tables.

Each script keeps only its backend's two sides (the store and the raw client doing the same work);
this module times them the same way everywhere and prints the ratio / target / PASS-FAIL tables.
Scripts import it as ``harness`` (Python puts a script's own folder first on ``sys.path``).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:  # imported where used, so that importing the harness imports no praisonai_persist
    import numpy as np

    from praisonai_persist.models import ConversationMessage, KnowledgeDocument

T = TypeVar("T")

# -- timers and alternation -----------------------------------------------------------------------


def time_once(fn: Callable[[], object]) -> float:
    """Seconds taken by one call of ``fn``."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def timed(fn: Callable[[], object], count: int) -> float:
    """Seconds per call of ``fn`` over ``count`` calls (garbage collection paused, as timeit does)."""
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(count):
            fn()
        return (time.perf_counter() - start) / count
    finally:
        if gc_was_enabled:
            gc.enable()


async def _atimed(fn: Callable[[], Awaitable[object]], count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        await fn()
    return (time.perf_counter() - start) / count


def atimed(fn: Callable[[], Awaitable[object]], count: int) -> float:
    """Seconds per awaited call of ``fn`` over ``count`` calls, in a fresh event loop."""
    return asyncio.run(_atimed(fn, count))


def median_of(fn: Callable[[], float], repeat: int) -> float:
    """Median of ``repeat`` results of ``fn`` (a measurement returning seconds)."""
    return statistics.median(fn() for _ in range(repeat))


def median_time(fn: Callable[[], object], runs: int) -> float:
    """Median seconds of ``runs`` single calls of ``fn``."""
    return statistics.median(time_once(fn) for _ in range(runs))


def alternate(store_fn: Callable[[], float], raw_fn: Callable[[], float], repeat: int) -> tuple[float, float]:
    """Median of each side over ``repeat`` alternating runs (store, raw, raw, store, ...)."""
    store_times: list[float] = []
    raw_times: list[float] = []
    for i in range(repeat):
        order = [(store_fn, store_times), (raw_fn, raw_times)]
        if i % 2:
            order.reverse()
        for fn, sink in order:
            sink.append(fn())
    return statistics.median(store_times), statistics.median(raw_times)


def paired(
    store_fn: Callable[[T], object], raw_fn: Callable[[T], object], items: Iterable[T], *, raw_first: bool = False
) -> tuple[list[float], list[float]]:
    """Time both sides once per item, back to back (so load spikes hit both alike): (store, raw) seconds."""
    store_times: list[float] = []
    raw_times: list[float] = []
    for item in items:
        if raw_first:
            raw_times.append(time_once(partial(raw_fn, item)))
            store_times.append(time_once(partial(store_fn, item)))
        else:
            store_times.append(time_once(partial(store_fn, item)))
            raw_times.append(time_once(partial(raw_fn, item)))
    return store_times, raw_times


def shuffled_totals(
    store_fn: Callable[[T], object], raw_fn: Callable[[T], object], items: Iterable[T]
) -> tuple[float, float]:
    """Total (store, raw) seconds over ``items``; per item the two sides run in random order."""
    totals = [0.0, 0.0]
    for item in items:
        pair: list[tuple[int, Callable[[T], object]]] = [(0, store_fn), (1, raw_fn)]
        random.shuffle(pair)
        for side, fn in pair:
            totals[side] += time_once(partial(fn, item))
    return totals[0], totals[1]


def verdict(ratio: float, target: float) -> str:
    """PASS when store/raw is at most the target."""
    return "PASS" if ratio <= target else "FAIL"


# -- conversation-style results (per-operation medians, µs/ms units) -----------------------------


@dataclass
class Result:
    """One comparison: median seconds per operation of each side and the target ratio (if any)."""

    name: str
    unit: str
    store: float
    raw: float
    target: float | None
    #: "le": store/raw must be at most target; "ge": raw/store (a speed-up) must be at least target.
    sense: str = "le"

    @property
    def ratio(self) -> float:
        """store/raw ("le") or raw/store ("ge")."""
        if self.sense == "ge":
            return self.raw / self.store if self.store else float("inf")
        return self.store / self.raw if self.raw else float("inf")

    @property
    def verdict(self) -> str:
        """PASS / FAIL against the target, "info" without one."""
        if self.target is None:
            return "info"
        ok = self.ratio >= self.target if self.sense == "ge" else self.ratio <= self.target
        return "PASS" if ok else "FAIL"


def fmt_seconds(seconds: float) -> str:
    """A duration in ms (from 1 ms up) or µs."""
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def print_table(results: Sequence[Result], notes: Sequence[str], width: int = 40) -> None:
    """The benchmark / unit / store / raw / ratio / target / result table, then the notes."""
    head = f"{'benchmark':<{width}} {'unit':<12} {'store':>10} {'raw':>10} {'ratio':>7} {'target':>7}  result"
    print(head)
    print("-" * len(head))
    for res in results:
        if res.target is None:
            target = "-"
        else:
            target = f"≥{res.target:.2f}x" if res.sense == "ge" else f"≤{res.target:.2f}x"
        suffix = "  (batch vs single)" if res.sense == "ge" else ""
        print(
            f"{res.name:<{width}} {res.unit:<12} {fmt_seconds(res.store):>10} {fmt_seconds(res.raw):>10} "
            f"{res.ratio:>6.2f}x {target:>7}  {res.verdict}{suffix}"
        )
    for note in notes:
        print(f"note: {note}")


def results_doc(name: str, results: Sequence[Result], notes: Sequence[str], **extra: Any) -> dict[str, Any]:
    """The ``--json`` document of a conversation benchmark."""
    return {
        "benchmark": name,
        "python": python_version(),
        **extra,
        "results": [{**asdict(r), "ratio": r.ratio, "verdict": r.verdict} for r in results],
        "notes": list(notes),
    }


def python_version() -> str:
    """The running interpreter's version, e.g. ``3.11.9``."""
    return sys.version.split()[0]


def messages(n: int, session_id: str = "") -> list[ConversationMessage]:
    """``n`` chat messages with small metadata, built before timing starts."""
    from praisonai_persist.models import ConversationMessage

    base = time.time()
    return [
        ConversationMessage(
            session_id=session_id,
            role="user" if i % 2 == 0 else "assistant",
            content=f"message {i}: " + "lorem ipsum dolor sit amet " * 4,
            metadata={"turn": i, "source": "bench"},
            created_at=base + i * 1e-3,
        )
        for i in range(n)
    ]


def add_conversation_args(parser: argparse.ArgumentParser, *, appends: int, reads: int) -> None:
    """The options every conversation benchmark takes (sizes, --quick, --json)."""
    parser.add_argument("--repeat", type=int, default=7, help="alternating repetitions per benchmark (default 7)")
    parser.add_argument("--appends", type=int, default=appends, help="messages appended one by one per repetition")
    parser.add_argument("--history", type=int, default=10_000, help="messages in the long session (default 10,000)")
    parser.add_argument("--batch", type=int, default=100, help="messages per add_messages batch (default 100)")
    parser.add_argument("--reads", type=int, default=reads, help=f"get_messages calls per repetition (default {reads})")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and operations (a smoke run)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")


# -- knowledge-style results (insert and search, one row each) -----------------------------------

#: label, store value, raw value, target ratio (None: reported only)
Row = tuple[str, float, float, "float | None"]


def add_size_args(parser: argparse.ArgumentParser, *, docs: int = 50_000, queries: int = 1_000) -> None:
    """--quick (5,000 documents, 200 searches), --docs, --queries."""
    parser.add_argument("--quick", action="store_true", help="5,000 documents and 200 searches")
    parser.add_argument("--docs", type=int, default=None, help=f"documents to insert (default {docs:,})")
    parser.add_argument("--queries", type=int, default=None, help=f"searches to run (default {queries:,})")
    parser.set_defaults(full_docs=docs, full_queries=queries)


def sizes(args: argparse.Namespace) -> tuple[int, int]:
    """(documents, queries) from the options of :func:`add_size_args` (explicit sizes win over --quick)."""
    n_docs = args.docs or (5_000 if args.quick else args.full_docs)
    n_queries = args.queries or (200 if args.quick else args.full_queries)
    return int(n_docs), int(n_queries)


def uniform_docs(n: int, dim: int = 384, seed: int = 7) -> list[KnowledgeDocument]:
    """``n`` documents with seeded uniform [-1, 1) vectors, metadata and fixed times."""
    from praisonai_persist.models import KnowledgeDocument

    rng = random.Random(seed)
    return [
        KnowledgeDocument(
            id=f"doc-{i}",
            content=f"document number {i} about topic {i % 97}",
            embedding=[rng.uniform(-1.0, 1.0) for _ in range(dim)],
            metadata={"group": f"g{i % 10}", "rank": i},
            created_at=1_700_000_000.0 + i,
        )
        for i in range(n)
    ]


def uniform_data(n_docs: int, n_queries: int, dim: int = 384) -> tuple[list[KnowledgeDocument], list[list[float]]]:
    """:func:`uniform_docs` (seed 7) and the vectors of ``n_queries`` more documents (seed 11) as queries."""
    return uniform_docs(n_docs, dim), [d.embedding or [] for d in uniform_docs(n_queries, dim, seed=11)]


def normal_data(n_docs: int, n_queries: int, dim: int) -> tuple[list[KnowledgeDocument], list[list[float]]]:
    """:func:`normal_docs` then :func:`normal_queries`, drawn from one generator seeded 7."""
    import numpy as np

    rng = np.random.default_rng(7)
    docs = normal_docs(n_docs, dim, rng)
    return docs, normal_queries(n_queries, dim, rng)


def normal_docs(n: int, dim: int, rng: np.random.Generator) -> list[KnowledgeDocument]:
    """``n`` documents with float32 standard-normal vectors drawn from ``rng``."""
    import numpy as np

    from praisonai_persist.models import KnowledgeDocument

    vectors = rng.standard_normal((n, dim)).astype(np.float32)
    return [
        KnowledgeDocument(
            id=f"doc-{i}", content=f"document {i}", embedding=vectors[i].tolist(), metadata={"n": i, "g": i % 4}
        )
        for i in range(n)
    ]


def normal_queries(n: int, dim: int, rng: np.random.Generator) -> list[list[float]]:
    """``n`` float32 standard-normal query vectors drawn from ``rng``."""
    import numpy as np

    queries: list[list[float]] = rng.standard_normal((n, dim)).astype(np.float32).tolist()
    return queries


def unit_data(n_docs: int, n_queries: int, dim: int = 384) -> tuple[list[KnowledgeDocument], list[list[float]]]:
    """Seeded unit-length documents and queries (one draw, documents first)."""
    import numpy as np

    from praisonai_persist.models import KnowledgeDocument

    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((n_docs + n_queries, dim))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    docs = [
        KnowledgeDocument(
            id=f"d{i}", content=f"document {i}", embedding=vectors[i].tolist(), metadata={"group": i % 7, "rank": i}
        )
        for i in range(n_docs)
    ]
    return docs, [v.tolist() for v in vectors[n_docs:]]


def print_rows(
    rows: Sequence[Row],
    *,
    width: int = 46,
    label: str = "measure",
    raw_first: bool = False,
    unit: str = "",
    digits: int = 3,
    ratio_digits: int = 2,
) -> None:
    """A measure / store / raw / ratio / target / verdict table; a row without target is "reported"."""
    sides = [f"raw{unit}", f"store{unit}"] if raw_first else [f"store{unit}", f"raw{unit}"]
    print(f"{label:<{width}} {sides[0]:>10} {sides[1]:>10} {'ratio':>7} {'target':>7}  verdict")
    for name, store, raw, target in rows:
        ratio = store / raw if raw else float("inf")
        first, second = (raw, store) if raw_first else (store, raw)
        tgt = "-" if target is None else f"{target:.2f}"
        outcome = "reported" if target is None else verdict(ratio, target)
        print(
            f"{name:<{width}} {first:>10.{digits}f} {second:>10.{digits}f} {ratio:>7.{ratio_digits}f} {tgt:>7}  {outcome}"
        )


def insert_search_rows(
    n_docs: int,
    n_queries: int,
    dim: int,
    store_ins: list[float],
    raw_ins: list[float],
    store_q: list[float],
    raw_q: list[float],
) -> list[Row]:
    """The two rows of a knowledge benchmark: insert (s, target 1.2) and search (ms/query, target 1.15)."""
    return [
        (f"insert {n_docs:,} x {dim}-dim (s)", statistics.median(store_ins), statistics.median(raw_ins), 1.2),
        (
            f"search top-10, {n_queries:,} queries (ms/query)",
            statistics.median(store_q) * 1e3,
            statistics.median(raw_q) * 1e3,
            1.15,
        ),
    ]


def insert_rounds(
    prepare: Callable[[int], object],
    store_insert: Callable[[int], object],
    raw_insert: Callable[[int], object],
    cleanup: Callable[[int], object],
    rounds: int = 3,
) -> tuple[list[float], list[float]]:
    """Time each side's insert into round ``r``'s fresh collection, who goes first alternating.

    ``prepare(r)`` runs untimed before the inserts; ``cleanup(r)`` after every round but the first,
    whose collections stay for the searches. Returns (store, raw) seconds per round.
    """
    store_ins: list[float] = []
    raw_ins: list[float] = []
    for r in range(rounds):
        prepare(r)
        if r % 2:
            raw_ins.append(time_once(partial(raw_insert, r)))
            store_ins.append(time_once(partial(store_insert, r)))
        else:
            store_ins.append(time_once(partial(store_insert, r)))
            raw_ins.append(time_once(partial(raw_insert, r)))
        if r:
            cleanup(r)
    return store_ins, raw_ins


def knowledge_report(
    name: str,
    n_docs: int,
    n_queries: int,
    dim: int,
    inserts: tuple[list[float], list[float]],
    searches: tuple[list[float], list[float]],
    overlap: int,
) -> None:
    """Header and insert/search table of an embedded vector store benchmark ((store, raw) seconds)."""
    print(f"{name}: store vs raw client, medians (first query: {overlap}/10 top-10 ids in common)")
    print_rows(insert_search_rows(n_docs, n_queries, dim, *inserts, *searches))


# -- two sides behind one interface (insert all, search one) -------------------------------------


class Side(Protocol):
    """One side of an insert/search benchmark: a fresh collection per instance."""

    def insert(self, docs: list[KnowledgeDocument]) -> None:
        """Insert every document."""

    def search(self, query: list[float]) -> Any:
        """Top-10 for one query vector."""

    def close(self) -> None:
        """Release what the side holds."""


class StoreSide:
    """The praisonai-persist side of :func:`run_sides`: a knowledge store with one collection "docs"."""

    def __init__(self, store: Any, dim: int, on_close: Callable[[], object] | None = None) -> None:
        self.store = store
        self.on_close = on_close
        store.create_collection("docs", dim)

    def insert(self, docs: list[KnowledgeDocument]) -> None:
        """Insert every document into "docs"."""
        self.store.insert("docs", docs)

    def search(self, query: list[float]) -> Any:
        """Top-10 of "docs" for one query."""
        return self.store.search("docs", query, limit=10)

    def close(self) -> None:
        """Close the store, then run ``on_close`` (e.g. remove a temporary directory)."""
        self.store.close()
        if self.on_close is not None:
            self.on_close()


SIDE_TARGETS = {"insert": 1.2, "search": 1.15}


def run_sides(
    store_factory: Callable[[], Side],
    raw_factory: Callable[[], Side],
    docs: list[KnowledgeDocument],
    queries: list[list[float]],
    repeat: int,
    raw_ids: Callable[[Any], list[str]],
) -> list[dict[str, Any]]:
    """Insert once per side per repetition (who goes first alternates), then every query on both sides.

    The first query's ids must agree between the sides. Returns one row per measure (medians).
    """
    inserts: dict[str, list[float]] = {"store": [], "raw": []}
    searches: dict[str, list[float]] = {"store": [], "raw": []}
    for round_ in range(repeat):
        sides: dict[str, Side] = {"store": store_factory(), "raw": raw_factory()}
        order = list(sides) if round_ % 2 == 0 else list(sides)[::-1]
        for name in order:
            gc.collect()
            inserts[name].append(time_once(partial(sides[name].insert, docs)))
        for query in queries:  # alternate per query so load spikes hit both sides alike
            for name, side in sides.items():
                searches[name].append(time_once(partial(side.search, query)))
        check = [h.id for h in sides["store"].search(queries[0])]
        assert check == raw_ids(sides["raw"].search(queries[0])), "store and raw disagree"
        for side in sides.values():
            side.close()
    rows = []
    for what, data, unit in (("insert", inserts, f"s per {len(docs)} docs"), ("search", searches, "ms per top-10")):
        scale = 1000.0 if what == "search" else 1.0
        store, raw = statistics.median(data["store"]) * scale, statistics.median(data["raw"]) * scale
        ratio = store / raw
        rows.append(
            {
                "measure": what,
                "unit": unit,
                "store": store,
                "raw": raw,
                "ratio": ratio,
                "target": SIDE_TARGETS[what],
                "verdict": verdict(ratio, SIDE_TARGETS[what]),
            }
        )
    return rows


def sides_main(
    title: str,
    store_factory: Callable[[], Side],
    raw_factory: Callable[[], Side],
    raw_ids: Callable[[Any], list[str]],
    description: str,
    dim: int = 384,
) -> None:
    """Command line of a two-sides benchmark: sizes, --repeat, --json; prints the table."""
    parser = argparse.ArgumentParser(description=description)
    add_size_args(parser)
    parser.add_argument("--repeat", type=int, default=None, help="repetitions (default 5 quick, 1 full)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    n_docs, n_queries = sizes(args)
    docs, queries = unit_data(n_docs, n_queries, dim)
    rows = run_sides(store_factory, raw_factory, docs, queries, args.repeat or (5 if args.quick else 1), raw_ids)
    if args.json:
        import json

        print(json.dumps(rows, indent=2))
        return
    print(f"{title}, {n_docs} x {dim}-dim docs, {n_queries} searches")
    table: list[Row] = [(f"{r['measure']:<8} {r['unit']}", r["store"], r["raw"], r["target"]) for r in rows]
    print_rows(table, width=33, label=f"{'measure':<8} unit", ratio_digits=3)
