"""The installed ``praisonai-persist`` console script, run in subprocesses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import run_cli as run


def test_help_has_examples() -> None:
    commands = ([], ["backends"], ["doctor"], ["run"], ["resume"], ["sessions"], ["sessions", "list"],
                ["sessions", "show"], ["sessions", "delete"], ["export"], ["import"], ["migrate"], ["copy"])
    for args in commands:
        proc = run(*args, "--help")
        assert proc.returncode == 0 and "Example" in proc.stdout, args


def test_backends_json_lists_builtins_and_install_lines() -> None:
    proc = run("backends", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    rows = {(r["kind"], r["name"]): r for r in data["backends"]}
    assert rows[("conversation", "sqlite")]["installed"]
    assert rows[("conversation", "sqlite")]["distribution"] == "praisonai-persist"
    assert rows[("conversation", "async_sqlite")]["aliases"] == ["aiosqlite", "sqlite_async"]
    if not rows[("knowledge", "pinecone")]["installed"]:
        assert rows[("knowledge", "pinecone")]["install"] == "pip install praisonai-persist-pinecone"
    assert data["plugin_errors"] == []


def test_backends_table() -> None:
    proc = run("backends", "--kind", "state")
    assert proc.returncode == 0
    assert "memory" in proc.stdout and "conversation" not in proc.stdout


def test_doctor_round_trips_configured_stores(tmp_path: Path) -> None:
    proc = run("doctor", "--json", "--conversation-url", f"sqlite:///{tmp_path}/d.db",
               "--knowledge-store", "memory", env={"PRAISONAI_STATE_STORE": "memory"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(proc.stdout)
    assert data["ok"] and [s["kind"] for s in data["stores"]] == ["conversation", "knowledge", "state"]
    assert all(s["ok"] and s["latency_ms"] >= 0 for s in data["stores"])


@pytest.mark.parametrize("as_json", [True, False])
def test_doctor_fails_without_leaking_the_password(tmp_path: Path, as_json: bool) -> None:
    url = f"sqlite:///{tmp_path}/missing-dir/sub/x.db"
    secret_url = "postgresql://admin:Sup3rS3cret@127.0.0.1:9/db"
    args = ["doctor", "--conversation-url", url, "--state-url", secret_url.replace("postgresql", "redis")]
    proc = run(*args, *(["--json"] if as_json else []))
    assert proc.returncode == 1
    assert "Sup3rS3cret" not in proc.stdout + proc.stderr
    assert "***" in proc.stdout
    assert "FAIL" in proc.stdout or '"ok": false' in proc.stdout


def test_doctor_without_configuration_says_how(tmp_path: Path) -> None:
    proc = run("doctor")
    assert proc.returncode == 0 and "--conversation-url" in proc.stdout
