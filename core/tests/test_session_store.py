"""DefaultSessionStore: PraisonAI's API and shapes, safe file names, durable appends, corruption."""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path

import pytest

from praisonai_persist.errors import CorruptDataError, StoreConnectionError
from praisonai_persist.sessions import DefaultSessionStore, SessionData
from praisonai_persist.sessions.files import file_stem


@pytest.fixture
def store(tmp_path: Path) -> DefaultSessionStore:
    return DefaultSessionStore(session_dir=str(tmp_path / "sessions"))


def _files(store: DefaultSessionStore, session_id: str) -> tuple[Path, Path]:
    stem = Path(store.session_dir) / file_stem(session_id)
    return Path(f"{stem}.meta.json"), Path(f"{stem}.messages.jsonl")


def test_history_round_trip_and_llm_shape(store: DefaultSessionStore) -> None:
    calls = [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]
    assert store.add_user_message("s", "Hello 👋 مرحبا") is True
    assert store.add_message("s", "assistant", "", tool_calls=calls) is True
    assert store.add_message("s", "tool", "42", tool_call_id="c1", metadata={"k": [1, {"n": None}]}) is True
    assert store.add_assistant_message("s", "done") is True
    assert store.get_chat_history("s") == [
        {"role": "user", "content": "Hello 👋 مرحبا"},
        {"role": "assistant", "content": "", "tool_calls": calls},
        {"role": "tool", "content": "42", "tool_call_id": "c1"},
        {"role": "assistant", "content": "done"},
    ]
    session = store.get_session("s")
    assert isinstance(session, SessionData)
    assert session.messages[2].metadata == {"k": [1, {"n": None}]}
    assert [m.timestamp for m in session.messages] == sorted(m.timestamp for m in session.messages)


def test_max_messages_returns_the_tail_without_an_orphan_tool_result(tmp_path: Path) -> None:
    store = DefaultSessionStore(str(tmp_path), max_messages=2)
    store.add_message("s", "user", "q")
    store.add_message("s", "assistant", "", tool_calls=[{"id": "c"}])
    store.add_message("s", "tool", "r", tool_call_id="c")
    store.add_message("s", "assistant", "a")
    # The tail of 2 would start on a tool result whose call was cut off: it is skipped.
    assert [m["role"] for m in store.get_chat_history("s", max_messages=2)] == ["assistant"]
    assert len(store.get_chat_history("s", max_messages=3)) == 3
    assert len(store.get_session("s").messages) == 4  # nothing is dropped from disk


def test_a_second_store_sees_writes_at_once(tmp_path: Path) -> None:
    one, two = DefaultSessionStore(str(tmp_path)), DefaultSessionStore(str(tmp_path))
    one.add_message("s", "user", "first")
    assert two.get_chat_history("s") == [{"role": "user", "content": "first"}]
    two.add_message("s", "assistant", "second")
    assert [m["content"] for m in one.get_chat_history("s")] == ["first", "second"]


@pytest.mark.parametrize(
    "ids",
    [("a/b", "a_b"), ("A", "a"), ("../escape", "escape"), ("x" * 5000, "x" * 4999), ("CON", "con"), ("a b", "a\tb")],
)
def test_ids_never_collide_nor_escape_the_directory(tmp_path: Path, ids: tuple[str, str]) -> None:
    store = DefaultSessionStore(str(tmp_path / "sessions"))
    for n, sid in enumerate(ids):
        store.add_message(sid, "user", f"m{n}")
    for n, sid in enumerate(ids):
        assert store.get_chat_history(sid) == [{"role": "user", "content": f"m{n}"}]
        assert store.session_exists(sid)
    assert {s["session_id"] for s in store.list_sessions()} == set(ids)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sessions"]  # nothing outside session_dir
    assert all(len(name) < 200 for name in os.listdir(store.session_dir))


def test_missing_session_reads_empty_and_is_not_created(store: DefaultSessionStore) -> None:
    assert store.get_chat_history("nope") == []
    assert store.get_session("nope").messages == []
    assert not store.session_exists("nope")
    assert store.list_sessions() == []


def test_list_sessions_newest_first_with_counts(store: DefaultSessionStore) -> None:
    store.add_message("old", "user", "1")
    store.add_message("new", "user", "1")
    store.add_message("new", "user", "2")
    store.add_message("old", "user", "3")  # an append counts as an update
    listed = store.list_sessions()
    assert [s["session_id"] for s in listed] == ["old", "new"]
    assert [s["message_count"] for s in listed] == [2, 2]
    assert {"session_id", "id", "agent_name", "created_at", "updated_at", "message_count"} <= set(listed[0])
    assert store.list_sessions(limit=1)[0]["session_id"] == "old"


def test_metadata_agent_info_clear_set_and_delete(store: DefaultSessionStore) -> None:
    store.add_message("s", "user", "hi")
    assert store.update_session_metadata("s", model="gpt", agent_name="Bot", skipped=None) is True
    assert store.set_agent_info("s", user_id="u1") is True
    session = store.get_session("s")
    assert (session.metadata, session.agent_name, session.user_id) == (
        {"model": "gpt", "agent_name": "Bot"},
        "Bot",
        "u1",
    )
    assert store.set_chat_history("s", [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}])
    assert [m["content"] for m in store.get_chat_history("s")] == ["a", "b"]
    assert store.clear_session("s") is True
    assert store.get_chat_history("s") == [] and store.session_exists("s")
    assert store.get_session("s").metadata["model"] == "gpt"  # clearing keeps the session
    assert store.delete_session("s") is True
    assert not store.session_exists("s") and store.get_chat_history("s") == []
    assert [n for n in os.listdir(store.session_dir) if not n.endswith(".lock")] == []


def test_a_value_json_cannot_hold_fails_before_writing(store: DefaultSessionStore) -> None:
    store.add_message("s", "user", "ok")
    with pytest.raises(TypeError):
        store.add_message("s", "user", "bad", metadata={"x": object()})
    assert store.get_chat_history("s") == [{"role": "user", "content": "ok"}]


def test_default_directory_is_home_praisonai_sessions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    store = DefaultSessionStore()
    assert store.session_dir == str(tmp_path / ".praisonai" / "sessions")
    assert os.path.isdir(store.session_dir)


def test_torn_last_line_is_ignored_then_cut_before_the_next_append(
    store: DefaultSessionStore, caplog: pytest.LogCaptureFixture
) -> None:
    store.add_message("s", "user", "kept")
    _, log = _files(store, "s")
    with open(log, "ab") as fh:  # what a crash in the middle of an append leaves behind
        fh.write(b'{"role":"user","content":"half')
    with caplog.at_level(logging.WARNING, logger="praisonai_persist.sessions"):
        assert store.get_chat_history("s") == [{"role": "user", "content": "kept"}]
    assert "torn last line" in caplog.text
    store.add_message("s", "user", "next")
    assert [m["content"] for m in store.get_chat_history("s")] == ["kept", "next"]
    assert log.read_bytes().endswith(b"\n") and b"half" not in log.read_bytes()


def test_corrupt_metadata_is_moved_aside_and_reported(store: DefaultSessionStore) -> None:
    store.add_message("s", "user", "hi")
    meta, log = _files(store, "s")
    meta.write_text("{not json")
    with pytest.raises(CorruptDataError) as info:
        store.get_chat_history("s")
    assert str(meta) in str(info.value) and "moved aside" in str(info.value)
    aside = [n for n in os.listdir(store.session_dir) if ".corrupt-" in n]
    assert len(aside) == 2  # the metadata and its log, kept for inspection
    assert any(Path(store.session_dir, n).read_text() == "{not json" for n in aside)
    assert not meta.exists() and not log.exists()
    # Not silently reset: the error was raised; from now on the id starts empty.
    store.add_message("s", "user", "again")
    assert store.get_chat_history("s") == [{"role": "user", "content": "again"}]


def test_corrupt_line_inside_the_log_is_moved_aside_and_reported(store: DefaultSessionStore) -> None:
    store.add_message("s", "user", "one")
    _, log = _files(store, "s")
    with open(log, "ab") as fh:
        fh.write(b"garbage\n")
    store.add_message("s", "user", "two")
    with pytest.raises(CorruptDataError, match="Line 2"):
        store.get_session("s")
    assert any(".messages.jsonl.corrupt-" in n for n in os.listdir(store.session_dir))
    assert not store.session_exists("s")


def test_list_sessions_skips_and_quarantines_a_corrupt_session(
    store: DefaultSessionStore, caplog: pytest.LogCaptureFixture
) -> None:
    store.add_message("good", "user", "1")
    store.add_message("bad", "user", "1")
    meta, _ = _files(store, "bad")
    meta.write_bytes(b"\xff\xfe")
    with caplog.at_level(logging.ERROR, logger="praisonai_persist.sessions"):
        assert [s["session_id"] for s in store.list_sessions()] == ["good"]
    assert "corrupt" in caplog.text
    assert any(".corrupt-" in n for n in os.listdir(store.session_dir))


def test_metadata_of_another_session_is_detected(store: DefaultSessionStore) -> None:
    store.add_message("a", "user", "1")
    store.add_message("b", "user", "1")
    meta_a, _ = _files(store, "a")
    meta_b, _ = _files(store, "b")
    meta_a.write_text(meta_b.read_text())
    with pytest.raises(CorruptDataError):
        store.get_session("a")


def test_lock_timeout_is_a_clear_error(tmp_path: Path) -> None:
    from praisonai_persist.sessions.files import locked

    store = DefaultSessionStore(str(tmp_path), lock_timeout=0.2)
    lock_path = str(Path(store.session_dir) / (file_stem("s") + ".lock"))
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with locked([lock_path], 5):
            held.set()
            release.wait(5)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(5)
    try:
        with pytest.raises(StoreConnectionError, match="Could not lock"):
            store.add_message("s", "user", "x")
    finally:
        release.set()
        thread.join()
    assert store.add_message("s", "user", "x") is True


def test_threads_append_exactly_once_in_one_order(store: DefaultSessionStore) -> None:
    def run(t: int) -> None:
        for i in range(20):
            store.add_message("s", "user", f"t{t}-{i:02d}")

    threads = [threading.Thread(target=run, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    contents = [m["content"] for m in store.get_chat_history("s")]
    assert sorted(contents) == sorted(f"t{t}-{i:02d}" for t in range(6) for i in range(20))
    for t in range(6):
        mine = [c for c in contents if c.startswith(f"t{t}-")]
        assert mine == sorted(mine)


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="lock_timeout"):
        DefaultSessionStore(str(tmp_path), lock_timeout=0)
    with pytest.raises(ValueError, match="max_messages"):
        DefaultSessionStore(str(tmp_path), max_messages=-1)
    store = DefaultSessionStore(str(tmp_path))
    with pytest.raises(ValueError, match="non-empty"):
        store.add_message("", "user", "x")
    with pytest.raises(TypeError, match="session_id"):
        store.get_session(3)  # type: ignore[arg-type]


def test_on_disk_format_is_a_small_meta_file_and_an_append_only_log(store: DefaultSessionStore) -> None:
    for i in range(3):
        store.add_message("s", "user", f"m{i}")
    meta, log = _files(store, "s")
    record = json.loads(meta.read_text())
    assert record["session_id"] == "s" and "messages" not in record
    lines = log.read_bytes().splitlines()
    assert [json.loads(line)["content"] for line in lines] == ["m0", "m1", "m2"]
    before = log.read_bytes()
    store.add_message("s", "user", "m3")
    assert log.read_bytes().startswith(before)  # the append left the earlier history as it was


def _praisonai_file(directory: Path, name: str, session_id: str, **extra: object) -> Path:
    """A session file as PraisonAI's own JSON store writes it."""
    data = {
        "session_id": session_id,
        "messages": [
            {"role": "system", "content": "[Session Summary]\nold", "timestamp": 2.0, "metadata": {"compaction": True}},
            {"role": "user", "content": "recent", "timestamp": 3.0, "metadata": {}},
        ],
        "archived_messages": [{"role": "user", "content": "archived", "timestamp": 1.0, "metadata": {}}],
        "created_at": "2025-01-01T00:00:00+00:00",
        "updated_at": "2025-01-02T00:00:00+00:00",
        "agent_name": "Bot",
        "user_id": "u1",
        "metadata": {"model": "m"},
        **extra,
    }
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(json.dumps(data, indent=2))
    return path


def test_praisonai_session_files_are_converted_on_first_access(tmp_path: Path) -> None:
    directory = tmp_path / "sessions"
    legacy = _praisonai_file(directory, "a_b.json", "a/b", parent_id="p", title="T")
    store = DefaultSessionStore(str(directory))
    assert store.session_exists("a/b")
    assert not store.session_exists("a_b")  # PraisonAI's names are lossy: the stored id decides
    assert [m["content"] for m in store.get_chat_history("a/b")] == ["archived", "recent"]
    session = store.get_session("a/b")
    assert (session.agent_name, session.user_id, session.metadata) == ("Bot", "u1", {"model": "m"})
    assert session.created_at == "2025-01-01T00:00:00+00:00"
    assert not legacy.exists() and Path(f"{legacy}.migrated").exists()  # kept, never deleted
    store.add_message("a/b", "assistant", "new")
    assert [m["content"] for m in store.get_chat_history("a/b")] == ["archived", "recent", "new"]


def test_list_sessions_converts_praisonai_files_and_leaves_other_json_alone(tmp_path: Path) -> None:
    directory = tmp_path / "sessions"
    _praisonai_file(directory, "chat-1.json", "chat-1")
    other = directory / "notes.json"
    other.write_text(json.dumps({"format": "something else", "session_id": "notes", "messages": []}))
    store = DefaultSessionStore(str(directory))
    listed = store.list_sessions()
    assert [s["session_id"] for s in listed] == ["chat-1"]
    assert listed[0]["message_count"] == 2
    assert other.exists()
    from praisonai_persist.sessions import HierarchicalSessionStore

    tree = HierarchicalSessionStore(str(directory))
    _praisonai_file(directory, "kid.json", "kid", parent_id="chat-1")
    tree.update_session_metadata("chat-1", note="x")
    assert tree.create_session("kid2", parent_id="chat-1") == "kid2"
    assert tree.get_parent("kid") == "chat-1"


def test_a_corrupt_praisonai_file_is_moved_aside_and_reported(tmp_path: Path) -> None:
    directory = tmp_path / "sessions"
    directory.mkdir()
    (directory / "chat.json").write_text('{"session_id": "chat", "messages": [')
    store = DefaultSessionStore(str(directory))
    with pytest.raises(CorruptDataError, match="moved aside"):
        store.get_chat_history("chat")
    assert [p.name.split(".corrupt-")[0] for p in directory.iterdir() if ".corrupt-" in p.name] == ["chat.json"]
    assert store.get_chat_history("chat") == []


def test_files_are_private_to_the_owner(store: DefaultSessionStore) -> None:
    store.add_message("s", "user", "secret")
    store.set_chat_history("t", [{"role": "user", "content": "secret"}])
    for name in os.listdir(store.session_dir):
        if not name.endswith(".lock"):
            assert os.stat(os.path.join(store.session_dir, name)).st_mode & 0o077 == 0, name
    with pytest.raises(ValueError, match="limit"):
        store.list_sessions(limit=-1)
