#!/usr/bin/env python3
"""PersistenceOrchestrator against calling the store it wraps directly, in one run.

What the facade costs on top of the store: per-message append (sync store, async store from
async code, async store from sync code through the bridge), resume of a 1,000-message session,
and ``build_context`` (most recent 20) against ``get_messages(limit=20)``. Each row
times the orchestrator, then the store; the table shows medians per operation and the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from harness import atimed, median_of, timed

from praisonai_persist import ConversationMessage, ConversationSession, PersistenceOrchestrator, run_sync
from praisonai_persist.backends.async_sqlite import AsyncSQLiteConversationStore
from praisonai_persist.backends.sqlite import SQLiteConversationStore


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer operations and repetitions")
    args = parser.parse_args()
    n, reps, history = (100, 3, 300) if args.quick else (500, 7, 1000)
    rows: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp)
        store = SQLiteConversationStore(path=path / "sync.db")
        orch = PersistenceOrchestrator(conversation_store=store)
        store.create_session(ConversationSession(session_id="raw"))
        orch.on_agent_start(None, "orch")
        rows.append(
            (
                "append, sync store",
                median_of(lambda: timed(lambda: orch.on_message("orch", "user", "hello"), n), reps),
                median_of(
                    lambda: timed(
                        lambda: store.add_message("raw", ConversationMessage(role="user", content="hello")), n
                    ),
                    reps,
                ),
            )
        )
        store.create_session(ConversationSession(session_id="big"))
        store.add_messages("big", [ConversationMessage(role="user", content=f"m{i}") for i in range(history)])
        rows.append(
            (
                f"resume {history} messages",
                median_of(lambda: timed(lambda: orch.on_agent_start(None, "big"), 20), reps),
                median_of(lambda: timed(lambda: store.get_messages("big"), 20), reps),
            )
        )
        rows.append(
            (
                "build_context(20) vs get_messages(limit=20)",
                median_of(lambda: timed(lambda: orch.build_context("big", history_limit=20), n), reps),
                median_of(lambda: timed(lambda: store.get_messages("big", limit=20), n), reps),
            )
        )
        orch.close()

        astore = AsyncSQLiteConversationStore(path=path / "async.db")
        aorch = PersistenceOrchestrator(conversation_store=astore)
        run_sync(astore.create_session(ConversationSession(session_id="raw")))
        aorch.on_agent_start(None, "orch")
        rows.append(
            (
                "append, async store, sync caller",
                median_of(lambda: timed(lambda: aorch.on_message("orch", "user", "hello"), n), reps),
                median_of(
                    lambda: timed(
                        lambda: run_sync(astore.add_message("raw", ConversationMessage(role="user", content="x"))), n
                    ),
                    reps,
                ),
            )
        )
        aorch.close()
        astore2 = AsyncSQLiteConversationStore(path=path / "async2.db")
        aorch2 = PersistenceOrchestrator(conversation_store=astore2)

        async def setup() -> None:
            await astore2.create_session(ConversationSession(session_id="raw"))
            await aorch2.aon_agent_start(None, "orch")

        asyncio.run(setup())
        rows.append(
            (
                "append, async store, async caller",
                median_of(lambda: atimed(lambda: aorch2.aon_message("orch", "user", "hello"), n), reps),
                median_of(
                    lambda: atimed(
                        lambda: astore2.add_message("raw", ConversationMessage(role="user", content="x")), n
                    ),
                    reps,
                ),
            )
        )
        run_sync(astore2.close())

    print(f"{'operation':45} {'orchestrator':>14} {'store':>12} {'ratio':>7}")
    for name, ours, raw in rows:
        print(f"{name:45} {ours * 1e6:>11.1f} us {raw * 1e6:>9.1f} us {ours / raw:>7.2f}")


if __name__ == "__main__":
    main()
