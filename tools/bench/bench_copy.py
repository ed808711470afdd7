#!/usr/bin/env python3
"""``praisonai-persist copy`` of a SQLite conversation store into PostgreSQL, against a raw copy.

The CLI side runs the installed console script (``copy SRC DST --no-progress``) into a fresh
schema. The raw side is what a careful user would hand-write with the drivers: stream rows out
of SQLite with ``fetchmany`` and load them with psycopg's ``COPY``, in one process, no checks,
no resume. Each side runs in its own child process, so its peak RSS is measured on its own
(``ru_maxrss`` of that child). Reported: messages per second and peak memory of each side.

    .venv/bin/python tools/bench/bench_copy.py            # 100,000 messages (100 sessions x 1,000)
    .venv/bin/python tools/bench/bench_copy.py --quick    # 10,000 messages
    .venv/bin/python tools/bench/bench_copy.py --sessions 1 --messages 100000   # one long session
"""

# ruff: noqa: S608  -- the only interpolated names are the schemas this script generates

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from harness import python_version

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"
SESSION_COLS = "session_id, user_id, agent_id, name, state, metadata, created_at, updated_at"
MESSAGE_COLS = "id, session_id, role, content, tool_calls, tool_call_id, metadata, created_at"


def seed(path: str, sessions: int, per_session: int) -> None:
    """A SQLite conversation store with ``sessions`` x ``per_session`` chat-sized messages."""
    from praisonai_persist import ConversationMessage, ConversationSession, create_conversation_store

    base = time.time() - 86_400
    with create_conversation_store("sqlite", path) as store:
        for s in range(sessions):
            sid = f"bench-{s}"
            store.create_session(ConversationSession(session_id=sid, user_id=f"user-{s % 7}", agent_id="bench"))
            for start in range(0, per_session, 1000):
                store.add_messages(sid, [
                    ConversationMessage(
                        role="user" if i % 2 == 0 else "assistant",
                        content=f"message {i} of session {s}: " + "lorem ipsum dolor sit amet " * 6,
                        tool_calls=[{"id": f"c{i}", "type": "function", "function": {"name": "f", "arguments": "{}"}}]
                        if i % 10 == 1 else None,
                        metadata={"i": i}, created_at=base + s * per_session + i,
                    )
                    for i in range(start, min(start + 1000, per_session))
                ])


def raw_copy(sqlite_path: str, pg_url: str, schema: str, batch: int) -> int:
    """Hand-written copy: sqlite3 ``fetchmany`` into psycopg ``COPY``; returns messages copied."""
    import sqlite3

    import psycopg

    src = sqlite3.connect(sqlite_path)
    copied = 0
    with psycopg.connect(pg_url, autocommit=False) as conn:
        conn.execute(f'SET search_path TO "{schema}"')
        with conn.cursor() as cur:
            with cur.copy(f"COPY praison_sessions ({SESSION_COLS}) FROM STDIN") as cp:
                for row in src.execute(f"SELECT {SESSION_COLS} FROM praison_sessions"):
                    cp.write_row(row)
            rows = src.execute(f"SELECT {MESSAGE_COLS} FROM praison_messages ORDER BY session_id, created_at, rowid")
            with cur.copy(f"COPY praison_messages ({MESSAGE_COLS}) FROM STDIN") as cp:
                while chunk := rows.fetchmany(batch):
                    for row in chunk:
                        cp.write_row(row)
                    copied += len(chunk)
        conn.commit()
    src.close()
    return copied


def measured(cmd: list[str]) -> dict[str, Any]:
    """Run ``cmd`` in a child of a fresh Python, so its ``ru_maxrss`` is that command's alone."""
    wrapper = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "print(json.dumps({'rc': p.returncode, 'seconds': time.perf_counter() - t, "
        "'peak_kib': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, 'stdout': p.stdout, 'stderr': p.stderr}))\n"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(out.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"{cmd[0]} failed (exit {result['rc']}):\n{result['stderr']}")
    return result


def prepare_schema(pg_url: str, sqlite_path: str) -> str:
    """A fresh schema holding empty tables made by the store (the raw side needs them too)."""
    import psycopg

    from praisonai_persist import create_conversation_store

    schema = f"bench_copy_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    create_conversation_store("postgres", pg_url, schema=schema).close()
    return schema


def drop_schema(pg_url: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def count_messages(pg_url: str, schema: str) -> int:
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        row = conn.execute(f'SELECT count(*) FROM "{schema}".praison_messages').fetchone()
        return int(row[0]) if row else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=os.environ.get("PRAISONAI_TEST_POSTGRES_URL", DEFAULT_URL), help="PostgreSQL URL.")
    parser.add_argument("--sessions", type=int, default=100, help="Sessions in the source (default 100).")
    parser.add_argument("--messages", type=int, default=None, help="Messages in all (default 100,000; --quick 10,000).")
    parser.add_argument("--batch-size", type=int, default=500, help="copy --batch-size and the raw fetchmany size.")
    parser.add_argument("--quick", action="store_true", help="10,000 messages.")
    parser.add_argument("--json", action="store_true", help="Print the results as JSON.")
    parser.add_argument("--raw-child", nargs=3, metavar=("SQLITE", "SCHEMA", "BATCH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.raw_child:
        path, schema, batch = args.raw_child
        print(raw_copy(path, args.url, schema, int(batch)))
        return
    total = args.messages or (10_000 if args.quick else 100_000)
    per_session = max(1, total // args.sessions)
    exe = shutil.which("praisonai-persist", path=str(Path(sys.executable).parent)) or "praisonai-persist"
    with tempfile.TemporaryDirectory(prefix="bench-copy-") as tmp:
        src = f"{tmp}/source.db"
        started = time.perf_counter()
        seed(src, args.sessions, per_session)
        n = args.sessions * per_session
        print(f"seeded {n:,} messages in {args.sessions:,} sessions ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
        results = {}
        for side in ("cli", "raw"):
            schema = prepare_schema(args.url, src)
            try:
                if side == "cli":
                    dst = f"{args.url}{'&' if '?' in args.url else '?'}options=-csearch_path%3D{schema}"
                    cmd = [exe, "copy", f"sqlite:///{src}", dst, "--batch-size", str(args.batch_size), "--no-progress", "--json"]
                else:
                    cmd = [sys.executable, __file__, "--url", args.url, "--raw-child", src, schema, str(args.batch_size)]
                run = measured(cmd)
                copied = count_messages(args.url, schema)
                if copied != n:
                    raise SystemExit(f"{side}: {copied:,} messages in the destination, expected {n:,}")
                results[side] = {"seconds": run["seconds"], "messages_per_second": n / run["seconds"],
                                 "peak_rss_mib": run["peak_kib"] / 1024}
            finally:
                drop_schema(args.url, schema)
    doc = {"benchmark": "copy sqlite -> postgres", "python": python_version(), "messages": n, "sessions": args.sessions,
           "batch_size": args.batch_size, **results, "cli_time_over_raw": results["cli"]["seconds"] / results["raw"]["seconds"]}
    if args.json:
        print(json.dumps(doc, indent=2))
        return
    print(f"copy of {n:,} messages in {args.sessions:,} sessions, SQLite -> PostgreSQL, batch {args.batch_size}")
    print(f"{'side':<6} {'seconds':>9} {'messages/s':>12} {'peak RSS':>10}")
    for side, r in results.items():
        print(f"{side:<6} {r['seconds']:>9.2f} {r['messages_per_second']:>12,.0f} {r['peak_rss_mib']:>7.1f} MiB")
    print(f"cli / raw time: {doc['cli_time_over_raw']:.2f}x (raw: one COPY stream, no session checks, no resume)")


if __name__ == "__main__":
    main()
