"""``export``, ``import``, ``copy`` and ``migrate`` through the console script, on real engines.

SQLite files, PostgreSQL (a scratch schema), MariaDB (a scratch database) and Redis (a unique key
prefix). Every comparison is exact: ids, timestamps, state, metadata, tool_calls, tool_call_id.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import EXE, REDIS_URL, Run, ok_json, run_cli
from .snapshots import conversation, conversation_snapshot, seed_conversations, state_snapshot


def test_export_import_round_trip_is_lossless_and_idempotent(cli: Run, sql_url: str, tmp_path: Path,
                                                               sql_url_factory: Callable[[str], str]) -> None:
    seed_conversations(sql_url, sessions=3, messages=7)
    before = conversation_snapshot(sql_url)
    out = tmp_path / "all.jsonl"
    data = ok_json(cli("export", "--conversation-url", sql_url, "--output", str(out), "--json"))
    assert (data["containers"], data["records"]) == (3, 21)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines[0] == {"format": "praisonai-persist", "version": 1, "kind": "conversation"}
    assert lines[-1] == {"type": "end", "records": 24}
    target = sql_url_factory("sqlite")
    for _ in range(2):  # the second import must change nothing
        data = ok_json(cli("import", "--file", str(out), "--conversation-url", target, "--json"))
        assert (data["containers"], data["records"]) == (3, 21)
        assert conversation_snapshot(target) == before
    # and back into the server it came from, over the same sessions: still nothing changes
    ok_json(cli("import", "--file", str(out), "--conversation-url", sql_url, "--json"))
    assert conversation_snapshot(sql_url) == before


def test_export_filters_and_praisonai_default_name(cli: Run, tmp_path: Path, sql_url_factory: Callable[[str], str]) -> None:
    url = sql_url_factory("sqlite")
    seed_conversations(url, sessions=4, messages=2)
    proc = cli("export", "--conversation-url", url, "--user-id", "bob", "-o", "-")
    assert proc.returncode == 0, proc.stderr
    sessions = [json.loads(x) for x in proc.stdout.splitlines() if '"type":"session"' in x]
    assert sorted(s["user_id"] for s in sessions) == ["bob", "bob"]
    sid = sessions[0]["session_id"]
    proc = cli("export", "--conversation-url", url, "--session-id", sid, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / f"session-{sid}.jsonl").exists()
    missing = cli("export", "--conversation-url", url, "--session-id", "nope", cwd=tmp_path)
    assert missing.returncode == 1 and "nope" in missing.stderr
    assert not (tmp_path / "session-nope.jsonl").exists()


def test_import_reads_praisonai_lines_and_refuses_corrupt_files(cli: Run, tmp_path: Path,
                                                               sql_url_factory: Callable[[str], str]) -> None:
    url = sql_url_factory("sqlite")
    legacy = tmp_path / "praisonai.jsonl"
    legacy.write_text(json.dumps({
        "session_id": "old-1", "user_id": "u", "agent_id": None, "name": "n", "state": {}, "metadata": {},
        "created_at": 1.5, "updated_at": 2.5,
        "messages": [{"id": "m1", "role": "user", "content": "hi", "created_at": 1.75}],
    }) + "\n", encoding="utf-8")
    ok_json(cli("import", "--file", str(legacy), "--conversation-url", url, "--json"))
    snap = conversation_snapshot(url)
    assert snap["old-1"]["session"]["updated_at"] == 2.5
    assert [m["content"] for m in snap["old-1"]["messages"]] == ["hi"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"format":"praisonai-persist","version":1,"kind":"conversation"}\n{"type":"session",\n', encoding="utf-8")
    proc = cli("import", "--file", str(bad), "--conversation-url", url)
    assert proc.returncode == 1 and "bad.jsonl:2" in proc.stderr
    wrong = tmp_path / "wrong.jsonl"
    wrong.write_text('{"format":"praisonai-persist","version":1,"kind":"state"}\n', encoding="utf-8")
    proc = cli("import", "--file", str(wrong), "--conversation-url", url)
    assert proc.returncode == 1 and "--kind" in proc.stderr
    assert conversation_snapshot(url) == snap


@pytest.mark.parametrize(("src", "dst"), [("sqlite", "postgres"), ("postgres", "mariadb"), ("mariadb", "sqlite")])
def test_copy_between_backends_is_exact_and_resumable(cli: Run, src: str, dst: str,
                                                      sql_url_factory: Callable[[str], str]) -> None:
    src_url, dst_url = sql_url_factory(src), sql_url_factory(dst)
    seed_conversations(src_url, sessions=4, messages=9)
    want = conversation_snapshot(src_url)
    # An earlier, interrupted copy: one session complete, one with its first 4 messages only.
    first, second = sorted(want)[:2]
    with conversation(src_url) as s_store, conversation(dst_url) as d_store:
        for sid, count in ((first, None), (second, 4)):
            d_store.restore_session(s_store.get_session(sid))
            d_store.add_messages(sid, s_store.get_messages(sid)[:count])
    data = ok_json(cli("copy", src_url, dst_url, "--batch-size", "3", "--json"))
    assert (data["kind"], data["containers"], data["complete"], data["resumed"]) == ("conversation", 4, 1, 1)
    assert conversation_snapshot(dst_url) == want
    again = ok_json(cli("copy", src_url, dst_url, "--json"))
    assert (again["complete"], again["records"]) == (4, 0)
    assert conversation_snapshot(dst_url) == want


def test_copy_survives_being_killed(tmp_path: Path, sql_url_factory: Callable[[str], str]) -> None:
    src_url, dst_url = sql_url_factory("sqlite"), sql_url_factory("postgres")
    seed_conversations(src_url, sessions=40, messages=1500)
    want = conversation_snapshot(src_url)
    proc = subprocess.Popen([EXE, "copy", src_url, dst_url, "--batch-size", "200"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    with conversation(dst_url) as store:
        while time.monotonic() < deadline and len(store.list_sessions(limit=1000)) < 3:
            time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL, "the copy finished before it could be interrupted"
    assert conversation_snapshot(dst_url) != want
    data = ok_json(run_cli("copy", src_url, dst_url, "--json"))
    assert data["containers"] == 40 and data["complete"] >= 1
    assert conversation_snapshot(dst_url) == want


def test_copy_refuses_what_it_cannot_tell(cli: Run, tmp_path: Path) -> None:
    proc = cli("copy", f"sqlite:///{tmp_path}/a.db", REDIS_URL)
    assert proc.returncode == 2 and "--kind" in proc.stderr
    proc = cli("copy", f"sqlite:///{tmp_path}/a.db", f"sqlite:///{tmp_path}/a.db")
    assert proc.returncode == 2 and "same store" in proc.stderr
    secret = "postgresql://admin:Sup3rS3cret@127.0.0.1:9/db"
    proc = cli("copy", f"sqlite:///{tmp_path}/a.db", secret)
    assert proc.returncode == 1
    assert "Sup3rS3cret" not in proc.stdout + proc.stderr and "***" in proc.stderr


def test_migrate_dry_run_then_apply(cli: Run, sql_url: str) -> None:
    dry = ok_json(cli("migrate", "--conversation-url", sql_url, "--dry-run", "--json"))
    assert dry["version"] is None and dry["applied"] == [] and any("create table" in s for s in dry["pending"])
    again = ok_json(cli("migrate", "--conversation-url", sql_url, "--dry-run", "--json"))
    assert again["pending"] == dry["pending"], "--dry-run changed the database"
    done = ok_json(cli("migrate", "--conversation-url", sql_url, "--json"))
    assert done["applied"] == dry["pending"] and done["pending"] == [] and done["version"] == "1.1"
    text = cli("migrate", "--conversation-url", sql_url)
    assert text.returncode == 0 and "nothing to do" in text.stdout
    doctor = ok_json(cli("doctor", "--conversation-url", sql_url, "--json"))
    assert doctor["stores"][0]["schema"] == {"version": "1.1", "pending": [], "version_after": "1.1"}


def test_sessions_list_show_delete(cli: Run, sql_url: str) -> None:
    seed_conversations(sql_url, sessions=4, messages=3)
    listed = ok_json(cli("sessions", "list", "--conversation-url", sql_url, "--json"))["sessions"]
    assert [s["session_id"] for s in listed] == [f"sess-{i} ü'\"😀" for i in (3, 2, 1, 0)]
    bob = ok_json(cli("sessions", "list", "--conversation-url", sql_url, "--user-id", "bob", "--json"))["sessions"]
    assert {s["user_id"] for s in bob} == {"bob"} and len(bob) == 2
    sid = listed[0]["session_id"]
    shown = ok_json(cli("sessions", "show", "--conversation-url", sql_url, "--session-id", sid, "--json"))
    assert shown["messages"][1]["tool_calls"][0]["function"]["name"] == "lookup"
    assert shown["messages"][2]["tool_call_id"] == "call-1"
    text = cli("sessions", "show", "--conversation-url", sql_url, "--session-id", sid)
    assert text.returncode == 0 and "tool_calls: 1" in text.stdout
    assert cli("sessions", "show", "--conversation-url", sql_url, "--session-id", "missing").returncode == 1
    refused = cli("sessions", "delete", "--conversation-url", sql_url, "--user-id", "bob")
    assert refused.returncode == 2 and "--yes" in refused.stderr
    deleted = ok_json(cli("sessions", "delete", "--conversation-url", sql_url, "--user-id", "bob", "--yes", "--json"))
    assert sorted(deleted["deleted"]) == sorted(s["session_id"] for s in bob)
    left = ok_json(cli("sessions", "list", "--conversation-url", sql_url, "--json"))["sessions"]
    assert {s["user_id"] for s in left} == {"alice"}
    gone = cli("sessions", "delete", "--conversation-url", sql_url, "--session-id", "missing", "--yes")
    assert gone.returncode == 1 and "missing" in gone.stderr


def _seed_state(url: str, prefix: str) -> None:
    from praisonai_persist import create_state_store

    with create_state_store(url, key_prefix=prefix) as store:
        store.set("user:1", {"name": "Ada ✓", "n": [1, 2.5, None]})
        store.set("count", 3, ttl=600)
        store.set("flag", False)
        store.hset("profile:1", "lang", "fr")
        store.hset("profile:1", "score", 9.5)
        store.expire("profile:1", 900)


def test_state_copy_and_export_import_on_redis(cli: Run, tmp_path: Path, redis_prefix: str) -> None:
    src, dst, again = redis_prefix + "src:", redis_prefix + "dst:", redis_prefix + "imp:"
    _seed_state(REDIS_URL, src)
    want = state_snapshot(REDIS_URL, key_prefix=src)
    assert want["count"] == ("value", 3, True) and want["profile:1"] == ("hash", {"lang": "fr", "score": 9.5}, True)
    data = ok_json(cli("copy", REDIS_URL, REDIS_URL, "--kind", "state", "--src-option", f"key_prefix={src}",
                       "--dst-option", f"key_prefix={dst}", "--json"))
    assert data["records"] == 4
    assert state_snapshot(REDIS_URL, key_prefix=dst) == want
    file = tmp_path / "state.jsonl"
    ok_json(cli("export", "--kind", "state", "--state-url", REDIS_URL, "--state-option", f"key_prefix={src}",
                "-o", str(file), "--json"))
    for _ in range(2):
        ok_json(cli("import", "--kind", "state", "--file", str(file), "--state-url", REDIS_URL,
                    "--state-option", f"key_prefix={again}", "--json"))
        assert state_snapshot(REDIS_URL, key_prefix=again) == want
    json_file = tmp_path / "state.json"
    ok_json(cli("copy", REDIS_URL, "memory", "--kind", "state", "--src-option", f"key_prefix={src}",
                "--dst-option", f"path={json_file}", "--prefix", "profile:", "--json"))
    assert state_snapshot("memory", path=str(json_file)) == {"profile:1": want["profile:1"]}


def _knowledge(backend: str, path: Path) -> object:
    from praisonai_persist import as_sync, create_knowledge_store

    return as_sync(create_knowledge_store(backend, str(path), mode="sync"))


def _documents(store: object) -> dict[str, dict[str, object]]:
    """Every collection's description and documents (embeddings rounded to float32 precision)."""
    from praisonai_persist.knowledge import iter_documents

    out: dict[str, dict[str, object]] = {}
    for name in store.list_collections():  # type: ignore[attr-defined]
        info = store.describe_collection(name)  # type: ignore[attr-defined]
        docs = {
            d.id: (d.content, d.metadata, d.created_at, d.content_hash, [round(x, 5) for x in d.embedding or []])
            for page in iter_documents(store, name, 64)  # type: ignore[arg-type]
            for d in page
        }
        out[name] = {"dimension": info.dimension, "distance": info.distance, "docs": docs}
    return out


def test_knowledge_copy_and_export_import_between_engines(cli: Run, tmp_path: Path) -> None:
    from praisonai_persist import KnowledgeDocument

    src = _knowledge("lancedb", tmp_path / "lance")
    for name, distance in (("notes", "cosine"), ("facts", "dot")):
        src.create_collection(name, 6, distance=distance)  # type: ignore[attr-defined]
        src.insert(name, [  # type: ignore[attr-defined]
            KnowledgeDocument(id=f"{name}-{i} 'ü", content=f"doc {i} 😀", embedding=[(i * 7 + k) % 11 / 10 for k in range(6)],
                              metadata={"i": i, "tag": ["a", "b"][i % 2], "ok": i % 3 == 0}, created_at=1.7e9 + i / 8)
            for i in range(300)
        ])
    want = _documents(src)
    src.close()  # type: ignore[attr-defined]
    args = ["--kind", "knowledge", "--src-store", "lancedb", "--dst-store", "qdrant", "--batch-size", "64", "--json"]
    for _ in range(2):  # the second run upserts the same documents: nothing changes
        data = ok_json(cli("copy", str(tmp_path / "lance"), str(tmp_path / "qdrant"), *args))
        assert (data["containers"], data["records"]) == (2, 600)
        with _knowledge("qdrant", tmp_path / "qdrant") as dst:  # type: ignore[attr-defined]
            assert _documents(dst) == want
    file = tmp_path / "kb.jsonl"
    ok_json(cli("export", "--kind", "knowledge", "--knowledge-store", "qdrant", "--knowledge-url",
                str(tmp_path / "qdrant"), "--collection", "facts", "-o", str(file), "--json"))
    for _ in range(2):
        ok_json(cli("import", "--kind", "knowledge", "--knowledge-store", "lancedb", "--knowledge-url",
                    str(tmp_path / "lance2"), "--file", str(file), "--json"))
        with _knowledge("lancedb", tmp_path / "lance2") as again:  # type: ignore[attr-defined]
            assert _documents(again) == {"facts": want["facts"]}
