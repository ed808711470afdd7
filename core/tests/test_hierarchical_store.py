"""HierarchicalSessionStore: parents and children, forks, snapshots, revert, crash repair."""

from __future__ import annotations

import json
import multiprocessing
import threading
from pathlib import Path

import pytest

from praisonai_persist.errors import SessionExistsError, SessionNotFoundError
from praisonai_persist.sessions import (
    DefaultSessionStore,
    ExtendedSessionData,
    HierarchicalSessionStore,
    SessionSnapshot,
)
from praisonai_persist.sessions.files import file_stem


@pytest.fixture
def store(tmp_path: Path) -> HierarchicalSessionStore:
    return HierarchicalSessionStore(session_dir=str(tmp_path / "sessions"))


def _contents(store: DefaultSessionStore, sid: str) -> list[str]:
    return [m["content"] for m in store.get_chat_history(sid)]


def _meta(store: DefaultSessionStore, sid: str) -> Path:
    return Path(store.session_dir) / f"{file_stem(sid)}.meta.json"


def test_create_child_sessions(store: HierarchicalSessionStore) -> None:
    root = store.create_session(title="Main", agent_name="Bot", metadata={"k": 1})
    child = store.create_session("child/1", title="Sub", parent_id=root)
    assert store.get_children(root) == [child]
    assert store.get_parent(child) == root and store.get_parent(root) is None
    session = store.get_session(root)
    assert isinstance(session, ExtendedSessionData)
    assert (session.title, session.agent_name, session.metadata) == ("Main", "Bot", {"k": 1})
    with pytest.raises(SessionExistsError):
        store.create_session(child)
    with pytest.raises(SessionNotFoundError):
        store.create_session("orphan", parent_id="missing")
    assert not store.session_exists("orphan")
    with pytest.raises(ValueError, match="own parent"):
        store.create_session("x", parent_id="x")


def test_fork_copies_history_up_to_the_index(store: HierarchicalSessionStore) -> None:
    root = store.create_session(title="Main")
    for i in range(4):
        store.add_message(root, "user" if i % 2 == 0 else "assistant", f"m{i}")
    whole = store.fork_session(root)
    part = store.fork_session(root, from_message_index=1, title="Branch")
    assert _contents(store, whole) == ["m0", "m1", "m2", "m3"]
    assert _contents(store, part) == ["m0", "m1"]
    forked = store.get_session(part)
    assert (forked.parent_id, forked.forked_from_message_id, forked.title) == (root, "1", "Branch")
    assert store.get_session(whole).title == "Fork of Main"
    assert store.get_children(root) == [whole, part]
    store.add_message(part, "user", "only in the fork")
    assert _contents(store, root) == ["m0", "m1", "m2", "m3"]
    for bad in (-1, 4, True):
        with pytest.raises(ValueError, match="Invalid message index"):
            store.fork_session(root, from_message_index=bad)
    with pytest.raises(SessionNotFoundError):
        store.fork_session("missing")
    assert store.get_children(root) == [whole, part]  # failed forks left nothing behind


def test_session_tree(store: HierarchicalSessionStore) -> None:
    root = store.create_session("root", title="R")
    store.add_message(root, "user", "hi")
    a = store.create_session("a", parent_id=root)
    b = store.fork_session(root, title="B")
    aa = store.create_session("aa", parent_id=a)
    tree = store.get_session_tree(root)
    assert tree["session_id"] == root and tree["title"] == "R" and tree["message_count"] == 1
    assert [c["session_id"] for c in tree["children"]] == [a, b]
    assert tree["children"][0]["children"][0] == {"session_id": aa, "title": None, "message_count": 0, "children": []}
    assert tree["children"][1]["message_count"] == 1


def test_a_cycle_in_the_tree_is_reported(store: HierarchicalSessionStore) -> None:
    store.create_session("a")
    store.create_session("b", parent_id="a")
    meta = _meta(store, "b")
    record = json.loads(meta.read_text())
    record["children_ids"] = ["a"]
    meta.write_text(json.dumps(record))
    with pytest.raises(ValueError, match="Cycle"):
        store.get_session_tree("a")


def test_snapshots_survive_clear_and_revert(store: HierarchicalSessionStore) -> None:
    sid = store.create_session("s")
    store.add_message(sid, "user", "one")
    store.add_message(sid, "assistant", "two")
    snap = store.create_snapshot(sid, label="before", metadata={"why": "test"})
    empty = store.create_snapshot("s")
    store.add_message(sid, "user", "three")
    snapshots = store.get_snapshots(sid)
    assert [type(s) for s in snapshots] == [SessionSnapshot, SessionSnapshot]
    assert (snapshots[0].id, snapshots[0].label, snapshots[0].message_index) == (snap, "before", 1)
    assert snapshots[0].metadata == {"why": "test"} and snapshots[1].id == empty
    store.clear_session(sid)
    assert store.revert_to_snapshot(sid, snap) is True
    assert _contents(store, sid) == ["one", "two"]
    assert store.revert_to_snapshot(sid, "no-such-snapshot") is False
    assert store.revert_to_snapshot("no-such-session", snap) is False
    assert store.revert_to_message(sid, 0) is True
    assert _contents(store, sid) == ["one"]
    assert store.revert_to_message(sid, 5) is False
    assert store.revert_to_snapshot(sid, snap) is True  # a snapshot can be used again
    assert _contents(store, sid) == ["one", "two"]
    with pytest.raises(SessionNotFoundError):
        store.create_snapshot("missing")
    store.delete_session(sid)
    assert [p for p in Path(store.session_dir).iterdir() if not p.name.endswith(".lock")] == []


def test_a_child_listed_but_never_written_is_left_out(store: HierarchicalSessionStore) -> None:
    """A crash between listing a child in its parent and writing the child leaves a dangling id."""
    store.create_session("p")
    real = store.fork_session("p")
    meta = _meta(store, "p")
    record = json.loads(meta.read_text())
    record["children_ids"].append("never-written")
    meta.write_text(json.dumps(record))
    assert store.get_children("p") == [real]
    assert [c["session_id"] for c in store.get_session_tree("p")["children"]] == [real]
    again = store.create_session("c2", parent_id="p")
    assert json.loads(meta.read_text())["children_ids"] == [real, again]  # repaired on the next write


def test_a_deleted_child_leaves_the_children_list(store: HierarchicalSessionStore) -> None:
    store.create_session("p")
    kept, gone = store.fork_session("p"), store.fork_session("p")
    store.delete_session(gone)
    assert store.get_children("p") == [kept]


def test_flags_title_and_the_default_store_keeps_hierarchy_fields(store: HierarchicalSessionStore) -> None:
    store.create_session("p", title="old")
    child = store.fork_session("p")
    assert store.set_title("p", "new") and store.share_session("p")
    assert store.is_shared("p") and store.get_session("p").title == "new"
    assert store.unshare_session("p") and not store.is_shared("p")
    plain = DefaultSessionStore(store.session_dir)
    plain.update_session_metadata("p", model="m")
    plain.add_message("p", "user", "via the default store")
    assert store.get_children("p") == [child] and store.get_session("p").title == "new"
    assert _contents(store, "p") == ["via the default store"]
    assert {s["session_id"]: s["parent_id"] for s in plain.list_sessions()} == {"p": None, child: "p"}


def test_export_and_import(store: HierarchicalSessionStore) -> None:
    store.create_session("p", title="T", metadata={"a": 1})
    store.add_message("p", "user", "hello", tool_calls=[{"id": "c"}])
    data = store.export_session("p")
    json.dumps(data)
    new = store.import_session(data, new_session_id="copy")
    assert new == "copy"
    assert store.get_chat_history("copy") == store.get_chat_history("p")
    assert store.get_session("copy").title == "T" and store.get_parent("copy") is None
    with pytest.raises(SessionExistsError):
        store.import_session(data, new_session_id="copy")


def _fork_worker(directory: str, parent: str, count: int) -> None:
    store = HierarchicalSessionStore(directory, lock_timeout=60)
    threads = [threading.Thread(target=lambda: [store.fork_session(parent) for _ in range(count)]) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


@pytest.mark.timeout(120)
def test_forks_from_several_processes_all_reach_the_parent(store: HierarchicalSessionStore) -> None:
    store.create_session("p")
    store.add_message("p", "user", "base")
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_fork_worker, args=(store.session_dir, "p", 5)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(90)
    assert [p.exitcode for p in procs] == [0] * 4
    children = store.get_children("p")
    assert len(children) == len(set(children)) == 40
    assert all(store.get_parent(c) == "p" and _contents(store, c) == ["base"] for c in children)
