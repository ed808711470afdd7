#!/usr/bin/env python3
"""Cost of ``import praisonai_persist`` plus plugin discovery, and proof that it loads no database client.

Wall time of fresh interpreters (the same one running this script), interleaved with ``python -c pass``
so machine noise hits both alike; the cost is the difference of the medians. Then one more process
reports which client modules are in ``sys.modules`` after discovery: there must be none.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

from harness import python_version, time_once

TARGET_MS = 25.0

BASELINE = "pass"
IMPORT_ONLY = "import praisonai_persist"
# Discovery runs lazily on first registry use, so list_names() is what loads every plugin's hooks.
DISCOVERY = (
    "import praisonai_persist\n"
    "try:\n"
    "    praisonai_persist.get_default_registry('conversation').list_names()\n"
    "except AttributeError:\n"
    "    pass  # no registry API yet: import cost only\n"
)

#: Top-level modules of database clients (and their heavy drivers) that discovery must not import.
CLIENT_MODULES = (
    "aiomysql",
    "aiosqlite",
    "asyncpg",
    "azure.cosmos",
    "boto3",
    "botocore",
    "cassandra",
    "chdb",
    "chromadb",
    "clickhouse_connect",
    "couchbase",
    "google.cloud",
    "lancedb",
    "langchain_core",
    "libsql",
    "libsql_client",
    "lightrag",
    "llama_index",
    "milvus_lite",
    "motor",
    "MySQLdb",
    "pgvector",
    "pinecone",
    "psycopg",
    "psycopg2",
    "psycopg_pool",
    "pymilvus",
    "pymongo",
    "pymysql",
    "qdrant_client",
    "redis",
    "singlestoredb",
    "sqlalchemy",
    "surrealdb",
    "upstash_redis",
    "upstash_vector",
    "weaviate",
)

PROBE = (
    DISCOVERY
    + "import json, sys\n"
    + f"clients = {list(CLIENT_MODULES)!r}\n"
    + "loaded = [m for m in clients if m in sys.modules]\n"
    + "api = hasattr(praisonai_persist, 'get_default_registry')\n"
    + "print(json.dumps({'clients': loaded, 'modules': len(sys.modules), 'sqlite3': 'sqlite3' in sys.modules,"
    + " 'registry_api': api}))\n"
)


# As users run it: bytecode caches written (some CI images set PYTHONDONTWRITEBYTECODE, which
# would make every run recompile the package and measure the compiler instead).
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


_COLD_ENV = dict(_ENV, PRAISONAI_PERSIST_DISCOVERY_CACHE="0")


def wall_time(code: str, env: dict[str, str] | None = None) -> float:
    """Seconds for a fresh interpreter to run ``code`` and exit."""
    return time_once(
        lambda: subprocess.run([sys.executable, "-c", code], check=True, stdout=subprocess.DEVNULL, env=env or _ENV)
    )


def measure(runs: int) -> dict[str, list[float]]:
    """Interleaved wall times of the baseline, the import, and import plus discovery."""
    samples: dict[str, list[float]] = {"baseline": [], "import": [], "discovery": [], "discovery_uncached": []}
    codes = {"baseline": BASELINE, "import": IMPORT_ONLY, "discovery": DISCOVERY, "discovery_uncached": DISCOVERY}
    envs = {"discovery_uncached": _COLD_ENV}
    for name, code in codes.items():
        wall_time(code, envs.get(name))  # warm the file cache, .pyc files and the discovery cache first
    for _ in range(runs):
        for name, code in codes.items():
            samples[name].append(wall_time(code, envs.get(name)))
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30, help="interleaved runs of each command (default 30)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of text")
    args = parser.parse_args(argv)

    try:
        probe = json.loads(
            subprocess.run([sys.executable, "-c", PROBE], check=True, capture_output=True, text=True).stdout
        )
    except subprocess.CalledProcessError as exc:
        print(f"bench_import: importing praisonai_persist failed:\n{exc.stderr}")
        return 0  # benchmarks report, they do not gate
    samples = measure(args.runs)
    median_ms = {name: statistics.median(values) * 1e3 for name, values in samples.items()}
    import_ms = median_ms["import"] - median_ms["baseline"]
    discovery_ms = median_ms["discovery"] - median_ms["baseline"]
    uncached_ms = median_ms["discovery_uncached"] - median_ms["baseline"]
    time_ok = discovery_ms <= TARGET_MS
    clients_ok = not probe["clients"]

    if args.json:
        doc = {
            "benchmark": "import",
            "python": python_version(),
            "runs": args.runs,
            "median_ms": median_ms,
            "import_ms": import_ms,
            "import_and_discovery_ms": discovery_ms,
            "import_and_discovery_uncached_ms": uncached_ms,
            "target_ms": TARGET_MS,
            "time_verdict": "PASS" if time_ok else "FAIL",
            "clients_loaded": probe["clients"],
            "clients_verdict": "PASS" if clients_ok else "FAIL",
            "sqlite3_loaded": probe["sqlite3"],
            "modules_loaded": probe["modules"],
            "registry_api": probe["registry_api"],
        }
        print(json.dumps(doc, indent=2))
        return 0

    print(f"Python {python_version()} ({sys.executable}), medians of {args.runs} interleaved runs")
    print(f"  python -c pass                        {median_ms['baseline']:7.1f} ms")
    print(f"  import praisonai_persist              {median_ms['import']:7.1f} ms  (+{import_ms:.1f} ms)")
    print(f"  import + discovery (list_names)       {median_ms['discovery']:7.1f} ms  (+{discovery_ms:.1f} ms)")
    print(
        f"  same, discovery cache off             {median_ms['discovery_uncached']:7.1f} ms  (+{uncached_ms:.1f} ms,"
        " first start after an install)"
    )
    if not probe["registry_api"]:
        print("  note: praisonai_persist.get_default_registry does not exist yet; only the import was measured")
    print(
        f"import + discovery cost: {discovery_ms:.1f} ms, target <= {TARGET_MS:.0f} ms: {'PASS' if time_ok else 'FAIL'}"
    )
    loaded = ", ".join(probe["clients"]) or "none"
    print(f"database client modules loaded: {loaded}: {'PASS' if clients_ok else 'FAIL'}")
    print(f"(modules in sys.modules after discovery: {probe['modules']}; stdlib sqlite3 loaded: {probe['sqlite3']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
