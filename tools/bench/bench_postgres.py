#!/usr/bin/env python3
"""PostgresConversationStore against hand-written psycopg 3 code doing the same work, in one run.

The raw side is what a careful psycopg user writes: one connection, prepared statements
(``prepare=True``), a transaction per append (bump the session, insert the message), and
``executemany`` (which psycopg runs in pipeline mode) for batches. Both sides use their own
schema on the same server, with the same tables and indexes (both made by the store); the
schemas are dropped at the end. Repetitions alternate store and raw; the table shows medians.
"""

# ruff: noqa: S608  -- the only interpolated names are the schemas this script generates

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from collections.abc import Sequence
from typing import Any

from harness import Result, add_conversation_args, alternate, messages, print_table, python_version, results_doc, timed

from praisonai_persist.models import ConversationMessage, ConversationSession

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"
COLS = "id, session_id, role, content, tool_calls, tool_call_id, metadata, created_at"


class Raw:
    """The hand-written psycopg client (one connection, prepared statements)."""

    def __init__(self, url: str, schema: str) -> None:
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)
        self.cur = self.conn.cursor()
        s, m = f'"{schema}"."praison_sessions"', f'"{schema}"."praison_messages"'
        self.touch = (
            f"UPDATE {s} SET updated_at = CASE WHEN updated_at IS NULL OR updated_at < %s THEN %s "
            "ELSE updated_at + 0.000001 END WHERE session_id = %s"
        )
        self.insert = f"INSERT INTO {m} ({COLS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING"
        self.newest = f"SELECT {COLS} FROM {m} WHERE session_id = %s ORDER BY created_at DESC, seq DESC LIMIT %s"
        self.all = f"SELECT {COLS} FROM {m} WHERE session_id = %s ORDER BY created_at ASC, seq ASC"
        self.new_session = (
            f"INSERT INTO {s} (session_id, user_id, agent_id, name, state, metadata, created_at, updated_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
        )
        self.sessions = (
            f"SELECT session_id, user_id, agent_id, name, state, metadata, created_at, updated_at FROM {s} "
            "ORDER BY updated_at DESC, session_id ASC LIMIT %s OFFSET %s"
        )

    def create_session(self, session: ConversationSession) -> None:
        self.cur.execute(
            self.new_session,
            (session.session_id, "bench", "bench", None, None, None, session.created_at, session.updated_at),
            prepare=True,
        )

    def add_message(self, session_id: str, m: ConversationMessage) -> None:
        now = time.time()
        with self.conn.transaction():
            self.cur.execute(self.touch, (now, now, session_id), prepare=True)
            if self.cur.rowcount == 0:
                raise LookupError(session_id)
            self.cur.execute(self.insert, _row(session_id, m), prepare=True)

    def add_messages(self, session_id: str, messages: Sequence[ConversationMessage]) -> None:
        rows = [_row(session_id, m) for m in messages]
        now = time.time()
        with self.conn.transaction():
            self.cur.execute(self.touch, (now, now, session_id), prepare=True)
            if self.cur.rowcount == 0:
                raise LookupError(session_id)
            self.cur.executemany(self.insert, rows)  # pipeline mode

    def recent(self, session_id: str, limit: int) -> list[ConversationMessage]:
        self.cur.execute(self.newest, (session_id, limit), prepare=True)
        out = [_message(r) for r in self.cur.fetchall()]
        out.reverse()
        return out

    def history(self, session_id: str) -> list[ConversationMessage]:
        self.cur.execute(self.all, (session_id,), prepare=True)
        return [_message(r) for r in self.cur.fetchall()]

    def list_sessions(self, limit: int) -> list[ConversationSession]:
        self.cur.execute(self.sessions, (limit, 0), prepare=True)
        return [ConversationSession(*r) for r in self.cur.fetchall()]


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


def _message(row: Sequence[Any]) -> ConversationMessage:
    # psycopg decodes JSONB itself.
    return ConversationMessage(row[0], row[1], row[2], row[3] or "", row[4], row[5], row[6], row[7])


def run(url: str, repeat: int, appends: int, history: int, batch: int, reads: int) -> tuple[list[Result], list[str]]:
    import psycopg

    from praisonai_persist_postgres import PostgresConversationStore

    tag = uuid.uuid4().hex[:8]
    store_schema, raw_schema = f"bench_{tag}_store", f"bench_{tag}_raw"
    store = PostgresConversationStore(url, schema=store_schema)
    PostgresConversationStore(url, schema=raw_schema).close()  # same tables and indexes for the raw side
    raw = Raw(url, raw_schema)
    results: list[Result] = []
    notes: list[str] = []
    try:

        def new_session(on_store: bool) -> str:
            session = ConversationSession(user_id="bench", agent_id="bench")
            if on_store:
                store.create_session(session)
            else:
                raw.create_session(session)
            return session.session_id

        # 1. Appending one message at a time.
        def store_append() -> float:
            sid, msgs = new_session(True), iter(messages(appends))
            return timed(lambda: store.add_message(sid, next(msgs)), appends)

        def raw_append() -> float:
            sid, msgs = new_session(False), iter(messages(appends))
            return timed(lambda: raw.add_message(sid, next(msgs)), appends)

        single_store, single_raw = alternate(store_append, raw_append, repeat)
        results.append(Result("append one message", "per message", single_store, single_raw, 1.25))

        # 2. Batches.
        groups_per_run = max(3, appends // batch // 2)

        def store_batch() -> float:
            sid = new_session(True)
            groups = iter([messages(batch) for _ in range(groups_per_run)])
            return timed(lambda: store.add_messages(sid, next(groups)), groups_per_run)

        def raw_batch() -> float:
            sid = new_session(False)
            groups = iter([messages(batch) for _ in range(groups_per_run)])
            return timed(lambda: raw.add_messages(sid, next(groups)), groups_per_run)

        s, r = alternate(store_batch, raw_batch, repeat)
        results.append(Result(f"add_messages of {batch} (raw: pipelined executemany)", "per batch", s, r, None))
        # Throughput of batches against single appends, both on the store (target: at least 5x).
        results.append(
            Result(f"store: batch of {batch} vs single appends", "per message", s / batch, single_store, 5.0, "ge")
        )

        # 3. The most recent 20 messages of a long session.
        long_store, long_raw = new_session(True), new_session(False)
        for start in range(0, history, 1000):
            chunk = messages(min(1000, history - start))
            store.add_messages(long_store, chunk)
            raw.add_messages(long_raw, chunk)
        got_store, got_raw = store.get_messages(long_store, limit=20), raw.recent(long_raw, 20)
        if [m.content for m in got_store] != [m.content for m in got_raw] or len(got_store) != 20:
            notes.append("most recent 20: store and raw returned different messages")
        s, r = alternate(
            lambda: timed(lambda: store.get_messages(long_store, limit=20), reads),
            lambda: timed(lambda: raw.recent(long_raw, 20), reads),
            repeat,
        )
        results.append(Result(f"most recent 20 of {history:,} messages", "per call", s, r, 1.5))

        # 4. A 1,000-message history and a session listing (reported, no target).
        mid_store, mid_raw = new_session(True), new_session(False)
        chunk = messages(1000)
        store.add_messages(mid_store, chunk)
        raw.add_messages(mid_raw, chunk)
        s, r = alternate(
            lambda: timed(lambda: store.get_messages(mid_store), max(1, reads // 20)),
            lambda: timed(lambda: raw.history(mid_raw), max(1, reads // 20)),
            repeat,
        )
        results.append(Result("load a 1,000-message history", "per call", s, r, None))
        for _ in range(300):
            new_session(True)
            new_session(False)
        s, r = alternate(
            lambda: timed(lambda: store.list_sessions(limit=100), max(1, reads // 10)),
            lambda: timed(lambda: raw.list_sessions(100), max(1, reads // 10)),
            repeat,
        )
        results.append(Result("list 100 sessions", "per call", s, r, None))
    finally:
        store.close()
        raw.conn.close()
        with psycopg.connect(url, autocommit=True) as conn:
            for schema in (store_schema, raw_schema):
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    return results, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=DEFAULT_URL, help=f"PostgreSQL to measure on (default {DEFAULT_URL})")
    add_conversation_args(parser, appends=1000, reads=500)
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat, args.appends, args.reads = 3, 200, 100
    try:
        results, notes = run(args.url, args.repeat, args.appends, args.history, args.batch, args.reads)
    except ImportError as exc:
        print(f"bench_postgres: praisonai-persist-postgres is not importable ({exc}); nothing measured.")
        return 0
    except Exception as exc:  # benchmarks report, they do not gate
        from praisonai_persist.urls import redact

        print(f"bench_postgres: could not run against the server: {redact(str(exc), args.url)}")
        return 0
    import psycopg

    if args.json:
        doc = results_doc(
            "postgres",
            results,
            notes,
            psycopg=psycopg.__version__,
            repeat=args.repeat,
        )
        print(json.dumps(doc, indent=2))
    else:
        print(f"psycopg {psycopg.__version__}, Python {python_version()}, medians of {args.repeat} runs")
        print_table(results, notes, width=48)
    return 0


if __name__ == "__main__":
    sys.exit(main())
