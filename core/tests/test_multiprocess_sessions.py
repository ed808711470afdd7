"""Real processes writing one session at once (DESIGN §5), and a writer killed with SIGKILL.

* 8 processes x 4 threads append to one session on SQLite, the JSON session stores, PostgreSQL
  and MariaDB: every message is stored exactly once, separate reader processes see one and the
  same order, and each writer's messages keep the order it wrote them.
* A writer process is SIGKILLed while appending: every message it reported as acknowledged is
  there, the store reads fine and takes new appends.

Workers run with the ``spawn`` start method, so nothing is inherited from the test process.
"""

from __future__ import annotations

import importlib
import json
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pytest

from praisonai_persist_testkit.servers import mysql_database, postgres_schema

PROCESSES = 8
THREADS = 4
PER_THREAD = 8
SESSION = "shared/session"  # a '/' in the id: the JSON stores must not treat it as a path
PARENT = "parent-session"
POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
MYSQL_SERVER = "mysql://root@127.0.0.1:3306"
CTX = multiprocessing.get_context("spawn")


# -- one small adapter per store: append one tagged message, read every tag in stored order --


class Target:
    """Opens the store named by ``kind`` at ``where`` (a path, or a JSON dict of store options)."""

    def __init__(self, kind: str, where: str) -> None:
        self.kind = kind
        if kind == "sessions":
            from praisonai_persist.sessions import DefaultSessionStore

            self.store: Any = DefaultSessionStore(where, lock_timeout=60)
        elif kind == "hierarchical":
            from praisonai_persist.sessions import HierarchicalSessionStore

            self.store = HierarchicalSessionStore(where, lock_timeout=60)
        elif kind == "sqlite":
            from praisonai_persist.backends.sqlite import SQLiteConversationStore

            self.store = SQLiteConversationStore(path=where)
        else:
            from praisonai_persist import create_conversation_store

            options = json.loads(where)
            self.store = create_conversation_store(kind, **options)

    def setup(self) -> None:
        if self.kind == "sessions":
            self.store.update_session_metadata(SESSION, purpose="concurrency test")
        elif self.kind == "hierarchical":
            self.store.create_session(PARENT, title="parent")
            self.store.create_session(SESSION, title="child", parent_id=PARENT)
        else:
            from praisonai_persist.models import ConversationSession

            self.store.create_session(ConversationSession(session_id=SESSION))

    def append(self, tag: str) -> None:
        if self.kind in ("sessions", "hierarchical"):
            assert self.store.add_message(SESSION, "user", tag) is True
        else:
            from praisonai_persist.models import ConversationMessage

            self.store.add_message(SESSION, ConversationMessage(role="user", content=tag))

    def read(self) -> list[str]:
        if self.kind in ("sessions", "hierarchical"):
            return [m["content"] for m in self.store.get_chat_history(SESSION)]
        return [m.content for m in self.store.get_messages(SESSION)]

    def close(self) -> None:
        close = getattr(self.store, "close", None)
        if close is not None:
            close()


def append_worker(kind: str, where: str, proc: int, start: Any) -> None:
    """One process: THREADS threads sharing one store, each appending PER_THREAD tagged messages."""
    target = Target(kind, where)
    errors: list[BaseException] = []

    def run(thread: int) -> None:
        try:
            for i in range(PER_THREAD):
                target.append(f"p{proc}-t{thread}-{i:03d}")
        except BaseException as exc:  # reported to the parent through the exit code
            errors.append(exc)

    start.wait(60)
    threads = [threading.Thread(target=run, args=(t,)) for t in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    target.close()
    if errors:
        raise errors[0]


def read_worker(kind: str, where: str, out: str) -> None:
    """A separate reader process: writes the tags it reads, in order, to ``out``."""
    target = Target(kind, where)
    Path(out).write_text(json.dumps(target.read()))
    target.close()


def kill_worker(kind: str, where: str, conn: Connection, round_no: int) -> None:
    """Append forever from 3 threads, sending each tag once its append has returned."""
    target = Target(kind, where)
    send_lock = threading.Lock()
    payload = "x" * 20_000  # big lines make a kill during the write more likely

    def run(thread: int) -> None:
        i = 0
        while True:
            tag = f"k{round_no}-t{thread}-{i:05d}"
            target.append(tag + "|" + payload)
            with send_lock:
                conn.send(tag)
            i += 1

    for t in range(3):
        threading.Thread(target=run, args=(t,), daemon=True).start()
    time.sleep(600)


# -- where each kind keeps its data; each test gets its own and drops it --------------------


@pytest.fixture
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    kind: str = request.param
    if kind in ("sessions", "hierarchical"):
        yield str(tmp_path / "sessions")
    elif kind == "sqlite":
        yield str(tmp_path / "conversations.db")
    elif kind == "postgres":
        yield from _postgres_schema()
    elif kind == "mysql":
        yield from _mysql_database()
    else:  # pragma: no cover
        raise AssertionError(kind)


def _plugin_client(plugin: str, client: str) -> Any:
    """The plugin's client module; a missing plugin skips here but fails with CI=true (it runs here)."""
    try:
        importlib.import_module(f"praisonai_persist_{plugin}")
        return importlib.import_module(client)
    except ImportError as exc:
        reason = f"{plugin}: plugin not installed ({exc}); install plugins/{plugin}"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI=true: {reason}")
        pytest.skip(reason)


def _postgres_schema() -> Iterator[str]:
    _plugin_client("postgres", "psycopg")
    with postgres_schema(POSTGRES_URL, "mp") as schema:
        yield json.dumps({"url": POSTGRES_URL, "schema": schema})


def _mysql_database() -> Iterator[str]:
    _plugin_client("mysql", "pymysql")
    with mysql_database(f"{MYSQL_SERVER}/test", "mp") as database:
        yield json.dumps({"url": f"{MYSQL_SERVER}/{database}"})


def _read_in_processes(kind: str, where: str, tmp_path: Path, count: int = 2) -> list[list[str]]:
    outs = [str(tmp_path / f"read-{n}.json") for n in range(count)]
    procs = [CTX.Process(target=read_worker, args=(kind, where, out)) for out in outs]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * count
    return [json.loads(Path(out).read_text()) for out in outs]


ALL_KINDS = ["sqlite", "sessions", "hierarchical", "postgres", "mysql"]


@pytest.mark.timeout(300)
@pytest.mark.parametrize("location", ALL_KINDS, indirect=True, ids=ALL_KINDS)
def test_8_processes_x_4_threads_append_to_one_session(location: str, request: pytest.FixtureRequest) -> None:
    kind = request.node.callspec.params["location"]
    tmp_path: Path = request.getfixturevalue("tmp_path")
    setup = Target(kind, location)
    setup.setup()
    setup.close()

    start = CTX.Event()
    procs = [CTX.Process(target=append_worker, args=(kind, location, n, start)) for n in range(PROCESSES)]
    for proc in procs:
        proc.start()
    start.set()
    for proc in procs:
        proc.join(240)
    codes = [proc.exitcode for proc in procs]
    for proc in procs:
        if proc.is_alive():
            proc.kill()
    assert codes == [0] * PROCESSES, f"worker exit codes {codes}"

    reader = Target(kind, location)
    try:
        contents = reader.read()
        expected = {f"p{p}-t{t}-{i:03d}" for p in range(PROCESSES) for t in range(THREADS) for i in range(PER_THREAD)}
        assert len(contents) == len(expected), "a message was lost or duplicated"
        assert set(contents) == expected
        # Every reader, in this process and in others, sees the same order.
        assert reader.read() == contents
        assert all(seen == contents for seen in _read_in_processes(kind, location, tmp_path))
        for p in range(PROCESSES):
            for t in range(THREADS):
                mine = [c for c in contents if c.startswith(f"p{p}-t{t}-")]
                assert mine == sorted(mine), f"writer p{p}-t{t} lost its order"
        if kind == "hierarchical":
            assert reader.store.get_children(PARENT) == [SESSION]
            assert reader.store.get_parent(SESSION) == PARENT
    finally:
        reader.close()


KILL_KINDS = ["sqlite", "sessions", "hierarchical"]


@pytest.mark.timeout(180)
@pytest.mark.parametrize("location", KILL_KINDS, indirect=True, ids=KILL_KINDS)
def test_sigkill_mid_append_keeps_every_acknowledged_message(location: str, request: pytest.FixtureRequest) -> None:
    kind = request.node.callspec.params["location"]
    setup = Target(kind, location)
    setup.setup()
    setup.close()

    acked: list[str] = []
    for round_no in range(3):  # each round kills a writer; the next starts on what it left
        acked += _append_until_killed(kind, location, round_no, wait_for=40 + 25 * round_no)

    after = Target(kind, location)
    try:
        stored = [c.split("|", 1)[0] for c in after.read()]
        assert len(stored) == len(set(stored)), "a message was stored twice"
        missing = set(acked) - set(stored)
        assert not missing, f"acknowledged messages lost after SIGKILL: {sorted(missing)[:5]}"
        for prefix in {tag.rsplit("-", 1)[0] for tag in stored}:
            mine = [c for c in stored if c.startswith(prefix + "-")]
            assert mine == sorted(mine), f"writer {prefix} lost its order"
        # The store still takes appends, and they land after everything else.
        after.append("after-the-crash")
        assert after.read()[-1] == "after-the-crash"
        assert [c.split("|", 1)[0] for c in after.read()[:-1]] == stored
    finally:
        after.close()


def _append_until_killed(kind: str, location: str, round_no: int, wait_for: int) -> list[str]:
    """Run a writer until it acknowledged ``wait_for`` appends, SIGKILL it; return every acked tag."""
    receiver, sender = CTX.Pipe(duplex=False)
    proc = CTX.Process(target=kill_worker, args=(kind, location, sender, round_no))
    proc.start()
    sender.close()
    acked: list[str] = []
    deadline = time.monotonic() + 90
    while len(acked) < wait_for and time.monotonic() < deadline:
        if receiver.poll(1):
            acked.append(receiver.recv())
    assert proc.pid is not None
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(30)
    assert proc.exitcode == -signal.SIGKILL
    while True:  # tags sent before the kill are acknowledged too
        try:
            acked.append(receiver.recv())
        except EOFError:
            break
    receiver.close()
    assert len(acked) >= wait_for, "the writer did not get going"
    return acked
