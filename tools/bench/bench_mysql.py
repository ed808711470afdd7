#!/usr/bin/env python3
"""MySQLConversationStore against hand-written PyMySQL code doing the same work, in one run.

Both sides talk to the same MariaDB/MySQL server, each in a database of its own that the store
created (same tables and indexes), and run the same statements: a transaction per appended
message (bump the session, insert the message), ``executemany`` for batches, and the same
"most recent N" query. Repetitions alternate store and raw; the table shows medians. The raw
side keeps one connection with PyMySQL's defaults (autocommit off, so no explicit BEGIN), the
store its pool. The databases are dropped at the end.

    python tools/bench/bench_mysql.py [--quick] [--url mysql://root@127.0.0.1:3306/test]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from harness import Result, add_conversation_args, alternate, messages, print_table, python_version, results_doc, timed

from praisonai_persist.models import ConversationMessage, ConversationSession

PREFIX = "praison_"
# The store's statements for table prefix "praison_", written out as a hand-written client would.
TOUCH_SESSION = (
    "UPDATE `praison_sessions` SET updated_at = CASE WHEN updated_at IS NULL OR updated_at < %s THEN %s "
    "ELSE updated_at + 0.000001 END WHERE session_id = %s"
)
INSERT_MESSAGE = (
    "INSERT INTO `praison_messages` (id, session_id, role, content, tool_calls, tool_call_id, metadata, created_at) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON DUPLICATE KEY UPDATE id = id"
)
SELECT_NEWEST = (
    "SELECT id, session_id, role, content, tool_calls, tool_call_id, metadata, created_at FROM `praison_messages` "
    "WHERE session_id = %s ORDER BY created_at DESC, seq DESC LIMIT %s"
)
INSERT_SESSION = (
    "INSERT INTO `praison_sessions` (session_id, user_id, agent_id, name, state, metadata, created_at, updated_at) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
)


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


def raw_append(conn: Any, session_id: str, rows: list[tuple[Any, ...]]) -> None:
    """What a careful PyMySQL client does: bump + insert in one transaction, commit."""
    now = time.time()
    cur = conn.cursor()
    try:
        if cur.execute(TOUCH_SESSION, (now, now, session_id)) == 0:
            raise LookupError(session_id)
        if len(rows) == 1:
            cur.execute(INSERT_MESSAGE, rows[0])
        else:
            cur.executemany(INSERT_MESSAGE, rows)
        conn.commit()
    except BaseException:
        conn.rollback()
        raise


def raw_recent(conn: Any, session_id: str, limit: int) -> list[ConversationMessage]:
    """The most recent ``limit`` messages, oldest first, as the same objects the store returns."""
    cur = conn.cursor()
    cur.execute(SELECT_NEWEST, (session_id, limit))
    out = [
        ConversationMessage(
            r[0],
            r[1],
            r[2],
            r[3] or "",
            None if r[4] is None else json.loads(r[4]),
            r[5],
            None if r[6] is None else json.loads(r[6]),
            r[7],
        )
        for r in cur.fetchall()
    ]
    out.reverse()
    return out


def check_statements(store: Any) -> list[str]:
    """Differences between the raw side's SQL and the store's own statements (empty: identical)."""
    sql = store._sql
    problems = []
    for attr, raw in (("touch_session", TOUCH_SESSION), ("insert_message", INSERT_MESSAGE)):
        if getattr(sql, attr) != raw:
            problems.append(f"{attr}: store runs {getattr(sql, attr)!r}, raw runs {raw!r}")
    newest = sql.get_messages[(False, False, 1)]
    if newest != SELECT_NEWEST:
        problems.append(f"most recent N: store runs {newest!r}, raw runs {SELECT_NEWEST!r}")
    return problems


def run(url: str, repeat: int, appends: int, history: int, batch: int, reads: int) -> tuple[list[Result], list[str]]:
    import pymysql

    from praisonai_persist_mysql import MySQLConversationStore

    server = urlsplit(url)
    admin_kwargs: dict[str, Any] = {
        "host": server.hostname or "127.0.0.1",
        "port": server.port or 3306,
        "user": server.username or "root",
        "password": server.password or "",
        "charset": "utf8mb4",
    }
    admin = pymysql.connect(autocommit=True, **admin_kwargs)
    tag = uuid.uuid4().hex[:10]
    store_db, raw_db = f"bench_store_{tag}", f"bench_raw_{tag}"
    base_url = url.rsplit("/", 1)[0]
    results: list[Result] = []
    try:
        with admin.cursor() as cur:
            for db in (store_db, raw_db):
                cur.execute(f"CREATE DATABASE `{db}` CHARACTER SET utf8mb4")
        store = MySQLConversationStore(f"{base_url}/{store_db}", table_prefix=PREFIX)
        MySQLConversationStore(f"{base_url}/{raw_db}", table_prefix=PREFIX).close()  # same schema for raw
        raw = pymysql.connect(database=raw_db, **admin_kwargs)
        notes = check_statements(store)

        def new_session(on_store: bool) -> str:
            session = ConversationSession(user_id="bench", agent_id="bench")
            if on_store:
                store.create_session(session)
            else:
                with raw.cursor() as cur:
                    cur.execute(
                        INSERT_SESSION,
                        (
                            session.session_id,
                            "bench",
                            "bench",
                            None,
                            None,
                            None,
                            session.created_at,
                            session.updated_at,
                        ),
                    )
                raw.commit()
            return session.session_id

        # 1. Appending one message at a time: a transaction per message.
        def store_append() -> float:
            sid, msgs = new_session(True), iter(messages(appends))
            return timed(lambda: store.add_message(sid, next(msgs)), appends)

        def raw_append_one() -> float:
            sid, msgs = new_session(False), iter(messages(appends))
            return timed(lambda: raw_append(raw, sid, [_row(sid, next(msgs))]), appends)

        s, r = alternate(store_append, raw_append_one, repeat)
        results.append(Result("append one message", "per message", s, r, 1.25))

        # 2. Batch append in one transaction (raw: executemany).
        def store_batch() -> float:
            sid = new_session(True)
            groups = iter([messages(batch) for _ in range(10)])
            return timed(lambda: store.add_messages(sid, next(groups)), 10)

        def raw_batch() -> float:
            sid = new_session(False)
            groups = iter([messages(batch) for _ in range(10)])
            return timed(lambda: raw_append(raw, sid, [_row(sid, m) for m in next(groups)]), 10)

        s, r = alternate(store_batch, raw_batch, repeat)
        results.append(Result(f"add_messages of {batch} (raw: executemany)", "per batch", s, r, None))

        # 3. The most recent 20 messages of a long session (an agent's context window).
        long_store, long_raw = new_session(True), new_session(False)
        for start in range(0, history, 1000):
            chunk = messages(min(1000, history - start))
            store.add_messages(long_store, chunk)
            raw_append(raw, long_raw, [_row(long_raw, m) for m in chunk])
        got_store = store.get_messages(long_store, limit=20)
        got_raw = raw_recent(raw, long_raw, 20)
        if [m.content for m in got_store] != [m.content for m in got_raw] or len(got_store) != 20:
            notes.append("most recent 20: store and raw returned different messages")
        s, r = alternate(
            lambda: timed(lambda: store.get_messages(long_store, limit=20), reads),
            lambda: timed(lambda: raw_recent(raw, long_raw, 20), reads),
            repeat,
        )
        results.append(Result(f"most recent 20 of {history:,} messages", "per call", s, r, 1.5))
        store.close()
        raw.close()
    finally:
        with admin.cursor() as cur:
            for db in (store_db, raw_db):
                cur.execute(f"DROP DATABASE IF EXISTS `{db}`")
        admin.close()
    return results, notes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--url", default="mysql://root@127.0.0.1:3306/test", help="server to use (root can CREATE DATABASE)"
    )
    add_conversation_args(parser, appends=500, reads=300)
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat, args.appends, args.reads = 3, 100, 100
    try:
        results, notes = run(args.url, args.repeat, args.appends, args.history, args.batch, args.reads)
    except ImportError as exc:
        # Exit 0 always: benchmarks report, they do not gate.
        print(f"bench_mysql: praisonai-persist-mysql or PyMySQL is not importable ({exc}); nothing measured.")
        return 0
    if args.json:
        doc = results_doc(
            "mysql",
            results,
            notes,
            repeat=args.repeat,
        )
        print(json.dumps(doc, indent=2))
    else:
        print(
            f"MySQL/MariaDB at {urlsplit(args.url).hostname}, Python {python_version()}, medians of {args.repeat} runs"
        )
        print_table(results, notes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
