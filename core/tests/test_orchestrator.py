"""PersistenceOrchestrator: PraisonAI's API, sync and async, over sync and async stores of every kind.

Each scenario runs against real embedded engines (SQLite files, JSON files, the memory stores)
in both store forms, and checks the PraisonAI bugs stay fixed.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

import praisonai_persist.orchestrator as orchestrator_module
from praisonai_persist import (
    ConfigError,
    KnowledgeDocument,
    PersistenceConfig,
    PersistenceOrchestrator,
    SessionConfig,
    SessionNotFoundError,
    StoreConnectionError,
    as_async,
)
from praisonai_persist.backends.async_sqlite import AsyncSQLiteConversationStore
from praisonai_persist.backends.json_store import JSONConversationStore
from praisonai_persist.backends.memory_knowledge import MemoryKnowledgeStore
from praisonai_persist.backends.memory_state import MemoryStateStore
from praisonai_persist.backends.sqlite import SQLiteConversationStore
from praisonai_persist.factory import create_store


class Agent:
    """A stand-in agent: the orchestrator reads only ``name`` and the type name."""

    def __init__(self, name: str = "helper") -> None:
        self.name = name


def _conversation(form: str, tmp_path: Path) -> Any:
    if form == "sqlite":
        return SQLiteConversationStore(path=tmp_path / "c.db")
    if form == "async_sqlite":
        return AsyncSQLiteConversationStore(path=tmp_path / "c.db")
    if form == "json":
        return JSONConversationStore(path=tmp_path / "sessions")
    if form == "as_async(json)":
        return as_async(JSONConversationStore(path=tmp_path / "sessions"))
    raise AssertionError(form)


FORMS = ["sqlite", "async_sqlite", "json", "as_async(json)"]


@pytest.fixture(params=FORMS)
def orch(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[PersistenceOrchestrator]:
    """An orchestrator over one conversation store form, memory knowledge (async form) and state."""
    o = PersistenceOrchestrator(
        conversation_store=_conversation(request.param, tmp_path),
        knowledge_store=as_async(MemoryKnowledgeStore()),
        state_store=MemoryStateStore(),
    )
    yield o
    o.close()


@pytest.fixture(params=FORMS)
async def aorch(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[PersistenceOrchestrator]:
    """The same, used from async code (knowledge sync, state async this time)."""
    o = PersistenceOrchestrator(
        conversation_store=_conversation(request.param, tmp_path),
        knowledge_store=MemoryKnowledgeStore(),
        state_store=as_async(MemoryStateStore()),
    )
    yield o
    await o.aclose()


# -- lifecycle ---------------------------------------------------------------------------


def test_start_message_end_resume(orch: PersistenceOrchestrator) -> None:
    history = orch.on_agent_start(Agent("bot"), session_id="s1", user_id="u1")
    assert history == [] and history.session_id == "s1"
    assert history.session is not None and history.session.agent_id == "bot"
    orch.on_message("s1", "user", "what is 2+2?")
    calls = [{"id": "c1", "type": "function", "function": {"name": "add", "arguments": '{"a":2,"b":2}'}}]
    orch.on_message("s1", "assistant", "", tool_calls=calls)
    orch.on_message("s1", "tool", "4", tool_call_id="c1", metadata={"ms": 3})
    orch.on_agent_end(Agent("bot"), "s1", metadata={"turns": 1})

    resumed = orch.on_agent_start(Agent("bot"), session_id="s1")
    assert [(m.role, m.content) for m in resumed] == [("user", "what is 2+2?"), ("assistant", ""), ("tool", "4")]
    assert resumed[1].tool_calls == calls and resumed[2].tool_call_id == "c1" and resumed[2].metadata == {"ms": 3}
    session = orch.get_session("s1")
    assert session is not None and session.user_id == "u1"
    assert session.metadata == {"agent_type": "Agent", "turns": 1}
    assert [s.session_id for s in orch.list_sessions(user_id="u1")] == ["s1"]
    assert orch.delete_session("s1") is True
    assert orch.get_session("s1") is None and orch.get_messages("s1") == []


async def test_async_start_message_end_resume(aorch: PersistenceOrchestrator) -> None:
    history = await aorch.aon_agent_start(Agent(), session_id="a1", user_id="u2")
    assert history == []
    await aorch.aon_message("a1", "user", "hello")
    await aorch.aon_message("a1", "assistant", "hi", tool_calls=[{"id": "t"}])
    await aorch.aon_agent_end(Agent(), "a1", metadata={"done": True})
    resumed = await aorch.aon_agent_start(Agent(), session_id="a1")
    assert [m.content for m in resumed] == ["hello", "hi"] and resumed[1].tool_calls == [{"id": "t"}]
    session = await aorch.aget_session("a1")
    assert session is not None and session.metadata is not None and session.metadata["done"] is True
    assert [s.session_id for s in await aorch.alist_sessions(user_id="u2")] == ["a1"]
    assert [m.content for m in await aorch.aget_messages("a1", limit=1)] == ["hi"]
    assert await aorch.adelete_session("a1") is True
    assert await aorch.aget_session("a1") is None


def test_generated_session_id_is_returned(orch: PersistenceOrchestrator) -> None:
    first = orch.on_agent_start(Agent())
    second = orch.on_agent_start(Agent())
    assert first.session_id and second.session_id and first.session_id != second.session_id
    assert orch.get_session(first.session_id) is not None


def test_resume_false_on_existing_session_keeps_it(orch: PersistenceOrchestrator) -> None:
    """PraisonAI crashed here (create_session on an existing id)."""
    orch.on_agent_start(Agent(), session_id="keep")
    orch.on_message("keep", "user", "earlier")
    assert orch.on_agent_start(Agent(), session_id="keep", resume=False) == []
    orch.on_message("keep", "user", "later")
    assert [m.content for m in orch.get_messages("keep")] == ["earlier", "later"]


def test_on_message_without_start_creates_the_session_or_raises(tmp_path: Path) -> None:
    with PersistenceOrchestrator(conversation_store=SQLiteConversationStore(path=tmp_path / "c.db")) as o:
        o.on_message("fresh", "user", "hi")
        assert [m.content for m in o.get_messages("fresh")] == ["hi"]
    strict = SessionConfig(auto_create_session=False)
    with PersistenceOrchestrator(conversation_store=SQLiteConversationStore(path=tmp_path / "d.db"), session_config=strict) as o:
        with pytest.raises(SessionNotFoundError):
            o.on_message("missing", "user", "hi")


def test_bad_message_arguments_are_clear_errors(orch: PersistenceOrchestrator) -> None:
    with pytest.raises(ValueError, match="role"):
        orch.on_message("s", "", "x")
    with pytest.raises(TypeError, match="content"):
        orch.on_message("s", "user", 5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="session_id"):
        orch.on_message("", "user", "x")


def test_history_limit_returns_the_most_recent(tmp_path: Path) -> None:
    cfg = SessionConfig(history_limit=3)
    with PersistenceOrchestrator(conversation_store=SQLiteConversationStore(path=tmp_path / "c.db"), session_config=cfg) as o:
        o.on_agent_start(Agent(), "h")
        for i in range(10):
            o.on_message("h", "user", f"m{i}")
        assert [m.content for m in o.on_agent_start(Agent(), "h")] == ["m7", "m8", "m9"]


# -- build_context: the most recent history (PraisonAI returned the oldest) ----------------


def test_build_context_returns_recent_history_and_knowledge(orch: PersistenceOrchestrator) -> None:
    orch.on_agent_start(Agent(), session_id="ctx")
    for i in range(30):
        orch.on_message("ctx", "user" if i % 2 == 0 else "assistant", f"msg-{i:02d}")
    orch.on_message("ctx", "tool", "result", tool_call_id="call-9")
    orch.add_knowledge(
        [KnowledgeDocument(id="d1", content="cats", embedding=[1.0, 0.0]),
         KnowledgeDocument(id="d2", content="dogs", embedding=[0.0, 1.0])],
        collection="kb",
    )
    ctx = orch.build_context("ctx", query_embedding=[0.9, 0.1], history_limit=5, knowledge_limit=1,
                             knowledge_collection="kb")
    assert [h["content"] for h in ctx["history"]] == ["msg-26", "msg-27", "msg-28", "msg-29", "result"]
    assert ctx["history"][-1] == {"role": "tool", "content": "result", "tool_call_id": "call-9"}
    assert [k["id"] for k in ctx["knowledge"]] == ["d1"] and ctx["knowledge"][0]["score"] > 0.9
    empty = orch.build_context("ctx", query_embedding=[1.0, 0.0], knowledge_collection="nothing_yet")
    assert empty["knowledge"] == [] and len(empty["history"]) == 20


async def test_abuild_context_returns_recent_history(aorch: PersistenceOrchestrator) -> None:
    await aorch.aon_agent_start(Agent(), session_id="actx")
    for i in range(12):
        await aorch.aon_message("actx", "user", f"m{i}")
    ctx = await aorch.abuild_context("actx", history_limit=3)
    assert [h["content"] for h in ctx["history"]] == ["m9", "m10", "m11"] and ctx["knowledge"] == []


# -- knowledge and state -------------------------------------------------------------------


def test_knowledge_and_state_helpers(orch: PersistenceOrchestrator) -> None:
    ids = orch.add_knowledge([KnowledgeDocument(id="a", content="x", embedding=[0.0, 1.0], metadata={"t": 1}),
                              KnowledgeDocument(id="b", content="y", embedding=[1.0, 0.0], metadata={"t": 2})])
    assert sorted(ids) == ["a", "b"]
    hits = orch.retrieve_knowledge([0.0, 1.0], limit=2, filters={"t": 2})
    assert [d.id for d in hits] == ["b"]
    assert orch.retrieve_knowledge([0.0, 1.0], limit=2, score_threshold=0.5)[0].id == "a"
    orch.set_state("counter", 3)
    orch.set_state("gone", {"a": [1]}, ttl=1)
    assert orch.get_state("counter") == 3 and orch.get_state("gone") == {"a": [1]}
    assert orch.delete_state("counter") is True and orch.get_state("counter") is None
    assert orch.delete_state("counter") is False


async def test_async_knowledge_and_state_helpers(aorch: PersistenceOrchestrator) -> None:
    assert await aorch.aadd_knowledge([KnowledgeDocument(id="a", content="x", embedding=[0.0, 1.0])]) == ["a"]
    assert [d.id for d in await aorch.aretrieve_knowledge([0.0, 1.0])] == ["a"]
    await aorch.aset_state("k", [1, "two"])
    assert await aorch.aget_state("k") == [1, "two"]
    assert await aorch.adelete_state("k") is True and await aorch.aget_state("k") is None


def test_no_stores_configured_is_a_quiet_no_op() -> None:
    o = PersistenceOrchestrator()
    assert o.on_agent_start(Agent(), "s") == [] and o.on_message("s", "user", "x") is None
    o.on_agent_end(Agent(), "s")
    assert o.retrieve_knowledge([1.0]) == [] and o.get_state("k") is None and o.delete_state("k") is False
    assert o.get_session("s") is None and o.list_sessions() == [] and o.get_messages("s") == []
    assert o.build_context("s") == {"history": [], "knowledge": []}
    with pytest.raises(ConfigError, match="knowledge store"):
        o.add_knowledge([KnowledgeDocument(content="x", embedding=[1.0])])
    o.close()


# -- sessions are independent; the cache hands out copies ------------------------------------


def test_concurrent_sessions_do_not_share_state(tmp_path: Path) -> None:
    """Many threads, each its own session: no message lands in another session."""
    o = PersistenceOrchestrator(conversation_store=SQLiteConversationStore(path=tmp_path / "c.db"))
    errors: list[BaseException] = []

    def agent_loop(n: int) -> None:
        try:
            sid = f"sess-{n}"
            o.on_agent_start(Agent(f"a{n}"), session_id=sid, user_id=f"u{n}")
            for i in range(10):
                o.on_message(sid, "user", f"{sid}:{i}")
            o.on_agent_end(Agent(f"a{n}"), sid, metadata={"n": n})
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=agent_loop, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    for n in range(8):
        sid = f"sess-{n}"
        assert [m.content for m in o.get_messages(sid)] == [f"{sid}:{i}" for i in range(10)]
        session = o.get_session(sid)
        assert session is not None and session.user_id == f"u{n}" and session.agent_id == f"a{n}"
        assert session.metadata is not None and session.metadata["n"] == n
    o.close()


async def test_concurrent_async_sessions_do_not_share_state(tmp_path: Path) -> None:
    o = PersistenceOrchestrator(conversation_store=AsyncSQLiteConversationStore(path=tmp_path / "c.db"))

    async def agent_loop(n: int) -> None:
        sid = f"t-{n}"
        await o.aon_agent_start(Agent(f"a{n}"), session_id=sid)
        for i in range(5):
            await o.aon_message(sid, "user", f"{sid}:{i}")

    await asyncio.gather(*(agent_loop(n) for n in range(10)))
    for n in range(10):
        assert [m.content for m in await o.aget_messages(f"t-{n}")] == [f"t-{n}:{i}" for i in range(5)]
    await o.aclose()


def test_session_cache_stores_and_returns_copies(orch: PersistenceOrchestrator) -> None:
    history = orch.on_agent_start(Agent(), session_id="c")
    assert history.session is not None
    history.session.metadata = {"mutated": True}  # the caller's copy, not the cache's
    cached = orch.cached_session("c")
    assert cached is not None and cached.metadata == {"agent_type": "Agent"}
    assert cached.metadata is not None
    cached.metadata["also"] = "mutated"
    again = orch.cached_session("c")
    assert again is not None and again.metadata == {"agent_type": "Agent"}
    orch.delete_session("c")
    assert orch.cached_session("c") is None


def test_on_agent_end_reads_the_stored_session_not_a_stale_cache(tmp_path: Path) -> None:
    """A second orchestrator (another process, say) changed the session: on_agent_end keeps that change."""
    path = tmp_path / "c.db"
    a = PersistenceOrchestrator(conversation_store=SQLiteConversationStore(path=path))
    b = PersistenceOrchestrator(conversation_store=SQLiteConversationStore(path=path))
    a.on_agent_start(Agent(), "shared")
    b.on_agent_end(Agent(), "shared", metadata={"from_b": 1})
    a.on_agent_end(Agent(), "shared", metadata={"from_a": 2})
    session = b.get_session("shared")
    assert session is not None and session.metadata is not None
    assert session.metadata["from_a"] == 2 and session.metadata["from_b"] == 1
    a.close()
    b.close()


# -- configuration and lazy construction ------------------------------------------------------


def test_stores_from_config_are_built_lazily_once(tmp_path: Path) -> None:
    cfg = PersistenceConfig(conversation_url=f"sqlite:///{tmp_path}/c.db", state_store="memory")
    o = PersistenceOrchestrator(config=cfg)
    assert "lazy" in repr(o)
    assert o.config is cfg and o.knowledge is None
    o.on_agent_start(Agent(), "cfg")
    assert isinstance(o.conversation, SQLiteConversationStore) and o.conversation is o.conversation
    o.set_state("k", "v")
    assert o.get_state("k") == "v"
    o.close()
    o.close()  # idempotent
    with pytest.raises(StoreConnectionError, match="closed"):
        o.on_message("cfg", "user", "after close")


def test_eager_config_and_dict_config(tmp_path: Path) -> None:
    o = PersistenceOrchestrator(config={"persistence": {"conversation_url": f"sqlite:///{tmp_path}/c.db",
                                                        "lazy_init": False, "session": {"history_limit": 2}}})
    assert "lazy" not in repr(o) and o.session_config.history_limit == 2
    o.close()
    from_cfg = PersistenceOrchestrator.from_config(PersistenceConfig(state_store="memory"))
    assert from_cfg.state is not None and from_cfg.conversation is None
    from_cfg.close()


def test_from_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRAISONAI_CONVERSATION_URL", f"sqlite:///{tmp_path}/env.db")
    monkeypatch.setenv("PRAISONAI_MIRROR_RUNTIME_STATE", "true")
    with PersistenceOrchestrator.from_env() as o:
        assert o.session_config.mirror_runtime_state is True
        o.on_message("e", "user", "hi")
        assert [m.content for m in o.get_messages("e")] == ["hi"]


class _CountingFactory:
    """Wraps create_store: counts constructions and widens the race window."""

    def __init__(self) -> None:
        self.calls = 0
        self.lock = threading.Lock()
        self.real = create_store

    def __call__(self, kind: str, *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            self.calls += 1
        time.sleep(0.05)
        return self.real(kind, *args, **kwargs)


def test_lazy_construction_is_race_free_across_threads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    factory = _CountingFactory()
    monkeypatch.setattr(orchestrator_module, "create_store", factory)
    o = PersistenceOrchestrator(config=PersistenceConfig(conversation_url=f"sqlite:///{tmp_path}/c.db"))
    barrier = threading.Barrier(16)
    seen: list[Any] = []
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            barrier.wait(10)
            o.on_message(f"s{n}", "user", "x")
            seen.append(o.conversation)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert factory.calls == 1 and len({id(s) for s in seen}) == 1
    assert len(o.list_sessions()) == 16
    o.close()


async def test_lazy_construction_is_race_free_across_tasks_and_threads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    factory = _CountingFactory()
    monkeypatch.setattr(orchestrator_module, "create_store", factory)
    o = PersistenceOrchestrator(config=PersistenceConfig(conversation_store="async_sqlite",
                                                         conversation_url=str(tmp_path / "c.db")))
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.005)

    tick_task = asyncio.create_task(ticker())
    tasks = [o.aon_message(f"task-{n}", "user", "x") for n in range(30)]
    threads = [asyncio.to_thread(o.on_message, f"thread-{n}", "user", "y") for n in range(5)]
    await asyncio.gather(*tasks, *threads)
    tick_task.cancel()
    assert factory.calls == 1
    assert ticks >= 3, "the loop kept running while the store was built off the loop"
    assert len(await o.alist_sessions()) == 35
    await o.aclose()


def test_lazy_construction_error_is_retried_not_cached(tmp_path: Path) -> None:
    o = PersistenceOrchestrator(config=PersistenceConfig(conversation_store="sqlite", conversation_url=str(tmp_path / "c.db"),
                                                         conversation_options={"table_prefix": "bad-prefix"}))
    with pytest.raises(ValueError, match="table_prefix"):
        o.on_message("s", "user", "x")
    with pytest.raises(ValueError, match="table_prefix"):
        o.on_message("s", "user", "x")
    o.close()


def test_store_setters_replace_the_store(tmp_path: Path) -> None:
    o = PersistenceOrchestrator()
    o.conversation = SQLiteConversationStore(path=tmp_path / "c.db")
    o.on_message("s", "user", "x")
    assert len(o.get_messages("s")) == 1
    o.close()


def test_session_config_is_validated() -> None:
    with pytest.raises(ConfigError, match="max_runtime_turns"):
        SessionConfig(max_runtime_turns=0)
    with pytest.raises(ConfigError, match="mirror_runtime_state"):
        SessionConfig(mirror_runtime_state="yes")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="history_limit"):
        SessionConfig(history_limit=-1)
    with pytest.raises(ConfigError, match="max_turn_state_bytes"):
        SessionConfig(max_turn_state_bytes=10, max_runtime_state_bytes=5)
    with pytest.raises(ConfigError, match="mirror_runtime"):
        SessionConfig.from_dict({"mirror_runtime": True})
    with pytest.raises(ConfigError, match="session"):
        PersistenceOrchestrator(session_config={"bogus": 1})
    assert SessionConfig.from_dict(SessionConfig(history_limit=4).to_dict()).history_limit == 4
