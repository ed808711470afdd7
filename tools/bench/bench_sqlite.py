#!/usr/bin/env python3
"""SQLiteConversationStore against hand-written ``sqlite3`` code doing the same work, in one run.

Both sides use one file each with the store's schema, the same pragmas (WAL, synchronous=NORMAL,
busy_timeout, foreign_keys) and the same statements and transactions, so the ratio is what the
store's own code costs. Repetitions alternate store and raw; the table shows medians.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from typing import Any

from harness import Result, add_conversation_args, alternate, messages, print_table, python_version, results_doc, timed

from praisonai_persist.models import ConversationMessage, ConversationSession

PREFIX = "praison_"
BUSY_TIMEOUT = 30.0
# The store's statements for table prefix "praison_", written out as a hand-written client would
# (plain literals: nothing is interpolated into the SQL).
TOUCH_SESSION = (
    'UPDATE "praison_sessions" SET updated_at = CASE WHEN updated_at IS NULL OR updated_at < ? THEN ? '
    "ELSE updated_at + 0.000001 END WHERE session_id = ?"
)
INSERT_MESSAGE = (
    'INSERT OR IGNORE INTO "praison_messages" '
    "(id, session_id, role, content, tool_calls, tool_call_id, metadata, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
SELECT_NEWEST = (
    "SELECT id, session_id, role, content, tool_calls, tool_call_id, metadata, created_at "
    'FROM "praison_messages" WHERE session_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?'
)
SELECT_ALL = (
    "SELECT id, session_id, role, content, tool_calls, tool_call_id, metadata, created_at "
    'FROM "praison_messages" WHERE session_id = ? ORDER BY created_at ASC, rowid ASC'
)
LIST_SESSIONS = (
    "SELECT session_id, user_id, agent_id, name, state, metadata, created_at, updated_at "
    'FROM "praison_sessions" ORDER BY updated_at DESC, session_id ASC LIMIT ? OFFSET ?'
)
INSERT_SESSION = (
    'INSERT INTO "praison_sessions" (session_id, user_id, agent_id, name, state, metadata, created_at, updated_at) '
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


# -- the raw side: what a careful hand-written sqlite3 client does -------------------------------------


def raw_connect(path: str) -> sqlite3.Connection:
    """A connection configured as the store configures its own."""
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA journal_mode = WAL").fetchall()
    return conn


def _row(session_id: str, m: ConversationMessage) -> tuple[Any, ...]:
    return (
        m.id,
        session_id,
        m.role,
        m.content,
        None if m.tool_calls is None else json.dumps(m.tool_calls),
        m.tool_call_id,
        None if m.metadata is None else json.dumps(m.metadata),
        m.created_at,
    )


def raw_add_message(cur: sqlite3.Cursor, session_id: str, m: ConversationMessage) -> None:
    now = time.time()
    cur.execute("BEGIN IMMEDIATE")
    try:
        cur.execute(TOUCH_SESSION, (now, now, session_id))
        if cur.rowcount == 0:
            raise LookupError(session_id)
        cur.execute(INSERT_MESSAGE, _row(session_id, m))
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise


def raw_add_messages(cur: sqlite3.Cursor, session_id: str, messages: Sequence[ConversationMessage]) -> None:
    rows = [_row(session_id, m) for m in messages]
    now = time.time()
    cur.execute("BEGIN IMMEDIATE")
    try:
        cur.execute(TOUCH_SESSION, (now, now, session_id))
        if cur.rowcount == 0:
            raise LookupError(session_id)
        cur.executemany(INSERT_MESSAGE, rows)
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise


def _message(row: Sequence[Any]) -> ConversationMessage:
    return ConversationMessage(
        row[0],
        row[1],
        row[2],
        row[3] or "",
        None if row[4] is None else json.loads(row[4]),
        row[5],
        None if row[6] is None else json.loads(row[6]),
        row[7],
    )


def raw_recent(cur: sqlite3.Cursor, session_id: str, limit: int) -> list[ConversationMessage]:
    """The most recent ``limit`` messages, oldest first, as the same objects the store returns."""
    cur.execute(SELECT_NEWEST, (session_id, limit))
    out = [_message(r) for r in cur.fetchall()]
    out.reverse()
    return out


def raw_history(cur: sqlite3.Cursor, session_id: str) -> list[ConversationMessage]:
    cur.execute(SELECT_ALL, (session_id,))
    return [_message(r) for r in cur.fetchall()]


def raw_list_sessions(cur: sqlite3.Cursor, limit: int) -> list[ConversationSession]:
    cur.execute(LIST_SESSIONS, (limit, 0))
    return [
        ConversationSession(
            r[0],
            r[1],
            r[2],
            r[3],
            None if r[4] is None else json.loads(r[4]),
            None if r[5] is None else json.loads(r[5]),
            r[6],
            r[7],
        )
        for r in cur.fetchall()
    ]


# -- measurement ---------------------------------------------------------------------------------


def check_statements(store: Any) -> list[str]:
    """Differences between the raw side's SQL and the store's own statements (empty: identical)."""
    sql = getattr(store, "_sql", None)
    if sql is None:
        return ["the store exposes no _sql statements; the raw SQL could not be compared"]
    problems = []
    pairs = [("touch_session", TOUCH_SESSION), ("insert_message", INSERT_MESSAGE)]
    for attr, raw in pairs:
        theirs = getattr(sql, attr, None)
        if theirs != raw:
            problems.append(f"{attr}: store runs {theirs!r}, raw runs {raw!r}")
    newest = [s for key, s in getattr(sql, "get_messages", {}).items() if key[:2] == (False, False) and "DESC" in s]
    if newest and newest[0] != SELECT_NEWEST:
        problems.append(f"most recent N: store runs {newest[0]!r}, raw runs {SELECT_NEWEST!r}")
    return problems


def run(repeat: int, appends: int, history: int, batch: int, reads: int) -> tuple[list[Result], list[str]]:
    from praisonai_persist.backends.sqlite import SQLiteConversationStore

    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="praisonai-persist-bench-") as tmp:
        store_path, raw_path = os.path.join(tmp, "store.db"), os.path.join(tmp, "raw.db")
        store = SQLiteConversationStore(path=store_path, table_prefix=PREFIX)
        # The raw file gets the very same schema (tables, indexes, version stamp) from the store.
        SQLiteConversationStore(path=raw_path, table_prefix=PREFIX).close()
        raw = raw_connect(raw_path)
        cur = raw.cursor()
        notes = check_statements(store)

        def new_session(on_store: bool) -> str:
            session = ConversationSession(user_id="bench", agent_id="bench")
            if on_store:
                store.create_session(session)
            else:
                cur.execute(
                    INSERT_SESSION,
                    (session.session_id, "bench", "bench", None, None, None, session.created_at, session.updated_at),
                )
            return session.session_id

        # 1. Appending one message at a time: a transaction per message.
        def store_append() -> float:
            sid, msgs = new_session(True), iter(messages(appends))
            return timed(lambda: store.add_message(sid, next(msgs)), appends)

        def raw_append() -> float:
            sid, msgs = new_session(False), iter(messages(appends))
            return timed(lambda: raw_add_message(cur, sid, next(msgs)), appends)

        s, r = alternate(store_append, raw_append, repeat)
        results.append(Result("append one message", "per message", s, r, 1.25))

        # 2. Batch append of `batch` messages in one transaction.
        def store_batch() -> float:
            sid = new_session(True)
            groups = iter([messages(batch) for _ in range(20)])
            return timed(lambda: store.add_messages(sid, next(groups)), 20)

        def raw_batch() -> float:
            sid = new_session(False)
            groups = iter([messages(batch) for _ in range(20)])
            return timed(lambda: raw_add_messages(cur, sid, next(groups)), 20)

        s, r = alternate(store_batch, raw_batch, repeat)
        results.append(Result(f"add_messages of {batch} (raw: executemany)", "per batch", s, r, None))

        # 3. The most recent 20 messages of a long session (an agent's context window).
        long_store, long_raw = new_session(True), new_session(False)
        for start in range(0, history, 1000):
            chunk = messages(min(1000, history - start))
            store.add_messages(long_store, chunk)
            raw_add_messages(cur, long_raw, chunk)
        got_store = store.get_messages(long_store, limit=20)
        got_raw = raw_recent(cur, long_raw, 20)
        if [m.content for m in got_store] != [m.content for m in got_raw] or len(got_store) != 20:
            notes.append("most recent 20: store and raw returned different messages")
        s, r = alternate(
            lambda: timed(lambda: store.get_messages(long_store, limit=20), reads),
            lambda: timed(lambda: raw_recent(cur, long_raw, 20), reads),
            repeat,
        )
        results.append(Result(f"most recent 20 of {history:,} messages", "per call", s, r, 1.5))

        # 4. Loading a 1,000-message history, and listing sessions (DESIGN §8; no target yet).
        mid_store, mid_raw = new_session(True), new_session(False)
        chunk = messages(1000)
        store.add_messages(mid_store, chunk)
        raw_add_messages(cur, mid_raw, chunk)
        s, r = alternate(
            lambda: timed(lambda: store.get_messages(mid_store), max(1, reads // 20)),
            lambda: timed(lambda: raw_history(cur, mid_raw), max(1, reads // 20)),
            repeat,
        )
        results.append(Result("load a 1,000-message history", "per call", s, r, None))
        for _ in range(1000):
            new_session(True)
            new_session(False)
        s, r = alternate(
            lambda: timed(lambda: store.list_sessions(limit=100), max(1, reads // 10)),
            lambda: timed(lambda: raw_list_sessions(cur, 100), max(1, reads // 10)),
            repeat,
        )
        results.append(Result("list 100 of 1,000+ sessions", "per call", s, r, None))

        store.close()
        raw.close()
    return results, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_conversation_args(parser, appends=1000, reads=500)
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat, args.appends, args.reads = 3, 200, 100
    try:
        results, notes = run(args.repeat, args.appends, args.history, args.batch, args.reads)
    except ImportError as exc:
        # Exit 0 always: benchmarks report, they do not gate.
        print(f"bench_sqlite: SQLiteConversationStore is not importable ({exc}); nothing measured.")
        return 0
    if args.json:
        doc = results_doc(
            "sqlite",
            results,
            notes,
            sqlite=sqlite3.sqlite_version,
            machine=platform.platform(),
            repeat=args.repeat,
        )
        print(json.dumps(doc, indent=2))
    else:
        print(f"SQLite {sqlite3.sqlite_version}, Python {python_version()}, medians of {args.repeat} runs")
        print_table(results, notes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
