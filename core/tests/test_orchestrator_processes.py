"""The orchestrator across real processes and inside a running event loop (DESIGN §4, §5).

* An agent loop stops in one process and a second process resumes the same session, with its
  tool calls and runtime state, through the environment configuration.
* The sync API is called from worker threads and from the loop itself while async tasks use
  the async API (the FastAPI / Streamlit case): the loop keeps ticking and no write is lost.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from praisonai_persist import PersistenceOrchestrator, SessionConfig
from praisonai_persist.backends.async_sqlite import AsyncSQLiteConversationStore
from praisonai_persist.backends.sqlite import SQLiteConversationStore

AGENT_SCRIPT = textwrap.dedent(
    """
    import asyncio, json, os, sys
    from praisonai_persist import PersistenceOrchestrator

    class Agent:
        name = "worker"

    phase = sys.argv[1]
    calls = [{"id": "call-1", "type": "function",
              "function": {"name": "search", "arguments": json.dumps({"q": "weather"})}}]

    if phase == "first":
        # Sync API, sqlite backend (from PRAISONAI_CONVERSATION_URL); stops mid-task without close().
        orch = PersistenceOrchestrator.from_env()
        history = orch.on_agent_start(Agent(), session_id="job-42", user_id="alice")
        assert history == [], history
        orch.on_message("job-42", "user", "What is the weather?")
        orch.on_message("job-42", "assistant", "", tool_calls=calls)
        orch.on_message("job-42", "tool", "sunny", tool_call_id="call-1")
        orch.set_runtime_state("job-42", "native", 1, {"tool_calls": ["call-1"], "results": {"call-1": "sunny"},
                                                        "next": "answer"})
        print(json.dumps({"pid": os.getpid()}), flush=True)
        os._exit(0)  # the process dies here: nothing is flushed or closed on the way out

    async def resume():
        # Async API on the async_sqlite backend: same file, another store form, another process.
        orch = PersistenceOrchestrator.from_env()
        async with orch:
            history = await orch.aon_agent_start(Agent(), session_id="job-42")
            state = await orch.aget_runtime_state("job-42", "native", 1)
            await orch.aon_message("job-42", "assistant", "It is " + state["results"]["call-1"] + ".")
            await orch.aset_runtime_state("job-42", "native", 2, {"done": True})
            await orch.aon_agent_end(Agent(), "job-42", metadata={"resumed_by": os.getpid()})
            return {
                "pid": os.getpid(),
                "history": [m.to_dict() for m in history],
                "state": state,
            }

    print(json.dumps(asyncio.run(resume())), flush=True)
    """
)


def _run(script: Path, phase: str, env: dict[str, str]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, str(script), phase], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_agent_loop_resumes_in_a_second_process(tmp_path: Path) -> None:
    db = tmp_path / "agent.db"
    script = tmp_path / "agent_loop.py"
    script.write_text(AGENT_SCRIPT)
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PRAISONAI_", "PRAISON_"))}
    base.update(PRAISONAI_PERSIST_CACHE_DIR=str(tmp_path / "cache"), PRAISONAI_MIRROR_RUNTIME_STATE="true")

    first = _run(script, "first", {**base, "PRAISONAI_CONVERSATION_URL": f"sqlite:///{db}"})
    second = _run(script, "second", {**base, "PRAISONAI_CONVERSATION_STORE": "async_sqlite",
                                     "PRAISONAI_CONVERSATION_URL": str(db)})
    assert first["pid"] != second["pid"]

    history = second["history"]
    assert [(m["role"], m["content"]) for m in history] == [
        ("user", "What is the weather?"), ("assistant", ""), ("tool", "sunny")]
    assert history[1]["tool_calls"][0]["function"]["name"] == "search"
    assert history[2]["tool_call_id"] == "call-1"
    assert second["state"] == {"tool_calls": ["call-1"], "results": {"call-1": "sunny"}, "next": "answer"}

    # A third reader (this process, the sync store) sees the whole run, in order.
    with PersistenceOrchestrator(conversation_store=SQLiteConversationStore(path=db),
                                 session_config=SessionConfig(mirror_runtime_state=True)) as orch:
        assert [m.content for m in orch.get_messages("job-42")][-1] == "It is sunny."
        assert orch.get_runtime_state("job-42", "native") == {
            "1": {"tool_calls": ["call-1"], "results": {"call-1": "sunny"}, "next": "answer"},
            "2": {"done": True},
        }
        session = orch.get_session("job-42")
        assert session is not None and session.user_id == "alice" and session.agent_id == "worker"
        assert session.metadata is not None and session.metadata["resumed_by"] == second["pid"]


THREADS = 4
TASKS = 6
ON_LOOP = 10
WINDOW = 0.6  # seconds of concurrent writing


@pytest.mark.parametrize("form", ["sqlite", "async_sqlite"])
async def test_sync_api_in_threads_and_on_the_loop_keeps_the_loop_serving(form: str, tmp_path: Path) -> None:
    store: Any = (SQLiteConversationStore if form == "sqlite" else AsyncSQLiteConversationStore)(path=tmp_path / "c.db")
    orch = PersistenceOrchestrator(conversation_store=store, session_config=SessionConfig(mirror_runtime_state=True))
    await orch.aon_agent_start(None, session_id="app")
    ticks: list[float] = []
    stop = asyncio.Event()
    written: dict[str, int] = {}

    async def ticker() -> None:
        while not stop.is_set():
            ticks.append(time.monotonic())
            await asyncio.sleep(0.01)

    def sync_endpoint(worker: int, deadline: float) -> None:
        """A sync FastAPI endpoint: runs in the threadpool and uses the sync API until the deadline."""
        i = 0
        while time.monotonic() < deadline:
            orch.on_message("app", "user", f"thread-{worker}-{i}")
            i += 1
        orch.set_runtime_state("app", f"thread-{worker}", 1, {"n": i})
        written[f"thread-{worker}"] = i

    async def async_endpoint(task: int, deadline: float) -> None:
        i = 0
        while time.monotonic() < deadline:
            await orch.aon_message("app", "assistant", f"task-{task}-{i}")
            i += 1
        written[f"task-{task}"] = i

    async def careless_endpoint() -> None:
        """Sync API called straight from a coroutine on the loop (a Streamlit callback, say)."""
        for i in range(ON_LOOP):
            orch.on_message("app", "system", f"loop-{i}")
            await asyncio.sleep(0.02)
        written["loop"] = ON_LOOP

    tick_task = asyncio.create_task(ticker())
    await asyncio.sleep(0.02)
    started = time.monotonic()
    deadline = started + WINDOW
    loop = asyncio.get_running_loop()
    pooled = [loop.run_in_executor(None, sync_endpoint, w, deadline) for w in range(THREADS)]
    extra = threading.Thread(target=sync_endpoint, args=(THREADS, deadline))  # a plain worker thread too
    extra.start()
    await asyncio.gather(*pooled, *(async_endpoint(t, deadline) for t in range(TASKS)), careless_endpoint())
    await asyncio.to_thread(extra.join)
    finished = time.monotonic()
    stop.set()
    await tick_task

    during = [t for t in ticks if started <= t <= finished]
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False) if started <= b <= finished]
    assert len(during) >= 10, f"the loop stopped ticking: {len(during)} ticks in {finished - started:.2f}s"
    assert max(gaps, default=0.0) < 1.0, f"the loop was parked for {max(gaps):.2f}s"

    messages = await orch.aget_messages("app")
    expected = (
        {f"thread-{w}-{i}" for w in range(THREADS + 1) for i in range(written[f"thread-{w}"])}
        | {f"task-{t}-{i}" for t in range(TASKS) for i in range(written[f"task-{t}"])}
        | {f"loop-{i}" for i in range(ON_LOOP)}
    )
    assert all(written[f"thread-{w}"] > 0 for w in range(THREADS + 1)) and all(
        written[f"task-{t}"] > 0 for t in range(TASKS))
    assert {m.content for m in messages} == expected and len(messages) == len(expected), "a write was lost or duplicated"
    for w in range(THREADS + 1):  # each writer's messages kept their order
        mine = [m.content for m in messages if m.content.startswith(f"thread-{w}-")]
        assert mine == [f"thread-{w}-{i}" for i in range(written[f"thread-{w}"])]
        assert await orch.aget_runtime_state("app", f"thread-{w}", 1) == {"n": written[f"thread-{w}"]}
    await orch.aclose()
