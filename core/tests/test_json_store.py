"""JSONConversationStore: hostile session ids, atomic writes, corrupt files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from praisonai_persist.backends.json_store import JSONConversationStore, session_file_name
from praisonai_persist.errors import CorruptDataError, SessionExistsError
from praisonai_persist.models import ConversationMessage, ConversationSession

HOSTILE_IDS = [
    "a/b",
    "a_b",
    "a\\b",
    "../x",
    "../../etc/passwd",
    "..",
    ".",
    "CON",
    "con",
    "NUL",
    "COM1.txt",
    "A",
    "a",
    "a:b",
    "a*b?",
    "😀 chat",
    " spaced ",
    "x" * 10_000,
    "",
]


def _files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_hostile_ids_are_safe_and_distinct(tmp_path: Path) -> None:
    directory = tmp_path / "sessions"
    with JSONConversationStore(path=directory) as store:
        for i, sid in enumerate(HOSTILE_IDS):
            store.create_session(ConversationSession(session_id=sid, name=f"n{i}"))
            store.add_message(sid, ConversationMessage(role="user", content=f"c{i}"))
        for i, sid in enumerate(HOSTILE_IDS):
            session = store.get_session(sid)
            assert session is not None and session.session_id == sid and session.name == f"n{i}"
            assert [m.content for m in store.get_messages(sid)] == [f"c{i}"]
        assert sorted(s.session_id for s in store.list_sessions(limit=1000)) == sorted(HOSTILE_IDS)
        assert store.delete_session("../x") is True
        assert store.get_session("../x") is None
        assert store.get_session("..") is not None
    # Nothing escaped the directory, and every session file is a hash name.
    assert _files(tmp_path) == ["sessions"]
    names = [n for n in _files(directory) if not n.startswith(".")]
    assert len(names) == len(HOSTILE_IDS) - 1
    assert all(len(n) == 64 + len(".json") for n in names)
    assert len({session_file_name("A"), session_file_name("a")}) == 2  # distinct on case-insensitive disks too


def test_writes_are_atomic_replacements(tmp_path: Path) -> None:
    directory = tmp_path / "sessions"
    with JSONConversationStore(path=directory) as store:
        store.create_session(ConversationSession(session_id="s"))
        file = directory / session_file_name("s")
        inode = file.stat().st_ino
        store.add_message("s", ConversationMessage(role="user", content="one"))
        # A new file replaced the old one (never rewritten in place), and no temp file is left.
        assert file.stat().st_ino != inode
        assert not [n for n in _files(directory) if n.startswith(".tmp-")]
        doc = json.loads(file.read_text(encoding="utf-8"))
        assert doc["session"]["session_id"] == "s" and [m["content"] for m in doc["messages"]] == ["one"]

        before = file.read_bytes()
        with pytest.raises(TypeError):
            store.add_message("s", ConversationMessage(role="user", content="bad", metadata={"x": object()}))
        assert file.read_bytes() == before
        assert [m.content for m in store.get_messages("s")] == ["one"]


def test_leftover_temp_files_are_ignored(tmp_path: Path) -> None:
    directory = tmp_path / "sessions"
    with JSONConversationStore(path=directory) as store:
        store.create_session(ConversationSession(session_id="s"))
        (directory / ".tmp-crashed.json").write_text('{"half', encoding="utf-8")
        assert [s.session_id for s in store.list_sessions()] == ["s"]
        store.add_message("s", ConversationMessage(role="user", content="still fine"))
        assert [m.content for m in store.get_messages("s")] == ["still fine"]


def test_create_existing_session_raises_session_exists(tmp_path: Path) -> None:
    with JSONConversationStore(path=tmp_path / "d") as store:
        store.create_session(ConversationSession(session_id="s", name="first"))
        with pytest.raises(SessionExistsError):
            store.create_session(ConversationSession(session_id="s", name="second"))
        got = store.get_session("s")
        assert got is not None and got.name == "first"


@pytest.mark.parametrize(
    "garbage", ['{"session": {"session_id": "s"}, "messa', "[]", '{"session": 1, "messages": []}', "\xff\xfe"]
)
def test_corrupt_file_is_reported_not_reset(tmp_path: Path, garbage: str) -> None:
    directory = tmp_path / "sessions"
    with JSONConversationStore(path=directory) as store:
        store.create_session(ConversationSession(session_id="s"))
        file = directory / session_file_name("s")
        file.write_bytes(garbage.encode("latin-1"))
        for call in (
            lambda: store.get_session("s"),
            lambda: store.get_messages("s"),
            lambda: store.add_message("s", ConversationMessage(role="user", content="x")),
            lambda: store.create_session(ConversationSession(session_id="s")),
            lambda: store.list_sessions(),
        ):
            with pytest.raises(CorruptDataError) as raised:
                call()
            assert str(file) in str(raised.value)
        assert file.read_bytes() == garbage.encode("latin-1")


def test_file_of_another_session_is_reported(tmp_path: Path) -> None:
    directory = tmp_path / "sessions"
    with JSONConversationStore(path=directory) as store:
        store.create_session(ConversationSession(session_id="a"))
        os.replace(directory / session_file_name("a"), directory / session_file_name("b"))
        with pytest.raises(CorruptDataError):
            store.get_session("b")


def test_url_forms_and_default_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with JSONConversationStore(f"json:///{tmp_path}/by-url") as store:
        store.create_session(ConversationSession(session_id="s"))
    assert (tmp_path / "by-url" / session_file_name("s")).exists()
    monkeypatch.chdir(tmp_path)
    with JSONConversationStore() as store:
        assert store.directory == str(tmp_path / "praisonai_conversations")


def test_retried_append_does_not_duplicate(tmp_path: Path) -> None:
    with JSONConversationStore(path=tmp_path / "d") as store:
        store.create_session(ConversationSession(session_id="s"))
        message = ConversationMessage(role="user", content="once")
        store.add_message("s", message)
        store.add_message("s", message)
        assert [m.id for m in store.get_messages("s")] == [message.id]
