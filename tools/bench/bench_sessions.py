#!/usr/bin/env python3
"""DefaultSessionStore against hand-written file code doing the same work, in one run.

The raw side does what careful code would do by hand on the same layout: ``fcntl.flock`` on a
lock file, one ``write`` of a JSON line to an ``O_APPEND`` log, ``fsync``; reads parse the log
under the lock. The core ``json`` conversation store, which rewrites a session's whole file per
append, is shown for reference on the same history length. Repetitions alternate; medians shown.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import tempfile
import time
from collections.abc import Callable

from harness import median_time, python_version

from praisonai_persist.backends.json_store import JSONConversationStore
from praisonai_persist.models import ConversationMessage, ConversationSession
from praisonai_persist.sessions import DefaultSessionStore, HierarchicalSessionStore


def _median_ms(fn: Callable[[], object], runs: int) -> float:
    return median_time(fn, runs) * 1000


class RawLog:
    """The hand-written baseline: flock + O_APPEND line + fsync; parse every line to read."""

    def __init__(self, directory: str) -> None:
        self.log = os.path.join(directory, "raw.jsonl")
        self.lock = os.path.join(directory, "raw.lock")

    def append(self, role: str, content: str) -> None:
        line = json.dumps({"role": role, "content": content, "timestamp": time.time(), "metadata": {}}) + "\n"
        with open(self.lock, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            fd = os.open(self.log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            try:
                os.write(fd, line.encode())
                os.fsync(fd)
            finally:
                os.close(fd)

    def history(self) -> list[dict[str, str]]:
        with open(self.lock, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            with open(self.log, "rb") as fh:
                return [{"role": r["role"], "content": r["content"]} for r in map(json.loads, fh)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    parser.add_argument("--history", type=int, default=1000, help="messages already in the session")
    args = parser.parse_args()
    runs = 15 if args.quick else 101
    history = 100 if args.quick else args.history

    rows: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = DefaultSessionStore(os.path.join(tmp, "store"))
        raw_dir = os.path.join(tmp, "raw")
        os.makedirs(raw_dir)
        raw = RawLog(raw_dir)
        json_store = JSONConversationStore(path=os.path.join(tmp, "json"))
        json_store.create_session(ConversationSession(session_id="s"))
        text = "a message of ordinary length, about a sentence or two of chat " * 3
        for i in range(history):
            store.add_message("s", "user", f"{i} {text}")
            raw.append("user", f"{i} {text}")
        json_store.add_messages("s", [ConversationMessage(role="user", content=f"{i} {text}") for i in range(history)])

        append_store = _median_ms(lambda: store.add_message("s", "user", text), runs)
        append_raw = _median_ms(lambda: raw.append("user", text), runs)
        append_json = _median_ms(
            lambda: json_store.add_message("s", ConversationMessage(role="user", content=text)), runs
        )
        rows.append((f"append 1 message ({history}+ in the session)", append_store, append_raw))
        load_store = _median_ms(lambda: store.get_chat_history("s"), runs)
        load_raw = _median_ms(raw.history, runs)
        rows.append((f"load the whole history ({history}+ messages)", load_store, load_raw))

        hier = HierarchicalSessionStore(os.path.join(tmp, "tree"))
        hier.create_session("root")
        for i in range(50):
            hier.add_message("root", "user", f"{i} {text}")
        fork = _median_ms(lambda: hier.fork_session("root"), max(runs // 5, 5))
        for i in range(100):
            store.add_message(f"other-{i}", "user", text)
        listing = _median_ms(lambda: store.list_sessions(limit=50), max(runs // 5, 5))

    print(f"python {python_version()}, {runs} runs, medians in ms")
    print(f"{'measure':<48} {'store':>9} {'raw':>9} {'ratio':>7}")
    for name, mine, base in rows:
        print(f"{name:<48} {mine:>9.3f} {base:>9.3f} {mine / base:>7.2f}")
    print(
        f"{'core json store append (rewrites the file)':<48} {append_json:>9.3f} {'':>9} {append_json / append_store:>6.1f}x store"
    )
    print(f"{'fork a 50-message session (hierarchical)':<48} {fork:>9.3f}")
    print(f"{'list_sessions(limit=50) of 101 sessions':<48} {listing:>9.3f}")


if __name__ == "__main__":
    main()
